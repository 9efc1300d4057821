import { acceptedFilesOf, evidenceOfVendor } from "../../evidence/for-documents.server.ts";
import type { TableBlock } from "../model.ts";
import { actorName, agencyName, vendorSubject } from "./subjects.server.ts";
import type { Attachment, TemplateSource } from "./types.ts";

/**
 * The audit binder: the register of a vendor's accepted evidence, and the
 * accepted PDF files themselves appended after it as exhibits (the binder
 * renderer numbers their pages and stamps each with its hash and date).
 */

async function accepted(ctx: Parameters<NonNullable<TemplateSource["data"]>>[0], vendorId: string) {
  const items = (await evidenceOfVendor(ctx, vendorId)).filter((e) => e.status === "accepted");
  const files = await acceptedFilesOf(
    ctx,
    items.map((i) => i.id),
  );
  return { items, files };
}

/** The tables the binder's assembler fills with page numbers (binder.server.ts) finds by these captions. */
export const CONTENTS_CAPTION = "Contents";
export const REGISTER_CAPTION = "Evidence register";

export const binderSource: TemplateSource = {
  async prefill(ctx, vendorId) {
    const subject = await vendorSubject(ctx, vendorId);
    return {
      subject,
      values: {
        agencyName: await agencyName(ctx),
        providerName: subject.label,
        asOf: ctx.today,
        preparedBy: await actorName(ctx),
      },
      suggested: { preparedFor: "State CJIS Systems Agency audit" },
    };
  },
  async data(ctx, subject) {
    const { items, files } = await accepted(ctx, subject.vendorId!);
    let exhibit = 0;
    const register: TableBlock = {
      t: "table",
      caption: REGISTER_CAPTION,
      columns: ["Exhibit", "Item", "Kind", "Accepted on", "Expires", "File", "SHA-256"],
      rows: items.flatMap((item) => {
        const mine = files.filter((f) => f.itemId === item.id);
        if (mine.length === 0)
          return [["—", item.title, item.kind, item.acceptedOn ?? "", item.expiresOn ?? "no expiry", "no file", ""]];
        return mine.map((f) => [
          f.mediaType === "application/pdf" ? String(++exhibit) : "not a PDF: held in Custody",
          item.title,
          item.kind,
          item.acceptedOn ?? "",
          item.expiresOn ?? "no expiry",
          f.filename,
          f.sha256,
        ]);
      }),
      empty: "The vendor has no accepted evidence.",
    };
    // The page numbers are filled in as the binder is assembled (binder.server.ts).
    const contents: TableBlock = {
      t: "table",
      caption: CONTENTS_CAPTION,
      columns: ["Part", "Page"],
      rows: [[REGISTER_CAPTION, ""]],
      empty: "",
    };
    return { contents, register };
  },
  async attachments(ctx, subject): Promise<Attachment[]> {
    const { items, files } = await accepted(ctx, subject.vendorId!);
    return items.flatMap((item) =>
      files
        .filter((f) => f.itemId === item.id && f.mediaType === "application/pdf")
        .map((f) => ({
          itemId: item.id,
          title: item.title,
          kind: item.kind,
          acceptedOn: item.acceptedOn ?? "",
          filename: f.filename,
          sha256: f.sha256,
          sealed: { blobSha256: f.blobSha256, keyId: f.keyId, nonce: f.nonce, authTag: f.authTag },
        })),
    );
  },
};
