import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline, type Readable, Transform } from "node:stream";
import { pipeline as pipelineAsync } from "node:stream/promises";
import type { Secrets } from "../access/secrets.server.ts";
import { checkContent, ContentRefused, type ContentKind, type SpooledUpload } from "./content.server.ts";
import { InvalidInput } from "../context.server.ts";
import { BlobMissing, type BlobStore } from "./store.server.ts";
import type { AuditInput } from "../audit/audit.server.ts";

/**
 * Evidence files are encrypted before they reach the blob store (CJIS Security
 * Policy v6.0 SC-28; IACP principle 10): AES-256-GCM, a fresh 96-bit nonce per
 * file, under a key derived (HKDF-SHA-256) from ENCRYPTION_KEY for this one
 * purpose. The store sees only ciphertext, kept under the ciphertext's SHA-256;
 * the record keeps the nonce, the tag and the plaintext's SHA-256.
 */
export const EVIDENCE_KEY_ID = "evidence-v1";

function fileKey(secrets: Secrets, keyId: string) {
  if (keyId !== EVIDENCE_KEY_ID) throw new Error(`unknown evidence key ${keyId}`);
  return Buffer.from(
    hkdfSync("sha256", Buffer.from(secrets.encryptionKey, "hex"), Buffer.alloc(0), "custody evidence files v1", 32),
  );
}

export type SealedFile = { blobSha256: string; keyId: string; nonce: string; authTag: string };

/** Encrypt a spooled upload into the blob store; the plaintext spool file is removed. */
export async function sealUpload(blobs: BlobStore, secrets: Secrets, upload: SpooledUpload): Promise<SealedFile> {
  try {
    const { blobSha256, keyId, nonce, authTag } = await sealStream(blobs, secrets, createReadStream(upload.spoolPath));
    return { blobSha256, keyId, nonce, authTag };
  } finally {
    await rm(upload.spoolPath, { force: true });
  }
}

/**
 * The plaintext of a sealed file, as a stream. GCM authenticates at the end: a
 * file altered in the store makes the stream fail there, so the download
 * breaks off rather than completing with altered bytes.
 */
export async function openSealed(blobs: BlobStore, secrets: Secrets, file: SealedFile): Promise<Readable> {
  const decipher = createDecipheriv("aes-256-gcm", fileKey(secrets, file.keyId), Buffer.from(file.nonce, "base64url"));
  decipher.setAuthTag(Buffer.from(file.authTag, "base64url"));
  const source = await blobs.get(file.blobSha256);
  return pipeline(source, decipher, () => {});
}

/**
 * Check an upload is one of the accepted kinds by its bytes (and not a zip bomb), then seal it
 * into the store. A refusal is a message for the file field; nothing is stored.
 */
export async function checkAndSeal(
  blobs: BlobStore,
  secrets: Secrets,
  upload: SpooledUpload,
  accept: readonly ContentKind[],
  accepted: { names: string; what: string },
) {
  let checked;
  try {
    checked = await checkContent(upload, accept);
  } catch (error) {
    if (error instanceof ContentRefused) throw new InvalidInput({ file: error.message });
    throw error;
  }
  if (!checked) {
    throw new InvalidInput({
      file: `“${upload.filename}” is not a ${accepted.names} file, whatever its name says. Upload ${accepted.what} in one of those formats.`,
    });
  }
  return { mediaType: checked.mediaType, sealed: await sealUpload(blobs, secrets, upload) };
}

/**
 * Open a sealed file for download. Bytes gone from the store are an answer for the person
 * (410, with what is missing), and the failed attempt is recorded although nothing is sent.
 */
export async function openSealedForDownload(
  blobs: BlobStore,
  secrets: Secrets,
  file: SealedFile & { filename: string; sha256: string },
  what: string,
  failed: AuditInput,
) {
  try {
    return await openSealed(blobs, secrets, file);
  } catch (error) {
    if (!(error instanceof BlobMissing)) throw error;
    throw new InvalidInput(
      {
        file: `The file “${file.filename}” (${what}SHA-256 ${file.sha256}) is missing from the file store. An administrator must restore it from backup.`,
      },
      failed,
    );
  }
}

/**
 * Encrypt a stream into the blob store as it is read (an agency export being written): the plaintext
 * never touches the disk; the ciphertext is spooled and stored under its SHA-256. Gives the sealing and
 * the plaintext's own SHA-256 and size.
 */
export async function sealStream(
  blobs: BlobStore,
  secrets: Secrets,
  source: Readable,
): Promise<SealedFile & { sha256: string; size: number }> {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", fileKey(secrets, EVIDENCE_KEY_ID), nonce);
  const sealedPath = path.join(blobs.spoolDir, `${randomBytes(12).toString("hex")}.sealed`);
  await mkdir(blobs.spoolDir, { recursive: true, mode: 0o700 });
  const plain = createHash("sha256");
  const sealed = createHash("sha256");
  let size = 0;
  let sealedSize = 0;
  try {
    await pipelineAsync(
      source,
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          plain.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      }),
      cipher,
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          sealed.update(chunk);
          sealedSize += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(sealedPath, { mode: 0o600 }),
    );
    const blobSha256 = sealed.digest("hex");
    await blobs.putFile(blobSha256, sealedPath, sealedSize, "application/octet-stream");
    return {
      blobSha256,
      keyId: EVIDENCE_KEY_ID,
      nonce: nonce.toString("base64url"),
      authTag: cipher.getAuthTag().toString("base64url"),
      sha256: plain.digest("hex"),
      size,
    };
  } finally {
    await rm(sealedPath, { force: true });
  }
}
