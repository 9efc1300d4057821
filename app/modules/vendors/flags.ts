import { ALLOWED_STORAGE_COUNTRIES, countryName, DATA_CATEGORIES, type DataCategory } from "./vocabulary.ts";

/**
 * What an agency's record of a vendor says is wrong, in plain words with the
 * rule it breaks. Computed, never stored, so a fixed record stops being flagged.
 */
export type VendorFlag = {
  code: "storage-location" | "key-custody-provider" | "no-encryption" | "key-custody-unknown" | "no-legal-notice-address";
  message: string;
  cites: string;
};

export function vendorFlags(
  profile: {
    keyCustody: string | null;
    legalNoticeAddress: string | null;
    locations: { dataCategory: string; country: string; region: string }[];
  } | null,
): VendorFlag[] {
  if (!profile) return [];
  const flags: VendorFlag[] = [];
  for (const l of profile.locations) {
    if (!ALLOWED_STORAGE_COUNTRIES.has(l.country)) {
      flags.push({
        code: "storage-location",
        message: `${DATA_CATEGORIES[l.dataCategory as DataCategory] ?? l.dataCategory} is stored in ${countryName(l.country)}${l.region ? ` (${l.region})` : ""}, outside the United States, its territories and Canada.`,
        cites: "CJIS Security Policy v6.0 SC-28",
      });
    }
  }
  if (profile.keyCustody === "provider") {
    flags.push({
      code: "key-custody-provider",
      message:
        "The provider holds the encryption keys: its staff who can reach them count as having access to CJI and need fingerprint checks and the Security Addendum.",
      cites: "CJIS Security Policy v6.0 SC-12, Appendix G.3",
    });
  } else if (profile.keyCustody === "none") {
    flags.push({
      code: "no-encryption",
      message: "Data at rest is not encrypted.",
      cites: "CJIS Security Policy v6.0 SC-28; IACP principle 10",
    });
  } else if (profile.keyCustody === null) {
    flags.push({
      code: "key-custody-unknown",
      message: "Who holds the encryption keys is not recorded.",
      cites: "CJIS Security Policy v6.0 SC-12",
    });
  }
  if (!profile.legalNoticeAddress?.trim()) {
    flags.push({
      code: "no-legal-notice-address",
      message: "No legal-notice address: breach and legal-process notices have no agreed source.",
      cites: "IACP principle 4; CJIS Security Policy v6.0 IR-6",
    });
  }
  return flags;
}
