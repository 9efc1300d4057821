import { rm } from "node:fs/promises";
import { fileTypeFromFile } from "file-type";
import type { BlobStore } from "./store.server.ts";

/** An upload spooled to disk, hashed as it arrived. */
export type SpooledUpload = { spoolPath: string; filename: string; size: number; sha256: string; declaredType: string };

/** The kinds of file Custody accepts, recognised by their bytes, never by their name. */
export const CONTENT_KINDS = {
  pdf: { mediaType: "application/pdf", label: "PDF" },
  docx: { mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word document (DOCX)" },
} as const;
export type ContentKind = keyof typeof CONTENT_KINDS;

/** What the bytes of a file really are, among the kinds accepted; null when none. */
export async function detectContent(file: string, accept: readonly ContentKind[]): Promise<ContentKind | null> {
  const found = await fileTypeFromFile(file).catch(() => undefined);
  const kind = found?.ext as ContentKind | undefined;
  return kind && accept.includes(kind) ? kind : null;
}

/**
 * Check an upload's content and put it in the blob store under its hash. Called
 * before the record that names the hash is written, in the same unit of work:
 * if the record then fails, the blob is an orphan the sweep removes.
 */
export async function storeUpload(blobs: BlobStore, upload: SpooledUpload, accept: readonly ContentKind[]) {
  const kind = await detectContent(upload.spoolPath, accept);
  if (!kind) {
    await rm(upload.spoolPath, { force: true });
    return null;
  }
  const mediaType = CONTENT_KINDS[kind].mediaType;
  await blobs.putFile(upload.sha256, upload.spoolPath, upload.size, mediaType);
  return { kind, mediaType, sha256: upload.sha256, size: upload.size };
}
