import { z } from "zod";
import { field, type TemplateModule } from "../fields.ts";

export const KEY_CUSTODY_WORDING = {
  agency: "the Agency alone holds and manages the keys; the Provider has no access to them",
  provider: "the Provider holds and manages the keys on the Agency's behalf",
  shared: "the keys are held in a service the Provider operates, and the Agency controls their use and revocation",
} as const;

/** The dates and security terms every CJIS agreement with a provider carries (this addendum and the management control agreement). */
export const securityTermFields = {
  effectiveDate: field.date("Effective date"),
  cjisPolicyVersion: field.text("CJIS Security Policy version", "The version in force when the agreement is signed, e.g. 6.0."),
  cjisPolicyDate: field.date("Date of that CJIS Security Policy version"),
  breachNoticeHours: field.count(
    "Security incident notice (hours)",
    1,
    72,
    "hour",
    "CJIS Security Policy IR-6 expects suspected incidents to be reported within one hour.",
  ),
};

export const variables = z.object({
  agencyName: field.text("Agency (legal name)"),
  providerName: field.text("Provider (legal name)"),
  contractTitle: field.text("Agreement this addendum amends"),
  ...securityTermFields,
  legalProcessNoticeHours: field.count("Legal process notice (hours)", 1, 720, "hour"),
  auditIntervalMonths: field.count("Audit interval (months)", 1, 36, "month"),
  insuranceMinimum: field.money("Cyber-liability insurance minimum (US dollars)"),
  dataCategories: field.lines("Data categories covered", "One category per line, e.g. body-worn camera video."),
  storageLocations: field.lines("Storage locations", "One location per line, e.g. United States — Arizona."),
  keyCustody: field.choice("Who holds the encryption keys", KEY_CUSTODY_WORDING),
  providerStaffAccess: field.flag(
    "Provider staff can reach unencrypted Agency Data (administration, support or operations)",
    "Leave ticked unless the Provider never sees Agency Data unencrypted. Staff with that reach, or with the keys, are screened, trained and kept on the roster (CJIS Security Policy PS-3, AT-2, PS-7).",
  ),
  personnelRoster: field.flag("The contract requires a personnel roster in the portal"),
  personnelChangeHours: field.count("Personnel change notice (hours)", 1, 168, "hour"),
  availabilityCritical: field.percent("Availability of critical services (%)"),
  availabilityEssential: field.percent("Availability of essential services (%)"),
  availabilityStandard: field.percent("Availability of standard services (%)"),
  availabilityArchive: field.percent("Availability of archives (%)"),
  exportFormats: field.text("Export formats", "Named in the portability clause."),
  deletionDays: field.count("Deletion after return (days)", 1, 180, "day"),
  locationChangeNoticeDays: field.count("Notice before data moves (days)", 0, 365, "day"),
  businessChangeNoticeDays: field.count("Notice before a merger or change of control (days)", 0, 365, "day"),
  governingLaw: field.text("Governing law", "e.g. the State of Arizona."),
});

/** Provider staff who can reach the keys count as having access to CJI (CJIS Security Policy SC-12, Appendix G.3). */
const providerHoldsKeys = (values: Record<string, unknown>) => values.keyCustody !== "agency";

export const predicates = {
  providerHoldsKeys,
  /**
   * Whoever can reach unencrypted CJI or its keys is screened, trained and on the roster (IACP principle 10;
   * CJIS Security Policy PS-3, AT-2, PS-7), and so is anyone a contract requiring a roster names.
   */
  providerStaffReachCji: (values: Record<string, unknown>) =>
    providerHoldsKeys(values) || values.providerStaffAccess === true || values.personnelRoster === true,
};

export default { variables, predicates } satisfies TemplateModule;
