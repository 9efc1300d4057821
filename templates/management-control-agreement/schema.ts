import { z } from "zod";
import { KEY_CUSTODY_WORDING, securityTermFields } from "../cjis-addendum/schema.ts";
import { field, type TemplateModule } from "../fields.ts";

export const variables = z.object({
  agencyName: field.text("Agency (legal name)"),
  providerName: field.text("Provider (the government body's legal name)"),
  contractTitle: field.text("Service or agreement this covers"),
  ...securityTermFields,
  auditIntervalMonths: field.count("Audit interval (months)", 1, 36, "month"),
  keyCustody: field.choice("Who holds the encryption keys", KEY_CUSTODY_WORDING),
  personnelChangeHours: field.count("Personnel change notice (hours)", 1, 168, "hour"),
  governingLaw: field.text("Governing law", "e.g. the Commonwealth of Virginia."),
});

export default { variables } satisfies TemplateModule;
