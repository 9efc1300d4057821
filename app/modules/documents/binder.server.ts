import { PDFDocument, rgb, StandardFonts } from "pdf-lib";
import type { BlobStore } from "../blobs/store.server.ts";
import type { ModuleContext } from "../context.server.ts";
import { openSealed } from "../blobs/sealed-files.server.ts";
import type { DocumentModel, TableBlock } from "./model.ts";
import { renderPdfWithLayout } from "./render-pdf.server.ts";
import { CONTENTS_CAPTION, REGISTER_CAPTION } from "./sources/binder.server.ts";
import type { Attachment } from "./sources/types.ts";

/**
 * The audit binder: the generated, tagged front part (cover, contents,
 * register) drawn by pdfkit, then each accepted evidence PDF appended as an
 * exhibit with pdf-lib — which cannot write tagged content but copies pages
 * faithfully — every appended page stamped with its exhibit number, the
 * file's SHA-256, the date it was accepted and its page in the binder. The
 * front part is drawn twice: once to learn how many pages it takes, once
 * with the contents' page numbers filled in.
 */

const STAMP_HEIGHT = 22;

async function bytesOf(stream: NodeJS.ReadableStream) {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The contents table, with the page each part starts on. */
function contentsWithPages(
  model: DocumentModel,
  registerPage: number,
  exhibitPages: number[],
  attachments: Attachment[],
): DocumentModel {
  const rows = [
    [REGISTER_CAPTION, String(registerPage)],
    ...attachments.map((a, i) => [`Exhibit ${i + 1}: ${a.title} (${a.filename})`, String(exhibitPages[i])]),
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

export async function renderBinder(ctx: ModuleContext, blobs: BlobStore, model: DocumentModel, attachments: Attachment[]) {
  // First pass: each exhibit's page count (an unreadable file becomes one explanatory page). Exhibits
  // are opened one at a time, here and when copied, so memory holds the binder and one exhibit, not all.
  const loaded: (number | string)[] = [];
  for (const a of attachments) {
    const doc = await openExhibit(ctx, blobs, a);
    loaded.push(typeof doc === "string" ? doc : doc.getPageCount());
  }
  const pagesOf = (d: number | string) => (typeof d === "string" ? 1 : d);
  const registerIndex = model.blocks.findIndex((b) => b.t === "table" && b.caption === REGISTER_CAPTION);
  const starts = (front: number) => {
    let next = front + 1;
    return loaded.map((d) => {
      const start = next;
      next += pagesOf(d);
      return start;
    });
  };
  const draft = await renderPdfWithLayout(contentsWithPages(model, 0, starts(0), attachments));
  let front = draft.pageCount;
  let final = contentsWithPages(model, draft.blockPages[registerIndex] ?? 1, starts(front), attachments);
  const total = () => front + loaded.reduce<number>((n, d) => n + pagesOf(d), 0);
  let rendered = await renderPdfWithLayout(final, { totalPages: total() });
  if (rendered.pageCount !== front) {
    front = rendered.pageCount;
    final = contentsWithPages(model, rendered.blockPages[registerIndex] ?? 1, starts(front), attachments);
    rendered = await renderPdfWithLayout(final, { totalPages: total() });
  }

  const binder = await PDFDocument.load(rendered.bytes, { updateMetadata: false });
  const font = await binder.embedFont(StandardFonts.Helvetica);
  const totalPages = total();
  let pageNumber = front;
  for (const [i, a] of attachments.entries()) {
    const doc = typeof loaded[i] === "string" ? loaded[i] : await openExhibit(ctx, blobs, a);
    const stamp = `Exhibit ${i + 1} - accepted ${a.acceptedOn} - SHA-256 ${a.sha256}`;
    if (typeof doc === "string") {
      const page = binder.addPage([612, 792]);
      pageNumber += 1;
      page.drawText(`Exhibit ${i + 1}: not included`, { x: 72, y: 700, size: 14, font });
      page.drawText(`The accepted file ${ascii(a.filename)} could not be added: ${doc}.`, {
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
  return { bytes: Buffer.from(await binder.save()), model: final };
}

/** Helvetica in pdf-lib writes Windows-1252 only; a stamp keeps to plain ASCII. */
const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, "?");

function drawStamp(
  page: ReturnType<PDFDocument["addPage"]>,
  font: Awaited<ReturnType<PDFDocument["embedFont"]>>,
  text: string,
  pageNumber: number,
  total: number,
) {
  const { width } = page.getSize();
  page.drawRectangle({ x: 0, y: 0, width, height: STAMP_HEIGHT, color: rgb(1, 1, 1), opacity: 0.92 });
  page.drawText(ascii(text), { x: 18, y: 8, size: 6.5, font, color: rgb(0.1, 0.1, 0.1) });
  const label = `Binder page ${pageNumber} of ${total}`;
  page.drawText(label, { x: width - 18 - font.widthOfTextAtSize(label, 6.5), y: 8, size: 6.5, font, color: rgb(0.1, 0.1, 0.1) });
}
