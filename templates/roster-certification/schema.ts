import { z } from "zod";
import { field, type TemplateModule } from "../fields.ts";

export const variables = z.object({
  agencyName: field.text("Agency"),
  providerName: field.text("Vendor"),
  asOf: field.date("Roster as of"),
  certifier: field.text("Certified by"),
  certifierTitle: field.text("Certifier's title"),
});

export default { variables } satisfies TemplateModule;
