import { todayOf } from "../../contracts/lifecycle.ts";
import { acceptedFilesOf, evidenceOfVendor } from "../../evidence/for-documents.server.ts";
import type { TableBlock } from "../model.ts";
import { actorName, agencyName, vendorSubject } from "./compliance.server.ts";
import type { Attachment, TemplateSource } from "./types.ts";

/**
 * The audit binder: the register of a vendor's accepted evidence, and the
 * accepted PDF files themselves appended after it as exhibits (the binder
 * renderer numbers their pages and stamps each with its hash and date).
 */

const utcDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");

async function accepted(ctx: Parameters<NonNullable<TemplateSource["data"]>>[0], vendorId: string) {
  const items = (await evidenceOfVendor(ctx, vendorId)).filter((e) => e.status === "accepted");
  const files = await acceptedFilesOf(ctx, items.map((i) => i.id));
  return { items, files };
}

export const binderSource: TemplateSource = {
  async prefill(ctx, vendorId) {
    const subject = await vendorSubject(ctx, vendorId);
    return {
      subject,
      values: { agencyName: await agencyName(ctx), providerName: subject.label, asOf: todayOf(ctx.now), preparedBy: await actorName(ctx) },
      suggested: { preparedFor: "State CJIS Systems Agency audit" },
    };
  },
  async data(ctx, subject) {
    const { items, files } = await accepted(ctx, subject.vendorId!);
    let exhibit = 0;
    const register: TableBlock = {
      t: "table",
      caption: "Evidence register",
      columns: ["Exhibit", "Item", "Kind", "Accepted on", "Expires", "File", "SHA-256"],
      rows: items.flatMap((item) => {
        const mine = files.filter((f) => f.itemId === item.id);
        if (mine.length === 0) return [["—", item.title, item.kind, utcDay(item.acceptedAt), item.expiresOn ?? "no expiry", "no file", ""]];
        return mine.map((f) => [f.mediaType === "application/pdf" ? String(++exhibit) : "not a PDF: held in Custody", item.title, item.kind, utcDay(item.acceptedAt), item.expiresOn ?? "no expiry", f.filename, f.sha256]);
      }),
      empty: "The vendor has no accepted evidence.",
    };
    // The page numbers are filled in as the binder is assembled (binder.server.ts).
    const contents: TableBlock = { t: "table", caption: "Contents", columns: ["Part", "Page"], rows: [["Evidence register", ""]], empty: "" };
    return { contents, register };
  },
  async attachments(ctx, subject): Promise<Attachment[]> {
    const { items, files } = await accepted(ctx, subject.vendorId!);
    return items.flatMap((item) =>
      files
        .filter((f) => f.itemId === item.id && f.mediaType === "application/pdf")
        .map((f) => ({ itemId: item.id, title: item.title, kind: item.kind, acceptedOn: utcDay(item.acceptedAt), filename: f.filename, sha256: f.sha256, sealed: { blobSha256: f.blobSha256, keyId: f.keyId, nonce: f.nonce, authTag: f.authTag } })),
    );
  },
};
