import { createReadStream } from "node:fs";
import { open, readFile, rm } from "node:fs/promises";
import { fileTypeFromFile } from "file-type";
import yauzl from "yauzl";
import type { BlobStore } from "./store.server.ts";

/** An upload spooled to disk, hashed as it arrived. */
export type SpooledUpload = { spoolPath: string; filename: string; size: number; sha256: string; declaredType: string };

/** The kinds of file Custody accepts, recognised by their bytes, never by their name. */
export const CONTENT_KINDS = {
  pdf: { mediaType: "application/pdf", label: "PDF" },
  docx: { mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word document (DOCX)" },
  xlsx: { mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", label: "Excel workbook (XLSX)" },
  png: { mediaType: "image/png", label: "PNG image" },
  jpg: { mediaType: "image/jpeg", label: "JPEG image" },
  csv: { mediaType: "text/csv; charset=utf-8", label: "CSV" },
  txt: { mediaType: "text/plain; charset=utf-8", label: "plain text" },
} as const;
export type ContentKind = keyof typeof CONTENT_KINDS;

/** Why a file's bytes were refused, in words for the person who uploaded it. */
export class ContentRefused extends Error {
  override name = "ContentRefused";
}

/** An Office file (a zip) may expand to at most this much, and at most this many times its size. */
const ZIP_MAX_EXPANDED = 512 * 1024 * 1024;
const ZIP_MAX_RATIO = 100;
const ZIP_MAX_ENTRIES = 10_000;

/** What the bytes of a file really are, among the kinds accepted; null when none. */
export async function detectContent(file: string, accept: readonly ContentKind[], filename = ""): Promise<ContentKind | null> {
  const found = await fileTypeFromFile(file).catch(() => undefined);
  if (found) {
    if (MARKUP_TYPES.has(found.ext)) throw new ContentRefused(MARKUP_REFUSED);
    const kind = found.ext as ContentKind;
    return accept.includes(kind) ? kind : null;
  }
  // No binary signature: it may be text. CSV and plain text differ only by their use.
  if (!accept.includes("csv") && !accept.includes("txt")) return null;
  const text = await plainText(file);
  if (text === "not text") return null;
  if (text === "markup") throw new ContentRefused(MARKUP_REFUSED);
  if (/\.csv$/i.test(filename) && accept.includes("csv")) return "csv";
  return accept.includes("txt") ? "txt" : null;
}

/** What file-type calls the markup it recognises by signature. */
const MARKUP_TYPES = new Set<string>(["xml", "svg", "html", "htm", "xhtml", "mathml"]);

const MARKUP_REFUSED =
  "This file is web markup (HTML, SVG or XML), which can run script when it is opened, so Custody does not store it. Print or save it as PDF and upload that.";

/**
 * Markup a browser or viewer would render (and run script in): a document type or XML
 * declaration, or an element that carries or loads active content. Plain prose that mentions
 * a tag in words ("the <b> element") is not caught; a tag with attributes or a script is.
 */
const MARKUP =
  /<\s*(?:!doctype\s+html|\?xml\b|html\b|svg\b|script\b|iframe\b|object\b|embed\b|body\b|head\b|meta\b|link\b|style\b|form\b|img\b|base\b|math\b|foreignobject\b|xsl:)|<[a-z][a-z0-9:-]*\s[^>]*\b(?:on[a-z]+|href|src|xlink:href|formaction)\s*=/i;

/**
 * UTF-8 throughout, with no control characters beyond tab, line feed, form feed and carriage
 * return, and no markup. Read in chunks, with each chunk's end carried into the next so a tag
 * split across two chunks is still seen.
 */
async function plainText(file: string): Promise<"text" | "markup" | "not text"> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let carry = "";
  try {
    for await (const chunk of createReadStream(file)) {
      const text = decoder.decode(chunk as Buffer, { stream: true });
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return "not text";
      if (MARKUP.test(carry + text)) return "markup";
      carry = text.slice(-64);
    }
    decoder.decode();
    return "text";
  } catch {
    return "not text";
  }
}

/**
 * A PDF must be one PDF and nothing else: it has to parse (with the PDF library the documents
 * use), end at its last %%EOF (a few bytes of white space aside), and carry no ZIP directory in
 * its tail, where a zip reader looks for one: that is how a PDF/ZIP polyglot opens as an archive
 * in one program and as a document in another.
 */
const PDF_TRAILING_ALLOWANCE = 16;
const ZIP_EOCD_WINDOW = 65_557;

async function checkPdf(file: string, size: number) {
  const damaged = (why: string) =>
    new ContentRefused(`This PDF is damaged or not a PDF at all (${why}). Export or print it to PDF again and upload that.`);
  const tailLength = Math.min(size, ZIP_EOCD_WINDOW);
  const handle = await open(file, "r");
  const tail = Buffer.alloc(tailLength);
  try {
    await handle.read(tail, 0, tailLength, size - tailLength);
  } finally {
    await handle.close();
  }
  const eof = tail.lastIndexOf("%%EOF");
  if (eof < 0) throw damaged("it has no end-of-file marker");
  const after = tail.subarray(eof + 5);
  if (after.length > PDF_TRAILING_ALLOWANCE || /[^\s\0]/.test(after.toString("latin1")))
    throw new ContentRefused(
      "This PDF carries other data after its end (such as an attached archive), so it would open as something else in another program. Print or save it to PDF again and upload that.",
    );
  if (tail.includes(Buffer.from([0x50, 0x4b, 0x05, 0x06])) || tail.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06])))
    throw new ContentRefused(
      "This PDF also holds a ZIP archive's directory, so it opens as an archive in another program. Print or save it to PDF again and upload that.",
    );
  const { PDFDocument } = await import("pdf-lib");
  try {
    const pdf = await PDFDocument.load(await readFile(file), {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: true,
    });
    if (pdf.getPageCount() < 1) throw new Error("it has no pages");
  } catch (error) {
    throw damaged(error instanceof Error ? error.message.split("\n")[0]!.slice(0, 160) : "unreadable");
  }
}

/**
 * A DOCX or XLSX is a zip. Refuse one that expands far beyond its size (a zip bomb would
 * exhaust whoever opens it): the declared sizes are checked first, then every entry is
 * inflated and counted, so a zip that lies about its sizes is caught too.
 */
async function checkZipContainer(file: string, size: number, label: string) {
  const limit = Math.min(ZIP_MAX_EXPANDED, Math.max(size * ZIP_MAX_RATIO, 16 * 1024 * 1024));
  const bomb = () =>
    new ContentRefused(
      `This ${label} expands to far more than its size when opened (over ${Math.round(limit / (1024 * 1024))} MB), as a zip bomb does. It was not stored; export the document again and upload that.`,
    );
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (error, z) => (error ? reject(error) : resolve(z))),
  );
  try {
    if (zip.entryCount > ZIP_MAX_ENTRIES) throw bomb();
    let declared = 0;
    let inflated = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on("error", reject);
      zip.on("end", resolve);
      zip.on("entry", (entry: yauzl.Entry) => {
        declared += entry.uncompressedSize;
        if (declared > limit) return reject(bomb());
        if (entry.fileName.endsWith("/")) return zip.readEntry();
        zip.openReadStream(entry, (error, stream) => {
          if (error) return reject(error);
          stream.on("data", (chunk: Buffer) => {
            inflated += chunk.length;
            if (inflated > limit) stream.destroy(bomb());
          });
          stream.on("error", reject);
          stream.on("end", () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  } catch (error) {
    if (error instanceof ContentRefused) throw error;
    throw new ContentRefused(
      `This ${label} is damaged and cannot be opened (${error instanceof Error ? error.message : "unreadable"}). Export it again and upload that.`,
    );
  } finally {
    zip.close();
  }
}

/**
 * Check an upload's content (and, for Office files, that it is not a zip bomb). Returns its
 * kind and media type, or null when the bytes are none of the kinds accepted.
 */
export async function checkContent(upload: SpooledUpload, accept: readonly ContentKind[]) {
  const kind = await detectContent(upload.spoolPath, accept, upload.filename);
  if (!kind) return null;
  if (kind === "docx" || kind === "xlsx") await checkZipContainer(upload.spoolPath, upload.size, CONTENT_KINDS[kind].label);
  if (kind === "pdf") await checkPdf(upload.spoolPath, upload.size);
  return { kind, mediaType: CONTENT_KINDS[kind].mediaType };
}

/**
 * Check an upload's content and put it in the blob store under its hash. Called
 * before the record that names the hash is written, in the same unit of work:
 * if the record then fails, the blob is an orphan the sweep removes.
 */
export async function storeUpload(blobs: BlobStore, upload: SpooledUpload, accept: readonly ContentKind[]) {
  const checked = await checkContent(upload, accept).catch(async (error: unknown) => {
    await rm(upload.spoolPath, { force: true });
    throw error;
  });
  if (!checked) {
    await rm(upload.spoolPath, { force: true });
    return null;
  }
  await blobs.putFile(upload.sha256, upload.spoolPath, upload.size, checked.mediaType);
  return { kind: checked.kind, mediaType: checked.mediaType, sha256: upload.sha256, size: upload.size };
}
