import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { evidenceKinds } from "../../../db/schema/catalog.ts";
import { evidenceFiles, evidenceItems, evidenceVersions } from "../../../db/schema/evidence.ts";
import { dayIn } from "../dates.ts";
import { type ModuleContext, requirePermission } from "../context.server.ts";
import { visibleToAgency } from "./scope.server.ts";
import { EVIDENCE_STATUS_LABELS, shownStatus } from "./vocabulary.ts";

/**
 * The evidence a generated document shows (compliance report, request letter,
 * audit binder): every item of one vendor the actor's agency sees, optionally
 * only those supporting one contract, with the date its current version was
 * accepted. The calling document records its own read.
 */
export async function evidenceOfVendor(ctx: ModuleContext, vendorId: string, options: { contractId?: string } = {}) {
  requirePermission(ctx, "evidence:read");
  const today = ctx.today;
  const rows = await ctx.db
    .select({
      id: evidenceItems.id,
      title: evidenceItems.title,
      kind: evidenceKinds.name,
      status: evidenceItems.status,
      dueOn: evidenceItems.dueOn,
      expiresOn: evidenceItems.expiresOn,
      version: evidenceItems.currentVersion,
      flags: evidenceItems.flags,
      acceptedAt:
        sql<Date | null>`(select v.decided_at from evidence_versions v where v.item_id = ${evidenceItems.id} and v.version = ${evidenceItems.currentVersion} and v.status = 'accepted')`.mapWith(
          (v) => (v ? new Date(v) : null),
        ),
    })
    .from(evidenceItems)
    .innerJoin(evidenceKinds, eq(evidenceKinds.id, evidenceItems.kindId))
    .where(
      and(
        eq(evidenceItems.vendorId, vendorId),
        visibleToAgency(ctx),
        sql`${evidenceItems.status} not in ('superseded', 'cancelled')`,
        options.contractId
          ? sql`${evidenceItems.id} in (select ic.item_id from evidence_item_contracts ic where ic.contract_id = ${options.contractId})`
          : undefined,
      ),
    )
    .orderBy(asc(evidenceKinds.name), asc(evidenceItems.title));
  return rows.map((r) => {
    const shown = shownStatus(r, today);
    return {
      ...r,
      acceptedOn: r.acceptedAt ? dayIn(ctx.timeZone, r.acceptedAt) : null,
      shown,
      shownLabel: EVIDENCE_STATUS_LABELS[shown],
    };
  });
}

/** The files of the accepted version of each item, for the audit binder. */
export async function acceptedFilesOf(ctx: ModuleContext, itemIds: string[]) {
  requirePermission(ctx, "evidence:read");
  if (itemIds.length === 0) return [];
  return ctx.db
    .select({
      itemId: evidenceVersions.itemId,
      version: evidenceVersions.version,
      id: evidenceFiles.id,
      filename: evidenceFiles.filename,
      mediaType: evidenceFiles.mediaType,
      sizeBytes: evidenceFiles.sizeBytes,
      sha256: evidenceFiles.sha256,
      blobSha256: evidenceFiles.blobSha256,
      keyId: evidenceFiles.keyId,
      nonce: evidenceFiles.nonce,
      authTag: evidenceFiles.authTag,
    })
    .from(evidenceFiles)
    .innerJoin(evidenceVersions, eq(evidenceVersions.id, evidenceFiles.versionId))
    .innerJoin(
      evidenceItems,
      and(eq(evidenceItems.id, evidenceVersions.itemId), eq(evidenceItems.currentVersion, evidenceVersions.version)),
    )
    .where(and(inArray(evidenceVersions.itemId, itemIds), eq(evidenceVersions.status, "accepted"), visibleToAgency(ctx)))
    .orderBy(asc(evidenceFiles.filename));
}
