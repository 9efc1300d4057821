import { PassThrough } from "node:stream";
import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { queryRows, type Database } from "../../../db/client.ts";
import { organisations, people } from "../../../db/schema/access.ts";
import { agencyExports, type AgencyExport } from "../../../db/schema/portability.ts";
import type { Secrets } from "../access/secrets.server.ts";
import { AuditRecorder, systemActor } from "../audit/audit.server.ts";
import type { CheckpointSigner } from "../audit/signing.server.ts";
import { openSealedForDownload, sealStream } from "../blobs/sealed-files.server.ts";
import type { BlobStore } from "../blobs/store.server.ts";
import { InvalidInput, isUuid, NotFound, organisationScope, requirePermission, type ModuleContext } from "../context.server.ts";
import { exportSize, writeAgencyExport } from "./agency-export.server.ts";
import { EXPORT_LINK_HOURS } from "./limits.ts";

/**
 * Agency exports as jobs: an administrator asks, a worker in one server copy writes the ZIP straight
 * into the file store (encrypted as it is written), the page shows how far it got, and the finished
 * file is offered to the agency's administrators (and the platform's) until the link expires. A job a
 * stopped server left running is started again from the beginning; nothing is offered until the whole
 * file is stored and its hash recorded. Decision 0027.
 */

export { EXPORT_LINK_HOURS };
/** A running job whose heartbeat is older than this was left by a server that stopped. */
export const STALE_AFTER_MS = 30_000;
const HEARTBEAT_MS = 5_000;
const MAX_ATTEMPTS = 3;
const EXPORT_LOCK_KEY = 72_122_018;

/** Ask for an export of the actor's agency (or, for the platform administrator, of any agency). */
export async function requestAgencyExport(ctx: ModuleContext, agencyId?: string) {
  requirePermission(ctx, "agency:export");
  const platform = ctx.actor.organisationKind === "platform";
  const target = platform ? (agencyId ?? "") : (ctx.actor.organisationId ?? "");
  if (platform && !isUuid(target)) throw new InvalidInput({ agencyId: "Choose the agency to export." });
  const [agency] = isUuid(target) ? await ctx.db.select().from(organisations).where(eq(organisations.id, target)) : [];
  if (!agency || agency.kind !== "agency") {
    if (platform) throw new InvalidInput({ agencyId: "Choose the agency to export." });
    throw new NotFound("organisation", target);
  }
  const [open] = await ctx.db
    .select()
    .from(agencyExports)
    .where(and(eq(agencyExports.agencyId, agency.id), inArray(agencyExports.status, ["queued", "running"])));
  if (open) return { job: open, agencyName: agency.name, already: true };
  const [job] = await ctx.db
    .insert(agencyExports)
    .values({ agencyId: agency.id, requestedBy: ctx.actor.personId, requestedAt: ctx.now })
    .returning();
  ctx.audit.record({
    action: "agency.export.request",
    objectType: "agency-export",
    objectId: job!.id,
    organisationId: agency.id,
  });
  return { job: job!, agencyName: agency.name, already: false };
}

/** The exports the actor may see: their agency's, or every agency's for the platform administrator. */
export async function listAgencyExports(ctx: ModuleContext) {
  requirePermission(ctx, "agency:export");
  const rows = await ctx.db
    .select({ job: agencyExports, agencyName: organisations.name, requestedByName: people.name })
    .from(agencyExports)
    .innerJoin(organisations, eq(organisations.id, agencyExports.agencyId))
    .leftJoin(people, eq(people.id, agencyExports.requestedBy))
    .where(organisationScope(ctx, agencyExports.agencyId))
    .orderBy(desc(agencyExports.requestedAt))
    .limit(50);
  ctx.audit.record({ action: "agency.export.list", objectType: "agency-export", details: { count: rows.length } });
  return rows.map((r) => ({
    ...r.job,
    agencyName: r.agencyName,
    requestedByName: r.requestedByName,
    ...estimate(r.job, ctx.now),
  }));
}

/** The agencies a platform administrator may export (every agency, decommissioned ones too: their data stays exportable). */
export async function exportableAgencies(ctx: ModuleContext) {
  requirePermission(ctx, "agency:export");
  if (ctx.actor.organisationKind !== "platform") return [];
  return ctx.db
    .select({ id: organisations.id, name: organisations.name, status: organisations.status })
    .from(organisations)
    .where(eq(organisations.kind, "agency"))
    .orderBy(organisations.name);
}

/** How far a job got, and when it should finish at the rate so far (null until there is a rate). */
function estimate(job: AgencyExport, now: Date) {
  const total = (job.itemsTotal ?? 0) + (job.bytesTotal ?? 0) / 1_000_000;
  const done = job.itemsDone + job.bytesDone / 1_000_000;
  const fraction = job.status === "complete" ? 1 : total > 0 ? Math.min(done / total, 0.99) : 0;
  const elapsed = job.startedAt ? now.getTime() - job.startedAt.getTime() : 0;
  const remainingMs = job.status === "running" && fraction > 0.02 && elapsed > 0 ? (elapsed / fraction) * (1 - fraction) : null;
  return { percent: Math.round(fraction * 100), remainingSeconds: remainingMs === null ? null : Math.ceil(remainingMs / 1000) };
}

/** The finished file, decrypted, for someone allowed; the download itself is in the audit trail. */
export async function openAgencyExport(ctx: ModuleContext, blobs: BlobStore, exportId: string) {
  requirePermission(ctx, "agency:export");
  if (!isUuid(exportId)) throw new NotFound("agency-export", exportId);
  const [job] = await ctx.db
    .select({ job: agencyExports, agencyName: organisations.name })
    .from(agencyExports)
    .innerJoin(organisations, eq(organisations.id, agencyExports.agencyId))
    .where(and(eq(agencyExports.id, exportId), organisationScope(ctx, agencyExports.agencyId)));
  if (!job) throw new NotFound("agency-export", exportId);
  const j = job.job;
  const failed = {
    action: "agency.export.download",
    objectType: "agency-export",
    objectId: j.id,
    organisationId: j.agencyId,
    outcome: "failed" as const,
  };
  if (j.status !== "complete")
    throw new InvalidInput({ file: "This export is not finished; its page shows how far it got." }, failed);
  if (j.expiresAt! <= ctx.now)
    throw new InvalidInput({ file: "This export's link has expired and its file was removed. Start a new export." }, failed);
  const filename = `custody-export-${slug(job.agencyName)}-${j.finishedAt!.toISOString().slice(0, 10)}.zip`;
  const stream = await openSealedForDownload(
    blobs,
    ctx.secrets,
    { blobSha256: j.blobSha256!, keyId: j.keyId!, nonce: j.nonce!, authTag: j.authTag!, filename, sha256: j.sha256! },
    "agency export, ",
    failed,
  );
  ctx.audit.record({
    action: "agency.export.download",
    objectType: "agency-export",
    objectId: j.id,
    organisationId: j.agencyId,
    details: { sha256: j.sha256, bytes: j.sizeBytes },
  });
  return { stream, filename, mediaType: "application/zip", size: j.sizeBytes!, sha256: j.sha256! };
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);

export type ExportWorkerDeps = { db: Database; blobs: BlobStore; secrets: Secrets; signer: CheckpointSigner; now: () => Date };

/** Take the next job (queued, or left running by a stopped server) and write it; false when none waits. */
export async function runNextExport(deps: ExportWorkerDeps): Promise<boolean> {
  const { db } = deps;
  const now = deps.now();
  const job = await db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${EXPORT_LOCK_KEY}) as locked`);
    if (!lock?.locked) return null;
    const [next] = await tx
      .select()
      .from(agencyExports)
      .where(
        or(
          eq(agencyExports.status, "queued"),
          and(eq(agencyExports.status, "running"), lt(agencyExports.heartbeatAt, new Date(now.getTime() - STALE_AFTER_MS))),
        ),
      )
      .orderBy(agencyExports.requestedAt)
      .limit(1);
    if (!next) return null;
    const audit = new AuditRecorder(systemActor("agency export"), () => now);
    if (next.attempts >= MAX_ATTEMPTS) {
      await tx
        .update(agencyExports)
        .set({ status: "failed", finishedAt: now, error: `Stopped ${next.attempts} times before finishing; start a new export.` })
        .where(eq(agencyExports.id, next.id));
      audit.record({
        action: "agency.export.fail",
        objectType: "agency-export",
        objectId: next.id,
        organisationId: next.agencyId,
        outcome: "failed",
      });
      await audit.flush(tx);
      return null;
    }
    const [started] = await tx
      .update(agencyExports)
      .set({
        status: "running",
        attempts: next.attempts + 1,
        startedAt: now,
        heartbeatAt: now,
        itemsDone: 0,
        bytesDone: 0,
        error: null,
      })
      .where(eq(agencyExports.id, next.id))
      .returning();
    if (next.status === "running")
      audit.record({
        action: "agency.export.restart",
        objectType: "agency-export",
        objectId: next.id,
        organisationId: next.agencyId,
        details: { attempt: next.attempts + 1, reason: "the server running it stopped" },
      });
    await audit.flush(tx);
    return started!;
  });
  if (!job) return false;
  const size = await exportSize(db, job.agencyId);
  await db.update(agencyExports).set({ itemsTotal: size.items, bytesTotal: size.bytes }).where(eq(agencyExports.id, job.id));
  let progress = { itemsDone: 0, bytesDone: 0 };
  const beat = () =>
    db
      .update(agencyExports)
      .set({ heartbeatAt: deps.now(), itemsDone: progress.itemsDone, bytesDone: progress.bytesDone })
      .where(and(eq(agencyExports.id, job.id), eq(agencyExports.status, "running")))
      .catch((error: unknown) => console.error("Agency export heartbeat failed:", error));
  const heartbeat = setInterval(() => void beat(), HEARTBEAT_MS);
  try {
    const [requester] = job.requestedBy
      ? await db.select({ email: people.email }).from(people).where(eq(people.id, job.requestedBy))
      : [];
    const zip = new PassThrough();
    const [manifest, stored] = await Promise.all([
      writeAgencyExport(
        { db, blobs: deps.blobs, secrets: deps.secrets, signer: deps.signer, now },
        { agencyId: job.agencyId, exportedBy: requester?.email ?? "system" },
        zip,
        (p) => (progress = p),
      ),
      sealStream(deps.blobs, deps.secrets, zip),
    ]);
    const finished = deps.now();
    await db.transaction(async (tx) => {
      await tx
        .update(agencyExports)
        .set({
          status: "complete",
          finishedAt: finished,
          heartbeatAt: finished,
          // The count made before was an estimate (people, vendors and catalog rows are found on the way).
          itemsTotal: progress.itemsDone,
          itemsDone: progress.itemsDone,
          bytesDone: progress.bytesDone,
          sha256: stored.sha256,
          sizeBytes: stored.size,
          blobSha256: stored.blobSha256,
          keyId: stored.keyId,
          nonce: stored.nonce,
          authTag: stored.authTag,
          expiresAt: new Date(finished.getTime() + EXPORT_LINK_HOURS * 3_600_000),
        })
        .where(eq(agencyExports.id, job.id));
      const audit = new AuditRecorder(systemActor("agency export"), () => finished);
      audit.record({
        action: "agency.export.complete",
        objectType: "agency-export",
        objectId: job.id,
        organisationId: job.agencyId,
        details: {
          sha256: stored.sha256,
          bytes: stored.size,
          entries: manifest.entries.length,
          signedBy: manifest.installation.keyId,
        },
      });
      await audit.flush(tx);
    });
  } catch (error) {
    const failedAt = deps.now();
    console.error(`Agency export ${job.id} failed:`, error);
    await db.transaction(async (tx) => {
      await tx
        .update(agencyExports)
        .set({ status: "failed", finishedAt: failedAt, error: `The export could not be written: ${(error as Error).message}` })
        .where(eq(agencyExports.id, job.id));
      const audit = new AuditRecorder(systemActor("agency export"), () => failedAt);
      audit.record({
        action: "agency.export.fail",
        objectType: "agency-export",
        objectId: job.id,
        organisationId: job.agencyId,
        outcome: "failed",
        details: { error: (error as Error).message },
      });
      await audit.flush(tx);
    });
  } finally {
    clearInterval(heartbeat);
  }
  return true;
}

/** Runs export jobs one after another in this server copy: every few seconds, and at once when asked. */
export class ExportWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  constructor(private readonly deps: ExportWorkerDeps) {}

  start(everyMs = 3_000) {
    this.timer = setInterval(() => void this.kick(), everyMs);
    this.timer.unref();
  }

  /** Run whatever waits; resolves when nothing does (a job asked for meanwhile is taken too). */
  kick(): Promise<void> {
    this.running ??= (async () => {
      try {
        while (await runNextExport(this.deps));
      } catch (error) {
        console.error("Agency export worker failed:", error);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stop taking jobs. A job under way is not waited for: stopped with the server, it is taken up again from the start. */
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
