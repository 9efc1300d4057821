import { AFRelationship, PDFDocument } from "pdf-lib";
import type { Receipt } from "../audit/proofs.server.ts";
import type { DocumentModel } from "./model.ts";
import { renderPdf } from "./render-pdf.server.ts";

/** Draw a chain-of-custody report (tagged, like every document) and attach its signed receipt to the file. */
export async function custodyPdf(model: DocumentModel, receipt: Receipt, receiptName: string): Promise<Buffer> {
  const doc = await PDFDocument.load(await renderPdf(model), { updateMetadata: false });
  await doc.attach(Buffer.from(JSON.stringify(receipt, null, 2) + "\n"), receiptName, {
    mimeType: "application/json",
    description: "Signed custody receipt: each event with its inclusion proof in the audit log",
    creationDate: new Date(receipt.generatedAt),
    modificationDate: new Date(receipt.generatedAt),
    afRelationship: AFRelationship.Supplement,
  });
  return Buffer.from(await doc.save());
}
