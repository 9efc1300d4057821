import { z } from "zod";
import { field, type TemplateModule } from "../fields.ts";

export const variables = z.object({
  agencyName: field.text("Agency"),
  providerName: field.text("Vendor"),
  contractTitle: field.text("Contract"),
  memoDate: field.date("Date of the memo"),
  recipient: field.address("To", "The vendor's counsel and their address, on as many lines as it takes."),
  sender: field.text("From"),
  senderTitle: field.text("Sender's title"),
  replyBy: field.date("Reply requested by"),
});

export default { variables } satisfies TemplateModule;
