import { and, desc, eq, sql } from "drizzle-orm";
import type { Readable } from "node:stream";
import { contractFiles } from "../../../db/schema/contracts.ts";
import { ContentRefused, type SpooledUpload, storeUpload } from "../blobs/content.server.ts";
import { BlobMissing, type BlobStore } from "../blobs/store.server.ts";
import { InvalidInput, isUuid, type ModuleContext, NotFound } from "../context.server.ts";
import { getContract, getEditableContract, peopleNames } from "./contracts.server.ts";

/**
 * Contract files: each upload is a new, immutable version (a trigger refuses
 * changes), stored in the blob store under its SHA-256 before its record commits.
 * Accepted only when the bytes are a PDF or a Word document.
 */

/** The contract files page: the contract and every version of its files, newest first. */
export async function getContractFiles(ctx: ModuleContext, contractId: string) {
  const view = await getContract(ctx, contractId, { audit: false });
  ctx.audit.record({
    action: "contract.files.read",
    objectType: "contract",
    objectId: view.contract.id,
    organisationId: view.contract.agencyId,
  });
  return { view, files: await listContractFiles(ctx, view.contract.id) };
}

export async function listContractFiles(ctx: ModuleContext, contractId: string) {
  const rows = await ctx.db
    .select()
    .from(contractFiles)
    .where(eq(contractFiles.contractId, contractId))
    .orderBy(desc(contractFiles.version));
  const names = await peopleNames(
    ctx,
    rows.map((r) => r.uploadedBy),
  );
  return rows.map((r) => ({ ...r, uploadedByName: r.uploadedBy ? (names.get(r.uploadedBy) ?? "—") : "—" }));
}

export async function addContractFile(
  ctx: ModuleContext,
  blobs: BlobStore,
  contractId: string,
  upload: SpooledUpload,
  fields: { stage?: string; note?: string },
) {
  await getEditableContract(ctx, contractId);
  const stage = fields.stage === "draft" || fields.stage === "signed" || fields.stage === "other" ? fields.stage : null;
  const note = fields.note?.trim().slice(0, 1000) || null;
  if (!stage) throw new InvalidInput({ stage: "Say whether this file is a draft, the signed version or something else." });
  const stored = await storeUpload(blobs, upload, ["pdf", "docx"]).catch((error: unknown) => {
    if (error instanceof ContentRefused) throw new InvalidInput({ file: error.message });
    throw error;
  });
  if (!stored) {
    throw new InvalidInput({
      file: `“${upload.filename}” is not a PDF or a Word document (DOCX), whatever its name says. Upload the contract as PDF or DOCX.`,
    });
  }
  // One version number per contract, taken under a row lock so two uploads cannot share it.
  await ctx.db.execute(sql`select id from contracts where id = ${contractId} for update`);
  const [last] = await ctx.db
    .select({ version: sql<number>`coalesce(max(${contractFiles.version}), 0)::int` })
    .from(contractFiles)
    .where(eq(contractFiles.contractId, contractId));
  const [row] = await ctx.db
    .insert(contractFiles)
    .values({
      contractId,
      version: (last?.version ?? 0) + 1,
      stage,
      filename: upload.filename,
      mediaType: stored.mediaType,
      sizeBytes: stored.size,
      sha256: stored.sha256,
      note,
      uploadedBy: ctx.actor.personId,
      uploadedAt: ctx.now,
    })
    .returning();
  ctx.audit.record({
    action: "contract.file.upload",
    objectType: "contract-file",
    objectId: row!.id,
    details: {
      contractId,
      version: row!.version,
      stage,
      filename: upload.filename,
      sha256: stored.sha256,
      bytes: stored.size,
      mediaType: stored.mediaType,
      declaredType: upload.declaredType,
    },
  });
  return row!;
}

/** Open a version of a contract file for download; the audit event records the bytes sent. */
export async function openContractFile(
  ctx: ModuleContext,
  blobs: BlobStore,
  contractId: string,
  fileId: string,
): Promise<{ stream: Readable; filename: string; mediaType: string; size: number; sha256: string }> {
  await getContract(ctx, contractId, { audit: false });
  if (!isUuid(fileId)) throw new NotFound("contract-file", fileId);
  const [file] = await ctx.db
    .select()
    .from(contractFiles)
    .where(and(eq(contractFiles.id, fileId), eq(contractFiles.contractId, contractId)));
  if (!file) throw new NotFound("contract-file", fileId);
  let stream: Readable;
  try {
    stream = await blobs.get(file.sha256);
  } catch (error) {
    if (!(error instanceof BlobMissing)) throw error;
    // The record says what was uploaded; the bytes are gone from the store. Say so, and keep a trace.
    throw new InvalidInput(
      {
        file: `The file of version ${file.version} (“${file.filename}”, SHA-256 ${file.sha256}) is missing from the file store. An administrator must restore it from backup.`,
      },
      {
        action: "contract.file.download",
        objectType: "contract-file",
        objectId: file.id,
        outcome: "failed",
        details: { contractId, sha256: file.sha256, reason: "blob missing" },
      },
    );
  }
  ctx.audit.record({
    action: "contract.file.download",
    objectType: "contract-file",
    objectId: file.id,
    details: { contractId, version: file.version, filename: file.filename, sha256: file.sha256, bytes: file.sizeBytes },
  });
  return { stream, filename: file.filename, mediaType: file.mediaType, size: file.sizeBytes, sha256: file.sha256 };
}
