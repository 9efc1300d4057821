import { z } from "zod";
import { field, type TemplateModule } from "../fields.ts";

export const variables = z.object({
  agencyName: field.text("Agency"),
  asOf: field.date("Report date"),
  preparedFor: field.text("Prepared for", "e.g. the state CJIS Systems Agency's triennial audit."),
  preparedBy: field.text("Prepared by"),
});

export default { variables } satisfies TemplateModule;
