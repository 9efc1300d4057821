import { readFileSync } from "node:fs";
import fontkit from "@pdf-lib/fontkit";
import { AFRelationship, PDFDict, PDFDocument, PDFName, rgb, type PDFFont } from "pdf-lib";
import type { BlobStore } from "../blobs/store.server.ts";
import type { ModuleContext } from "../context.server.ts";
import { openSealed } from "../blobs/sealed-files.server.ts";
import type { DocumentModel, TableBlock } from "./model.ts";
import { FONT_FILES, renderPdfWithLayout } from "./render-pdf.server.ts";
import { CONTENTS_CAPTION, REGISTER_CAPTION } from "./sources/binder.server.ts";
import type { Attachment, SourceEnv } from "./sources/types.ts";
import { itemReceipt } from "../evidence/custody.server.ts";
import { eventsAbout } from "../audit/viewer.server.ts";

/**
 * The audit binder: the generated, tagged front part (cover, contents,
 * register) drawn by pdfkit, then each accepted evidence PDF appended as an
 * exhibit with pdf-lib — which cannot write tagged content but copies pages
 * faithfully — every appended page stamped with its exhibit number, the
 * file's SHA-256, the date it was accepted and its page in the binder. The
 * front part is drawn twice: once to learn how many pages it takes, once
 * with the contents' page numbers filled in. The contents say which exhibits
 * rely on fonts the file does not carry (a reader draws those with a
 * substitute), and the stamps are written in the embedded DejaVu Sans, so the
 * binder adds no such font of its own.
 */

const STAMP_HEIGHT = 22;

async function bytesOf(stream: NodeJS.ReadableStream) {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** What an exhibit is, as the first pass found it: its page count and the fonts it uses without carrying them, or why it cannot be included. */
type Exhibit = { pages: number; unembedded: string[] } | string;

/**
 * The fonts a PDF names but does not carry (no font file in its descriptor: the
 * standard 14 such as Helvetica, or a font the producer left out), by name. Type 3
 * fonts are drawn by the file itself; a composite (Type 0) font is judged by its
 * descendant, which is listed in the file as a font of its own.
 */
export function unembeddedFonts(doc: PDFDocument): string[] {
  const names = new Set<string>();
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of("Type")) !== PDFName.of("Font")) continue;
    const subtype = object.get(PDFName.of("Subtype"));
    if (subtype === PDFName.of("Type0") || subtype === PDFName.of("Type3")) continue;
    const descriptor = object.lookupMaybe(PDFName.of("FontDescriptor"), PDFDict);
    const carried = ["FontFile", "FontFile2", "FontFile3"].some((key) => descriptor?.has(PDFName.of(key)));
    if (carried) continue;
    const base = object.get(PDFName.of("BaseFont"));
    names.add(base instanceof PDFName ? base.decodeText() : "unnamed font");
  }
  return [...names].sort();
}

/** The contents table, with the page each part starts on and what a reader should know of each exhibit. */
function contentsWithPages(
  model: DocumentModel,
  registerPage: number,
  exhibitPages: number[],
  attachments: Attachment[],
  exhibits: Exhibit[],
): DocumentModel {
  const note = (e: Exhibit | undefined) =>
    e === undefined
      ? ""
      : typeof e === "string"
        ? `Not included: ${e}. The file is held in Custody.`
        : e.unembedded.length > 0
          ? `Fonts not embedded in the file: ${e.unembedded.join(", ")}. A reader draws them with a substitute, so the text may look different from the vendor's original; the SHA-256 identifies the file as received.`
          : "";
  const rows = [
    [REGISTER_CAPTION, String(registerPage), ""],
    ...attachments.map((a, i) => [`Exhibit ${i + 1}: ${a.title} (${a.filename})`, String(exhibitPages[i]), note(exhibits[i])]),
  ];
  return {
    ...model,
    blocks: model.blocks.map((b) =>
      b.t === "table" && b.caption === CONTENTS_CAPTION ? ({ ...b, rows } satisfies TableBlock) : b,
    ),
  };
}

/** An exhibit opened from the store, or why it cannot be. */
async function openExhibit(ctx: ModuleContext, blobs: BlobStore, a: Attachment): Promise<PDFDocument | string> {
  try {
    return await PDFDocument.load(await bytesOf(await openSealed(blobs, ctx.secrets, a.sealed)), { updateMetadata: false });
  } catch (error) {
    return error instanceof Error && /encrypt/i.test(error.message)
      ? "the file is password-protected"
      : "the file could not be read as a PDF";
  }
}

export async function renderBinder(
  ctx: ModuleContext,
  blobs: BlobStore,
  model: DocumentModel,
  attachments: Attachment[],
  env: SourceEnv,
) {
  // First pass: each exhibit's page count (an unreadable file becomes one explanatory page). Exhibits
  // are opened one at a time, here and when copied, so memory holds the binder and one exhibit, not all.
  const loaded: Exhibit[] = [];
  for (const a of attachments) {
    const doc = await openExhibit(ctx, blobs, a);
    loaded.push(typeof doc === "string" ? doc : { pages: doc.getPageCount(), unembedded: unembeddedFonts(doc) });
  }
  const pagesOf = (d: Exhibit) => (typeof d === "string" ? 1 : d.pages);
  const registerIndex = model.blocks.findIndex((b) => b.t === "table" && b.caption === REGISTER_CAPTION);
  const starts = (front: number) => {
    let next = front + 1;
    return loaded.map((d) => {
      const start = next;
      next += pagesOf(d);
      return start;
    });
  };
  const draft = await renderPdfWithLayout(contentsWithPages(model, 0, starts(0), attachments, loaded));
  let front = draft.pageCount;
  let final = contentsWithPages(model, draft.blockPages[registerIndex] ?? 1, starts(front), attachments, loaded);
  const total = () => front + loaded.reduce<number>((n, d) => n + pagesOf(d), 0);
  let rendered = await renderPdfWithLayout(final, { totalPages: total() });
  if (rendered.pageCount !== front) {
    front = rendered.pageCount;
    final = contentsWithPages(model, rendered.blockPages[registerIndex] ?? 1, starts(front), attachments, loaded);
    rendered = await renderPdfWithLayout(final, { totalPages: total() });
  }

  const binder = await PDFDocument.load(rendered.bytes, { updateMetadata: false });
  binder.registerFontkit(fontkit);
  const font = await binder.embedFont(readFileSync(FONT_FILES.regular), { subset: true });
  const totalPages = total();
  let pageNumber = front;
  for (const [i, a] of attachments.entries()) {
    const known = loaded[i]!;
    const doc = typeof known === "string" ? known : await openExhibit(ctx, blobs, a);
    const stamp = `Exhibit ${i + 1} - accepted ${a.acceptedOn} - SHA-256 ${a.sha256}`;
    if (typeof doc === "string") {
      const page = binder.addPage([612, 792]);
      pageNumber += 1;
      page.drawText(`Exhibit ${i + 1}: not included`, { x: 72, y: 700, size: 14, font });
      page.drawText(`The accepted file ${a.filename} could not be added: ${doc}.`, {
        x: 72,
        y: 676,
        size: 10,
        font,
        maxWidth: 468,
      });
      page.drawText("It is held in Custody and can be downloaded from the evidence register.", {
        x: 72,
        y: 660,
        size: 10,
        font,
        maxWidth: 468,
      });
      drawStamp(page, font, stamp, pageNumber, totalPages);
      continue;
    }
    const copied = await binder.copyPages(doc, doc.getPageIndices());
    for (const page of copied) {
      binder.addPage(page);
      pageNumber += 1;
      drawStamp(page, font, stamp, pageNumber, totalPages);
    }
  }
  // Each exhibit carries its custody receipt (decision 0026), attached to the PDF as a file of its own.
  for (const [i, a] of attachments.entries()) {
    const events = await eventsAbout(ctx.db, "evidence-item", a.itemId);
    const receipt = await itemReceipt(
      ctx,
      { id: a.itemId, title: a.title },
      events.map((e) => e.id),
      { publicUrl: env.publicUrl, publicKeyPem: env.auditPublicKeyPem ?? null },
    );
    await binder.attach(Buffer.from(JSON.stringify(receipt, null, 2) + "\n"), `exhibit-${i + 1}-custody-receipt.json`, {
      mimeType: "application/json",
      description: `Custody receipt of exhibit ${i + 1} (${a.title}): each event of its chain of custody with its proof in the signed audit log`,
      creationDate: ctx.now,
      modificationDate: ctx.now,
      afRelationship: AFRelationship.Supplement,
    });
  }
  return { bytes: Buffer.from(await binder.save()), model: final };
}

function drawStamp(page: ReturnType<PDFDocument["addPage"]>, font: PDFFont, text: string, pageNumber: number, total: number) {
  const { width } = page.getSize();
  page.drawRectangle({ x: 0, y: 0, width, height: STAMP_HEIGHT, color: rgb(1, 1, 1), opacity: 0.92 });
  page.drawText(text, { x: 18, y: 8, size: 6.5, font, color: rgb(0.1, 0.1, 0.1) });
  const label = `Binder page ${pageNumber} of ${total}`;
  page.drawText(label, { x: width - 18 - font.widthOfTextAtSize(label, 6.5), y: 8, size: 6.5, font, color: rgb(0.1, 0.1, 0.1) });
}
