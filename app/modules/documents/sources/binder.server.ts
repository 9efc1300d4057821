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
    // What the binder does not hold is said on its cover, before what it holds.
    const all = await evidenceOfVendor(ctx, subject.vendorId!);
    const count = (pred: (e: (typeof all)[number]) => boolean) => all.filter(pred).length;
    const notReceived = count((e) => e.status === "requested");
    const inReview = count((e) => e.status === "submitted" || e.status === "under-review");
    const rejected = count((e) => e.status === "rejected");
    const expired = items.filter((e) => e.expiresOn !== null && e.expiresOn < ctx.today).length;
    const openingText =
      all.length === 0
        ? "No evidence has been requested from or recorded for this vendor, so this binder holds no exhibit; it does not show that the vendor's controls were checked."
        : `This binder holds only accepted evidence: ${items.length} of the ${all.length} items requested from or recorded for this vendor. ` +
          [
            notReceived > 0 ? `${notReceived} requested ${notReceived === 1 ? "item has" : "items have"} not been received` : "",
            inReview > 0 ? `${inReview} received ${inReview === 1 ? "is" : "are"} still under review` : "",
            rejected > 0 ? `${rejected} ${rejected === 1 ? "was" : "were"} rejected and not yet replaced` : "",
            expired > 0 ? `${expired} accepted ${expired === 1 ? "item has" : "items have"} expired` : "",
          ]
            .filter(Boolean)
            .join("; ")
            .replace(/^./, (c) => c.toUpperCase()) +
          (notReceived + inReview + rejected + expired > 0 ? "." : "Nothing requested is outstanding.");
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
      columns: ["Part", "Page", "Note"],
      rows: [[REGISTER_CAPTION, "", ""]],
      empty: "",
    };
    return { opening: { t: "paras", paragraphs: [openingText] }, contents, register };
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
