import { z } from "zod";
import { field, type TemplateModule } from "../fields.ts";

export const variables = z.object({
  agencyName: field.text("Agency"),
  providerName: field.text("Vendor"),
  letterDate: field.date("Date of the letter"),
  recipient: field.text("Addressed to", "The vendor's security contact or representative."),
  portalUrl: field.url("Portal address"),
  signatory: field.text("Signed by"),
  signatoryTitle: field.text("Signatory's title"),
});

export default { variables } satisfies TemplateModule;
