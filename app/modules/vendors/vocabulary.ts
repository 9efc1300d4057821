import englishCountries from "i18n-iso-countries/langs/en.json" with { type: "json" };
/**
 * The words a vendor record is written in, shared by forms (client) and
 * modules (server). Labels are ours; the rules cite their source.
 */

export const SERVICE_KINDS = {
  saas: "Software as a service (SaaS)",
  iaas: "Infrastructure as a service (IaaS)",
  paas: "Platform as a service (PaaS)",
  "digital-evidence": "Body-worn camera and digital evidence",
  lpr: "License-plate reader",
  rms: "Records management (RMS)",
  cad: "Computer-aided dispatch (CAD)",
  email: "E-mail",
  backup: "Backup and archive",
} as const;
export type ServiceKind = keyof typeof SERVICE_KINDS;

export const DATA_CATEGORIES = {
  cji: "Criminal justice information (CJI)",
  "bwc-video": "Body-worn camera video",
  "lpr-reads": "License-plate reads",
  "rms-records": "RMS records",
  "cad-data": "CAD data",
  "personal-data": "Personal data",
} as const;
export type DataCategory = keyof typeof DATA_CATEGORIES;

export const KEY_CUSTODY_LABELS = {
  agency: "The agency holds the keys",
  provider: "The provider holds the keys",
  none: "No encryption at rest",
} as const;

export const FEDRAMP_LABELS = {
  none: "None claimed",
  "li-saas": "FedRAMP Tailored (LI-SaaS)",
  low: "FedRAMP Low",
  moderate: "FedRAMP Moderate",
  high: "FedRAMP High",
} as const;
export const STATERAMP_LABELS = {
  none: "None claimed",
  low: "StateRAMP Low",
  "low-plus": "StateRAMP Low+",
  moderate: "StateRAMP Moderate",
  high: "StateRAMP High",
} as const;
export const SOC2_LABELS = { none: "None claimed", "type-1": "SOC 2 Type I", "type-2": "SOC 2 Type II" } as const;

/**
 * Where CJI may be stored in the cloud under CJIS Security Policy v6.0 SC-28:
 * the United States and its territories (tribal lands lie within them) and
 * Canada. ISO 3166-1 codes.
 */
export const ALLOWED_STORAGE_COUNTRIES: ReadonlySet<string> = new Set(["US", "PR", "GU", "VI", "AS", "MP", "UM", "CA"]);

/**
 * Countries and territories by ISO 3166-1 alpha-2 code, named from i18n-iso-countries' English
 * data: the same names on the server and in the browser (the platform's own Intl names differ
 * between Node and Chromium, which broke hydration of the vendor form). The United States goes by
 * its short name, as contracts write it.
 */
const SHORT_NAMES: Record<string, string> = { US: "United States" };
let countries: { code: string; name: string }[] | null = null;

export function countryList() {
  if (countries) return countries;
  countries = Object.entries(englishCountries.countries)
    .map(([code, names]) => ({ code, name: SHORT_NAMES[code] ?? (Array.isArray(names) ? names[0]! : names) }))
    // Sorted by the letters without accents (Åland among the A's), by code point: no collation that may differ by platform.
    .map((c) => ({ ...c, key: c.name.normalize("NFD").replace(/[\u0300-\u036f]/g, "") }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .map(({ code, name }) => ({ code, name }));
  return countries;
}

export function countryName(code: string) {
  return countryList().find((c) => c.code === code)?.name ?? code;
}
