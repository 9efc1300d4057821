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

const NOT_COUNTRIES = new Set(["EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AA"]);
let countries: { code: string; name: string }[] | null = null;

/** Countries and territories by ISO 3166-1 alpha-2 code, named by the platform's own Unicode data. */
export function countryList() {
  if (countries) return countries;
  const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
  const found: { code: string; name: string }[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code)) continue;
      const name = names.of(code);
      if (name && name !== code) found.push({ code, name });
    }
  }
  countries = found.sort((x, y) => x.name.localeCompare(y.name));
  return countries;
}

export function countryName(code: string) {
  return countryList().find((c) => c.code === code)?.name ?? code;
}
