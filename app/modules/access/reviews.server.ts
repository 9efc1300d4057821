import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import {
  accessReviewItems,
  accessReviews,
  deprovisioningRecords,
  memberships,
  organisations,
  people,
} from "../../../db/schema/access.ts";
import { InvalidInput, isUuid, NotFound, organisationScope, ownOrganisation, type ModuleContext } from "../context.server.ts";
import { roleLabel } from "../format.ts";
import { disableUnassigned } from "./deprovision.server.ts";

/**
 * Access reviews (CJIS Security Policy v6.0 AC-2 j: review accounts at least
 * yearly). An agency administrator starts a review of every current role in the
 * agency, certifies or revokes each, and completes it; the review stays as the
 * record of who decided what, and when. Nobody decides on their own access.
 */

export async function startReview(ctx: ModuleContext) {
  const organisationId = ctx.actor.organisationId;
  if (!organisationId || !ctx.actor.personId) throw new InvalidInput({ form: "Act for an agency to review its access." });
  const [open] = await ctx.db
    .select({ id: accessReviews.id })
    .from(accessReviews)
    .where(and(ownOrganisation(ctx, accessReviews.organisationId), isNull(accessReviews.completedAt)));
  if (open) throw new InvalidInput({ form: "A review is already under way; complete it first." });
  const live = await ctx.db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.organisationId, organisationId), isNull(memberships.endedAt)));
  const [review] = await ctx.db
    .insert(accessReviews)
    .values({ organisationId, startedBy: ctx.actor.personId, startedAt: ctx.now })
    .returning();
  if (live.length > 0)
    await ctx.db.insert(accessReviewItems).values(live.map((m) => ({ reviewId: review!.id, membershipId: m.id })));
  ctx.audit.record({
    action: "access-review.start",
    objectType: "access-review",
    objectId: review!.id,
    details: { memberships: live.length },
  });
  return review!;
}

export async function listReviews(ctx: ModuleContext) {
  const scope = organisationScope(ctx, accessReviews.organisationId);
  const rows = await ctx.db
    .select({
      id: accessReviews.id,
      organisationName: organisations.name,
      startedBy: people.email,
      startedAt: accessReviews.startedAt,
      completedAt: accessReviews.completedAt,
      items: sql<number>`(select count(*)::int from ${accessReviewItems} i where i.review_id = ${accessReviews.id})`,
      decided: sql<number>`(select count(*)::int from ${accessReviewItems} i where i.review_id = ${accessReviews.id} and i.decision is not null)`,
      revoked: sql<number>`(select count(*)::int from ${accessReviewItems} i where i.review_id = ${accessReviews.id} and i.decision = 'revoke')`,
    })
    .from(accessReviews)
    .innerJoin(organisations, eq(organisations.id, accessReviews.organisationId))
    .innerJoin(people, eq(people.id, accessReviews.startedBy))
    .where(scope)
    .orderBy(desc(accessReviews.startedAt));
  ctx.audit.record({ action: "access-review.list", objectType: "access-review", details: { count: rows.length } });
  return rows;
}

async function visibleReview(ctx: ModuleContext, reviewId: string) {
  if (!isUuid(reviewId)) throw new NotFound("access-review", reviewId);
  const scope = organisationScope(ctx, accessReviews.organisationId);
  const [review] = await ctx.db
    .select()
    .from(accessReviews)
    .where(and(eq(accessReviews.id, reviewId), scope));
  if (!review) throw new NotFound("access-review", reviewId);
  return review;
}

export async function getReview(ctx: ModuleContext, reviewId: string) {
  const review = await visibleReview(ctx, reviewId);
  const decider = sql<string | null>`(select email from ${people} d where d.id = ${accessReviewItems.decidedBy})`;
  const items = await ctx.db
    .select({
      id: accessReviewItems.id,
      personId: people.id,
      name: people.name,
      email: people.email,
      lastActivityAt: people.lastActivityAt,
      role: memberships.role,
      startsAt: memberships.startsAt,
      endsAt: memberships.endsAt,
      decision: accessReviewItems.decision,
      decidedBy: decider,
      decidedAt: accessReviewItems.decidedAt,
      note: accessReviewItems.note,
    })
    .from(accessReviewItems)
    .innerJoin(memberships, eq(memberships.id, accessReviewItems.membershipId))
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(eq(accessReviewItems.reviewId, review.id))
    .orderBy(asc(people.name));
  ctx.audit.record({ action: "access-review.read", objectType: "access-review", objectId: review.id });
  return { review, items: items.map((i) => ({ ...i, roleLabel: roleLabel(i.role) })) };
}

export async function decide(ctx: ModuleContext, reviewId: string, itemId: string, decision: string, noteInput: string) {
  const review = await visibleReview(ctx, reviewId);
  if (review.completedAt) throw new InvalidInput({ form: "This review is complete; start a new one." });
  if (!isUuid(itemId)) throw new NotFound("access-review-item", itemId);
  const [item] = await ctx.db
    .select({ item: accessReviewItems, membership: memberships })
    .from(accessReviewItems)
    .innerJoin(memberships, eq(memberships.id, accessReviewItems.membershipId))
    .where(and(eq(accessReviewItems.id, itemId), eq(accessReviewItems.reviewId, review.id)));
  if (!item) throw new NotFound("access-review-item", itemId);
  if (decision !== "certify" && decision !== "revoke") throw new InvalidInput({ decision: "Choose certify or revoke." });
  if (item.membership.personId === ctx.actor.personId)
    throw new InvalidInput({ form: "Another administrator must review your own access." });
  if (item.item.decision) throw new InvalidInput({ form: "This role has already been decided in this review." });
  const note = noteInput.trim().slice(0, 500);
  if (decision === "revoke" && note.length < 3) throw new InvalidInput({ note: "Say why the access is revoked." });
  await ctx.db
    .update(accessReviewItems)
    .set({ decision, decidedBy: ctx.actor.personId, decidedAt: ctx.now, note: note || null })
    .where(eq(accessReviewItems.id, itemId));
  if (decision === "revoke" && !item.membership.endedAt) {
    const reason = `Revoked in access review: ${note}`;
    await ctx.db.update(memberships).set({ endedAt: ctx.now, endedReason: reason }).where(eq(memberships.id, item.membership.id));
    await ctx.db.insert(deprovisioningRecords).values({
      kind: "membership-ended",
      personId: item.membership.personId,
      organisationId: item.membership.organisationId,
      reason,
      actorId: ctx.actor.personId,
      at: ctx.now,
      details: { membershipId: item.membership.id, role: item.membership.role, accessReviewId: review.id },
    });
    await disableUnassigned(ctx.db, ctx.audit, {
      personIds: [item.membership.personId],
      because: `role ${roleLabel(item.membership.role)} revoked in an access review: ${note}`,
      organisationId: item.membership.organisationId,
      actorId: ctx.actor.personId,
      now: ctx.now,
    });
  }
  ctx.audit.record({
    action: `access-review.${decision}`,
    objectType: "membership",
    objectId: item.membership.id,
    organisationId: review.organisationId,
    details: { reviewId: review.id, personId: item.membership.personId, role: item.membership.role, note: note || null },
  });
}

export async function completeReview(ctx: ModuleContext, reviewId: string) {
  const review = await visibleReview(ctx, reviewId);
  if (review.completedAt) throw new InvalidInput({ form: "This review is already complete." });
  const [pending] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(accessReviewItems)
    .where(and(eq(accessReviewItems.reviewId, review.id), isNull(accessReviewItems.decision)));
  if ((pending?.n ?? 0) > 0) throw new InvalidInput({ form: `${pending!.n} role(s) still need a decision.` });
  await ctx.db.update(accessReviews).set({ completedAt: ctx.now }).where(eq(accessReviews.id, review.id));
  ctx.audit.record({ action: "access-review.complete", objectType: "access-review", objectId: review.id });
}
