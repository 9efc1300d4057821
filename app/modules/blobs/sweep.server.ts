import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client.ts";
import { AuditRecorder, systemActor } from "../audit/audit.server.ts";
import type { BlobStore } from "./store.server.ts";

/**
 * Removes blobs no record points to. An upload is stored under its hash before
 * the record naming it commits, so a failed or abandoned upload leaves a blob
 * behind; a blob younger than the grace period may belong to an upload still
 * in flight and is left alone. Advisory-locked: one server copy at a time.
 */
export const BLOB_GRACE_MS = 60 * 60 * 1000;
const BLOB_SWEEP_LOCK_KEY = 72_122_004;

/** Every column that names a blob by its SHA-256. Later capabilities add theirs here. */
/** Every hash a record points to: contract files by their plaintext hash, evidence files by their ciphertext hash. */
/** An agency export's file counts only until its download expires: it holds decrypted records, and goes once no one may fetch it. */
const references = (now: Date) =>
  sql`select sha256 from contract_files union all select blob_sha256 from evidence_files union all select blob_sha256 from roster_files union all select blob_sha256 from document_outputs
      union all select blob_sha256 from agency_exports where blob_sha256 is not null and expires_at > ${now.toISOString()}::timestamptz`;

export async function sweepOrphanBlobs(db: Database, blobs: BlobStore, now: Date, graceMs = BLOB_GRACE_MS) {
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${BLOB_SWEEP_LOCK_KEY}) as locked`,
    );
    if (!lock?.locked) return { ran: false, removed: 0, kept: 0 };
    const cutoff = now.getTime() - graceMs;
    const referenced = new Set((await queryRows<{ sha256: string }>(tx, references(now))).map((r) => r.sha256));
    const removed: string[] = [];
    let kept = 0;
    for await (const blob of blobs.list()) {
      if (referenced.has(blob.sha256) || blob.storedAt.getTime() > cutoff) {
        kept += 1;
        continue;
      }
      await blobs.delete(blob.sha256);
      removed.push(blob.sha256);
    }
    // Spool files of uploads that died half-way.
    for (const name of await readdir(blobs.spoolDir).catch(() => [] as string[])) {
      const file = path.join(blobs.spoolDir, name);
      const info = await stat(file).catch(() => null);
      if (info && info.mtime.getTime() <= cutoff) await rm(file, { force: true });
    }
    if (removed.length > 0) {
      const audit = new AuditRecorder(systemActor("blob sweep"), () => now);
      audit.record({
        action: "sweep.orphan-blobs",
        organisationId: null,
        details: { removed: removed.length, hashes: removed.slice(0, 100) },
      });
      await audit.flush(tx);
    }
    return { ran: true, removed: removed.length, kept };
  });
}
