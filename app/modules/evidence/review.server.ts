import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { evidenceKinds } from "../../../db/schema/catalog.ts";
import { evidenceItems, evidenceVersions } from "../../../db/schema/evidence.ts";
import { vendors } from "../../../db/schema/vendors.ts";
import { InvalidInput, type ModuleContext, NotFound, orgOf, requirePermission } from "../context.server.ts";
import { blank } from "../form-fields.ts";
import { parseInput } from "../validation.server.ts";
import { itemLinks } from "./items.server.ts";
import { createNextInSeries } from "./requests.server.ts";
import { agencyItem } from "./scope.server.ts";

/**
 * Review: the owning agency's CJIS officer takes a submission under review,
 * then accepts or rejects it. A rejection carries its reason, which the vendor
 * sees. Accepting closes the item (it counts as evidence until it expires),
 * supersedes the item it follows in a recurring series, and opens the next.
 */

/** Submissions waiting for the agency's decision, oldest first. */
export async function reviewQueue(ctx: ModuleContext) {
  requirePermission(ctx, "evidence:review");
  const rows = await ctx.db
    .select({
      id: evidenceItems.id,
      title: evidenceItems.title,
      status: evidenceItems.status,
      flags: evidenceItems.flags,
      version: evidenceItems.currentVersion,
      updatedAt: evidenceItems.updatedAt,
      kindName: evidenceKinds.name,
      vendorName: vendors.legalName,
    })
    .from(evidenceItems)
    .innerJoin(evidenceKinds, eq(evidenceKinds.id, evidenceItems.kindId))
    .innerJoin(vendors, eq(vendors.id, evidenceItems.vendorId))
    .where(and(eq(evidenceItems.agencyId, orgOf(ctx)), inArray(evidenceItems.status, ["submitted", "under-review"])))
    .orderBy(asc(evidenceItems.updatedAt))
    .limit(500);
  ctx.audit.record({ action: "evidence.review-queue.read", objectType: "evidence-item", details: { count: rows.length } });
  return rows;
}

async function reviewable(ctx: ModuleContext, itemId: string) {
  requirePermission(ctx, "evidence:review");
  const { item, owned } = await agencyItem(ctx, itemId, { forUpdate: true });
  // Only the owning agency decides; a sharing agency reads.
  if (!owned) throw new NotFound("evidence-item", itemId);
  const [version] = await ctx.db
    .select()
    .from(evidenceVersions)
    .where(and(eq(evidenceVersions.itemId, item.id), inArray(evidenceVersions.status, ["submitted", "under-review"])))
    .orderBy(desc(evidenceVersions.version))
    .limit(1);
  return { item, version };
}

/** Mark the newest submission as under review (the vendor sees that it is being looked at). */
export async function startReview(ctx: ModuleContext, itemId: string) {
  const { item, version } = await reviewable(ctx, itemId);
  if (!version || version.status !== "submitted") throw new InvalidInput({ form: "There is no new submission to review." });
  await ctx.db
    .update(evidenceVersions)
    .set({ status: "under-review", reviewStartedBy: ctx.actor.personId, reviewStartedAt: ctx.now })
    .where(eq(evidenceVersions.id, version.id));
  await ctx.db.update(evidenceItems).set({ status: "under-review", updatedAt: ctx.now }).where(eq(evidenceItems.id, item.id));
  ctx.audit.record({
    action: "evidence.review.start",
    objectType: "evidence-item",
    objectId: item.id,
    details: { version: version.version, versionId: version.id },
  });
}

export const DecisionSchema = z
  .object({
    decision: z.enum(["accept", "reject"], { message: "Choose to accept or reject the submission." }),
    reason: z.preprocess(blank, z.string().max(2000, { message: "Keep the reason under 2,000 characters." }).optional()),
  })
  .superRefine((v, issue) => {
    if (v.decision === "reject" && (!v.reason || v.reason.length < 5)) {
      issue.addIssue({
        code: "custom",
        path: ["reason"],
        message: "Say why it is rejected; the vendor sees this reason and needs it to resubmit.",
      });
    }
  });

/** Accept or reject the newest submission. */
export async function decide(ctx: ModuleContext, itemId: string, raw: unknown) {
  const input = parseInput(DecisionSchema, raw);
  const { item, version } = await reviewable(ctx, itemId);
  if (!version) throw new InvalidInput({ form: "There is no submission waiting for a decision." });
  const accepted = input.decision === "accept";
  await ctx.db
    .update(evidenceVersions)
    .set({
      status: accepted ? "accepted" : "rejected",
      decidedBy: ctx.actor.personId,
      decidedAt: ctx.now,
      decisionReason: input.reason ?? null,
    })
    .where(eq(evidenceVersions.id, version.id));
  await ctx.db
    .update(evidenceItems)
    .set({
      status: accepted ? "accepted" : "rejected",
      expiresOn: accepted ? version.expiresOn : item.expiresOn,
      flags: version.flags,
      updatedAt: ctx.now,
    })
    .where(eq(evidenceItems.id, item.id));
  ctx.audit.record({
    action: accepted ? "evidence.accept" : "evidence.reject",
    objectType: "evidence-item",
    objectId: item.id,
    details: {
      version: version.version,
      versionId: version.id,
      reason: input.reason ?? null,
      expiresOn: version.expiresOn,
      flags: version.flags,
    },
  });
  let next = null;
  if (accepted) {
    if (item.previousId) await supersede(ctx, item.previousId, item.id);
    const links = await itemLinks(ctx, item.id);
    next = await createNextInSeries(ctx, item, links.contractIds, links.requirementIds);
  }
  return { accepted, next };
}

/** The item a newly accepted one replaces stops counting as evidence. */
async function supersede(ctx: ModuleContext, itemId: string, byItemId: string) {
  const [previous] = await ctx.db
    .update(evidenceItems)
    .set({ status: "superseded", updatedAt: ctx.now })
    .where(and(eq(evidenceItems.id, itemId), eq(evidenceItems.status, "accepted")))
    .returning({ id: evidenceItems.id });
  if (!previous) return;
  await ctx.db
    .update(evidenceVersions)
    .set({ status: "superseded" })
    .where(and(eq(evidenceVersions.itemId, itemId), eq(evidenceVersions.status, "accepted")));
  ctx.audit.record({ action: "evidence.supersede", objectType: "evidence-item", objectId: itemId, details: { by: byItemId } });
}
