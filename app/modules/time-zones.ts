/**
 * The time zones of the United States and its territories, and the zone an agency's state
 * suggests. Many states span two zones (the Florida panhandle, El Paso, Michigan's Upper
 * Peninsula, the Navajo Nation in Arizona …): for those the suggestion is only where most of the
 * state keeps time, and the person creating the agency must choose.
 */
export const US_TIME_ZONES: readonly (readonly [zone: string, label: string])[] = [
  ["America/New_York", "Eastern (New York)"],
  ["America/Chicago", "Central (Chicago)"],
  ["America/Denver", "Mountain (Denver)"],
  ["America/Phoenix", "Arizona (no daylight saving)"],
  ["America/Los_Angeles", "Pacific (Los Angeles)"],
  ["America/Anchorage", "Alaska (Anchorage)"],
  ["America/Adak", "Hawaii-Aleutian (Adak)"],
  ["Pacific/Honolulu", "Hawaii (Honolulu)"],
  ["America/Puerto_Rico", "Atlantic (Puerto Rico, U.S. Virgin Islands)"],
  ["Pacific/Guam", "Chamorro (Guam, Northern Mariana Islands)"],
  ["Pacific/Pago_Pago", "Samoa (American Samoa)"],
];

/** The same, with UTC, for times a person types (a notice given in UTC is exact). */
export const ENTRY_TIME_ZONES: readonly (readonly [zone: string, label: string])[] = [...US_TIME_ZONES, ["UTC", "UTC"]];

export const isUsTimeZone = (zone: string) => US_TIME_ZONES.some(([z]) => z === zone);
export const timeZoneLabel = (zone: string) => ENTRY_TIME_ZONES.find(([z]) => z === zone)?.[1] ?? zone;

const E = "America/New_York";
const C = "America/Chicago";
const M = "America/Denver";
const P = "America/Los_Angeles";

/** States and territories kept on one zone throughout. */
const SINGLE: Record<string, string> = {
  ...Object.fromEntries("CT DE DC GA ME MD MA NH NJ NY NC OH PA RI SC VT VA WV".split(" ").map((s) => [s, E])),
  ...Object.fromEntries("AL AR IL IA LA MN MS MO OK WI".split(" ").map((s) => [s, C])),
  ...Object.fromEntries("CO MT NM UT WY".split(" ").map((s) => [s, M])),
  CA: P,
  WA: P,
  HI: "Pacific/Honolulu",
  PR: "America/Puerto_Rico",
  VI: "America/Puerto_Rico",
  GU: "Pacific/Guam",
  MP: "Pacific/Guam",
  AS: "Pacific/Pago_Pago",
};

/** States on two zones, with the zone most of the state keeps. */
const SPLIT: Record<string, string> = {
  FL: E,
  IN: E,
  KY: E,
  MI: E,
  TN: C,
  TX: C,
  KS: C,
  NE: C,
  ND: C,
  SD: C,
  ID: M,
  AZ: "America/Phoenix",
  OR: P,
  NV: P,
  AK: "America/Anchorage",
};

/** The zone an agency's state suggests, and whether the state leaves no doubt. */
export function zoneForState(state: string | null | undefined): { zone: string; certain: boolean } | null {
  const code = (state ?? "").toUpperCase();
  if (SINGLE[code]) return { zone: SINGLE[code], certain: true };
  if (SPLIT[code]) return { zone: SPLIT[code], certain: false };
  return null;
}

/** Where an organisation without a state (a vendor, the platform) starts until its administrator chooses. */
export const DEFAULT_TIME_ZONE = E;
