import { and, asc, eq, isNull, ne } from "drizzle-orm";
import { deprovisioningRecords, memberships, organisations, passkeys, people, recoveryCodes } from "../../../db/schema/access.ts";
import {
  InvalidInput,
  NotFound,
  organisationScope,
  requirePermission as assertPermission,
  requireReason,
  type ModuleContext,
} from "../context.server.ts";
import { isRole, ROLES } from "./permissions.ts";
import { cutAccess, disableUnassigned } from "./deprovision.server.ts";
import { inviteExistingRecord } from "./accounts.server.ts";
import { liveRole } from "./sessions.server.ts";
import { roleLabel } from "../format.ts";

/**
 * Administering people. An agency or vendor administrator sees the people who
 * hold (or held) a role in their own organisation; a platform administrator
 * sees everyone. Anyone else's person answers 404.
 */

const seesEveryone = (ctx: ModuleContext) => ctx.actor.organisationKind === "platform";

/** The memberships the actor may see or change. */
const scopeCondition = (ctx: ModuleContext) => organisationScope(ctx, memberships.organisationId);

export type PersonStatus = "active" | "locked" | "disabled";
const statusOf = (p: { disabledAt: Date | null; lockedAt: Date | null }): PersonStatus =>
  p.disabledAt ? "disabled" : p.lockedAt ? "locked" : "active";

export async function listPeople(ctx: ModuleContext) {
  assertPermission(ctx, "user:read");
  const rows = await ctx.db
    .select({
      id: people.id,
      name: people.name,
      email: people.email,
      disabledAt: people.disabledAt,
      lockedAt: people.lockedAt,
      lastActivityAt: people.lastActivityAt,
      membershipId: memberships.id,
      role: memberships.role,
      organisationName: organisations.name,
      endsAt: memberships.endsAt,
      endedAt: memberships.endedAt,
    })
    .from(people)
    .innerJoin(memberships, eq(memberships.personId, people.id))
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(scopeCondition(ctx))
    .orderBy(asc(people.name), asc(organisations.name));
  const byPerson = new Map<
    string,
    { id: string; name: string; email: string; status: PersonStatus; lastActivityAt: Date | null; roles: string[] }
  >();
  for (const r of rows) {
    const entry = byPerson.get(r.id) ?? {
      id: r.id,
      name: r.name,
      email: r.email,
      status: statusOf(r),
      lastActivityAt: r.lastActivityAt,
      roles: [],
    };
    if (!r.endedAt && isRole(r.role)) entry.roles.push(`${ROLES[r.role].label}, ${r.organisationName}`);
    byPerson.set(r.id, entry);
  }
  ctx.audit.record({ action: "person.list", objectType: "person", details: { count: byPerson.size } });
  return [...byPerson.values()];
}

async function visiblePerson(ctx: ModuleContext, personId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(personId)) throw new NotFound("person", personId);
  const [person] = await ctx.db.select().from(people).where(eq(people.id, personId));
  if (!person) throw new NotFound("person", personId);
  if (!seesEveryone(ctx)) {
    const [shared] = await ctx.db
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.personId, personId), scopeCondition(ctx)))
      .limit(1);
    if (!shared) throw new NotFound("person", personId);
  }
  return person;
}

export async function getPerson(ctx: ModuleContext, personId: string) {
  assertPermission(ctx, "user:read");
  const person = await visiblePerson(ctx, personId);
  const held = await ctx.db
    .select({
      id: memberships.id,
      organisationId: memberships.organisationId,
      organisationName: organisations.name,
      role: memberships.role,
      startsAt: memberships.startsAt,
      endsAt: memberships.endsAt,
      endedAt: memberships.endedAt,
      endedReason: memberships.endedReason,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.personId, personId), scopeCondition(ctx)))
    .orderBy(asc(memberships.startsAt));
  ctx.audit.record({ action: "person.read", objectType: "person", objectId: personId });
  return {
    id: person.id,
    name: person.name,
    email: person.email,
    status: statusOf(person),
    lockedAt: person.lockedAt,
    disabledAt: person.disabledAt,
    disabledReason: person.disabledReason,
    lastActivityAt: person.lastActivityAt,
    passwordChangedAt: person.passwordChangedAt,
    mfaEnrolledAt: person.mfaEnrolledAt,
    memberships: held.map((m) => ({ ...m, roleLabel: roleLabel(m.role) })),
  };
}

/** Release an account locked after failed sign-ins (AC-7). */
export async function releaseLockout(ctx: ModuleContext, personId: string) {
  assertPermission(ctx, "user:manage");
  const person = await visiblePerson(ctx, personId);
  if (!person.lockedAt) throw new InvalidInput({ form: "This account is not locked." });
  await ctx.db.update(people).set({ lockedAt: null, failedLogins: 0, firstFailedLoginAt: null }).where(eq(people.id, personId));
  ctx.audit.record({
    action: "person.unlock",
    objectType: "person",
    objectId: personId,
    details: { lockedAt: person.lockedAt.toISOString() },
  });
}

/**
 * Disable a person everywhere, in one action (gap 6): every session and every
 * API token they created stops working on the next request.
 */
export async function disableEverywhere(ctx: ModuleContext, personId: string, reasonInput: string) {
  assertPermission(ctx, "platform:deprovision");
  const reason = requireReason(reasonInput);
  const person = await visiblePerson(ctx, personId);
  if (person.disabledAt) throw new InvalidInput({ form: "This person is already disabled." });
  if (person.id === ctx.actor.personId) throw new InvalidInput({ form: "You cannot disable your own account." });
  await ctx.db
    .update(people)
    .set({ disabledAt: ctx.now, disabledReason: reason, disabledBy: ctx.actor.personId })
    .where(eq(people.id, personId));
  const details = await cutAccess(ctx.db, personId, ctx.now, `disabled: ${reason}`);
  await ctx.db
    .insert(deprovisioningRecords)
    .values({ kind: "person-disabled", personId, reason, actorId: ctx.actor.personId, at: ctx.now, details });
  ctx.audit.record({ action: "person.disable", objectType: "person", objectId: personId, details: { reason, ...details } });
}

export async function enablePerson(ctx: ModuleContext, personId: string, reasonInput: string) {
  assertPermission(ctx, "platform:deprovision");
  const reason = requireReason(reasonInput);
  const person = await visiblePerson(ctx, personId);
  if (!person.disabledAt) throw new InvalidInput({ form: "This person is not disabled." });
  await ctx.db
    .update(people)
    .set({ disabledAt: null, disabledReason: null, disabledBy: null, lastActivityAt: ctx.now })
    .where(eq(people.id, personId));
  await ctx.db
    .insert(deprovisioningRecords)
    .values({ kind: "person-enabled", personId, reason, actorId: ctx.actor.personId, at: ctx.now });
  ctx.audit.record({
    action: "person.enable",
    objectType: "person",
    objectId: personId,
    details: { reason, wasDisabledAt: person.disabledAt.toISOString(), wasDisabledFor: person.disabledReason },
  });
}

/** End one membership now (the person keeps any others). */
export async function endMembership(ctx: ModuleContext, membershipId: string, reasonInput: string) {
  assertPermission(ctx, "user:manage");
  const reason = requireReason(reasonInput);
  if (!/^[0-9a-f-]{36}$/i.test(membershipId)) throw new NotFound("membership", membershipId);
  const [membership] = await ctx.db
    .select()
    .from(memberships)
    .where(and(eq(memberships.id, membershipId), scopeCondition(ctx)));
  if (!membership) throw new NotFound("membership", membershipId);
  if (membership.endedAt) throw new InvalidInput({ form: "This role has already ended." });
  await ctx.db.update(memberships).set({ endedAt: ctx.now, endedReason: reason }).where(eq(memberships.id, membershipId));
  await ctx.db.insert(deprovisioningRecords).values({
    kind: "membership-ended",
    personId: membership.personId,
    organisationId: membership.organisationId,
    reason,
    actorId: ctx.actor.personId,
    at: ctx.now,
    details: { membershipId, role: membership.role },
  });
  ctx.audit.record({
    action: "membership.end",
    objectType: "membership",
    objectId: membershipId,
    organisationId: membership.organisationId,
    details: { reason, personId: membership.personId, role: membership.role },
  });
  const disabled = await disableUnassigned(ctx.db, ctx.audit, {
    personIds: [membership.personId],
    because: `role ${roleLabel(membership.role)} ended by an administrator: ${reason}`,
    organisationId: membership.organisationId,
    actorId: ctx.actor.personId,
    now: ctx.now,
  });
  return { personDisabled: disabled.length > 0 };
}

/**
 * A person who lost every factor (the authenticator and the recovery codes) gets a re-enrollment link:
 * their password, authenticator and recovery codes are cleared, every session and token of theirs
 * stops, and the link (an invitation to their same record, valid 72 hours) lets them set new ones.
 * Everything they did stays theirs. Shown once to the administrator, who hands it over in person or
 * by a channel they trust.
 */
export async function reEnrolmentLink(ctx: ModuleContext, personId: string, reasonInput: string) {
  assertPermission(ctx, "user:manage");
  const reason = requireReason(reasonInput);
  const person = await visiblePerson(ctx, personId);
  if (person.id === ctx.actor.personId)
    throw new InvalidInput({ form: "You cannot re-enroll yourself; another administrator must do it." });
  if (person.disabledAt) throw new InvalidInput({ form: "This person is disabled; enable them first." });
  const [membership] = await ctx.db
    .select()
    .from(memberships)
    .where(and(eq(memberships.personId, personId), scopeCondition(ctx), liveRole(ctx.now)))
    .orderBy(asc(memberships.startsAt))
    .limit(1);
  if (!membership) throw new InvalidInput({ form: "This person holds no live role you administer; invite them instead." });
  // The link takes over the whole account: roles elsewhere are another organization's to vouch for.
  if (!seesEveryone(ctx)) {
    const [elsewhere] = await ctx.db
      .select({ id: memberships.id })
      .from(memberships)
      .where(
        and(eq(memberships.personId, personId), liveRole(ctx.now), ne(memberships.organisationId, ctx.actor.organisationId!)),
      )
      .limit(1);
    if (elsewhere)
      throw new InvalidInput({
        form: "This person also holds a role in another organization; a platform administrator must re-enroll them.",
      });
  }
  await ctx.db
    .update(people)
    .set({
      passwordHash: null,
      passwordChangedAt: null,
      totpSecret: null,
      totpLastStep: null,
      mfaEnrolledAt: null,
      lockedAt: null,
      failedLogins: 0,
    })
    .where(eq(people.id, personId));
  await ctx.db
    .update(recoveryCodes)
    .set({ usedAt: ctx.now })
    .where(and(eq(recoveryCodes.personId, personId), isNull(recoveryCodes.usedAt)));
  // A lost device may hold a passkey: every passkey goes with the other factors.
  const passkeysRemoved = await ctx.db.delete(passkeys).where(eq(passkeys.personId, personId)).returning({ id: passkeys.id });
  const cut = await cutAccess(ctx.db, personId, ctx.now, `re-enrollment: ${reason}`);
  const { token } = await inviteExistingRecord(ctx.db, {
    personId,
    email: person.email,
    organisationId: membership.organisationId,
    role: membership.role,
    now: ctx.now,
  });
  ctx.audit.record({
    action: "person.reenrol",
    objectType: "person",
    objectId: personId,
    organisationId: membership.organisationId,
    details: { reason, ...cut, passkeysRemoved: passkeysRemoved.length },
  });
  return { token };
}
