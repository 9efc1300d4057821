import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
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
    const kind = found.ext as ContentKind;
    return accept.includes(kind) ? kind : null;
  }
  // No binary signature: it may be text. CSV and plain text differ only by their use.
  if (!accept.includes("csv") && !accept.includes("txt")) return null;
  if (!(await isPlainText(file))) return null;
  if (/\.csv$/i.test(filename) && accept.includes("csv")) return "csv";
  return accept.includes("txt") ? "txt" : null;
}

/** UTF-8 throughout, with no control characters beyond tab, line feed, form feed and carriage return. */
async function isPlainText(file: string) {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of createReadStream(file)) {
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(decoder.decode(chunk as Buffer, { stream: true }))) return false;
    }
    decoder.decode();
    return true;
  } catch {
    return false;
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
