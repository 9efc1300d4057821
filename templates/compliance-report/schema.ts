import { z } from "zod";
import { field, type TemplateModule } from "../fields.ts";

export const variables = z.object({
  agencyName: field.text("Agency"),
  providerName: field.text("Vendor"),
  contractTitle: field.text("Contract"),
  asOf: field.date("Report date", "Expiry windows are counted from this date."),
  preparedBy: field.text("Prepared by"),
});

export default { variables } satisfies TemplateModule;
