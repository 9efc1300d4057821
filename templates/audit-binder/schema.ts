import { z } from "zod";
import { field, type TemplateModule } from "../fields.ts";

export const variables = z.object({
  agencyName: field.text("Agency"),
  providerName: field.text("Vendor"),
  asOf: field.date("Binder date"),
  preparedFor: field.text("Prepared for"),
  preparedBy: field.text("Prepared by"),
});

export default { variables } satisfies TemplateModule;
