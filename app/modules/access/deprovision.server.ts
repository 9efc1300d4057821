import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { apiTokens, deprovisioningRecords, memberships, people } from "../../../db/schema/access.ts";
import type { AuditRecorder } from "../audit/audit.server.ts";
import { liveRole, revokeAllSessions } from "./sessions.server.ts";

/**
 * No account without an assignment (CJIS Security Policy v6.0 AC-2(3)). Whenever roles end —
 * an agency decommissioned, a task-force assignment past its end date, a role revoked in an
 * access review, a role an administrator ends — whoever is left with no live role anywhere is
 * disabled in the same transaction, with a deprovisioning record naming why. A person who still
 * holds a role elsewhere keeps that one and nothing else changes for them.
 */

/** Cut what lets a person in: every session, and the API tokens they created. */
export async function cutAccess(db: Queryable, personId: string, now: Date, reason: string) {
  const sessionsRevoked = await revokeAllSessions(db, personId, now, reason);
  const tokens = await db
    .update(apiTokens)
    .set({ revokedAt: now, revokedReason: `creator disabled: ${reason}` })
    .where(and(eq(apiTokens.createdBy, personId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return { sessionsRevoked, tokensRevoked: tokens.map((t) => t.id) };
}

export type RolesEnded = {
  /** The people whose roles just ended. */
  personIds: string[];
  /** Why, as the deprovisioning record and the person's page say it ("Harbor City PD decommissioned: …"). */
  because: string;
  /** The organisation whose roles ended, for the audit events. */
  organisationId: string | null;
  /** The administrator who acted; null for the sweep. */
  actorId: string | null;
  now: Date;
};

/** Disable everyone among `personIds` left with no live role; returns whom it disabled. */
export async function disableUnassigned(db: Queryable, audit: AuditRecorder, ended: RolesEnded): Promise<string[]> {
  const ids = [...new Set(ended.personIds)];
  if (ids.length === 0) return [];
  const stillAssigned = await db
    .selectDistinct({ personId: memberships.personId })
    .from(memberships)
    .where(and(inArray(memberships.personId, ids), liveRole(ended.now)));
  const keep = new Set(stillAssigned.map((r) => r.personId));
  const candidates = ids.filter((id) => !keep.has(id));
  if (candidates.length === 0) return [];
  const reason = `No live role left: ${ended.because}`;
  const disabled = await db
    .update(people)
    .set({ disabledAt: ended.now, disabledReason: reason, disabledBy: ended.actorId ?? "sweep" })
    .where(and(inArray(people.id, candidates), isNull(people.disabledAt)))
    .returning({ id: people.id, email: people.email });
  for (const person of disabled) {
    const cut = await cutAccess(db, person.id, ended.now, reason);
    const details = { because: "last role ended", ...cut, by: ended.actorId ? "administrator" : "sweep" };
    await db.insert(deprovisioningRecords).values({
      kind: "person-disabled",
      personId: person.id,
      organisationId: ended.organisationId,
      reason,
      actorId: ended.actorId,
      at: ended.now,
      details,
    });
    audit.record({
      action: "person.disable",
      objectType: "person",
      objectId: person.id,
      organisationId: ended.organisationId,
      details: { reason, ...details },
    });
  }
  return disabled.map((p) => p.id);
}

/** How many people hold a live role in an organisation, and how many of them hold none elsewhere. */
export async function assignmentCounts(db: Queryable, organisationId: string, now: Date) {
  const holders = await db
    .selectDistinct({ personId: memberships.personId })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.organisationId, organisationId), liveRole(now), isNull(people.disabledAt)));
  if (holders.length === 0) return { withRole: 0, wouldBeLeftWithout: 0 };
  const elsewhere = await db
    .selectDistinct({ personId: memberships.personId })
    .from(memberships)
    .where(
      and(
        inArray(
          memberships.personId,
          holders.map((h) => h.personId),
        ),
        ne(memberships.organisationId, organisationId),
        liveRole(now),
      ),
    );
  return { withRole: holders.length, wouldBeLeftWithout: holders.length - elsewhere.length };
}

/** What `disabledBy` says of a person the agency's directory disabled (the directory may enable them again). */
export const directoryMark = (agencyId: string) => `directory:${agencyId}`;

/**
 * The agency's directory ended roles (SCIM deactivation or group removal, or groups at sign-in): each
 * ends with a deprovisioning record naming the directory, and a person left with no role anywhere is
 * disabled at once (`disabledBy` set to `mark`, so the directory may enable them again).
 */
export async function endDirectoryRoles(
  db: Queryable,
  audit: AuditRecorder,
  input: {
    agencyId: string;
    personId: string;
    /** The roles to end; all the person holds in the agency when omitted. */
    roles?: string[];
    /** Why, after "The agency's directory: " (e.g. "set inactive in the agency's directory"). */
    why: string;
    /** "directory" (SCIM) or "directory groups at sign-in". */
    source: string;
    tokenId: string | null;
    now: Date;
    mark: string;
    /** Disable a person with no role anywhere even when no role ended here (a deactivated person who held none). */
    alwaysCheck?: boolean;
  },
) {
  const { agencyId, personId, why, now } = input;
  const ended = await db
    .update(memberships)
    .set({ endedAt: now, endedReason: `Directory: ${why}` })
    .where(
      and(
        eq(memberships.personId, personId),
        eq(memberships.organisationId, agencyId),
        isNull(memberships.endedAt),
        input.roles ? inArray(memberships.role, input.roles) : undefined,
      ),
    )
    .returning();
  for (const m of ended) {
    await db.insert(deprovisioningRecords).values({
      kind: "membership-ended",
      personId,
      organisationId: agencyId,
      reason: `The agency's directory: ${why}`,
      actorId: null,
      at: now,
      details: { source: input.source, tokenId: input.tokenId, membershipId: m.id, role: m.role },
    });
    audit.record({
      action: "membership.end",
      objectType: "membership",
      objectId: m.id,
      organisationId: agencyId,
      details: { reason: `directory: ${why}`, personId, role: m.role, source: input.source },
    });
  }
  if (ended.length === 0 && !input.alwaysCheck) return { rolesEnded: 0, disabled: false };
  const disabled = await disableUnassigned(db, audit, {
    personIds: [personId],
    because: `the agency's directory: ${why}`,
    organisationId: agencyId,
    actorId: null,
    now,
  });
  if (disabled.length > 0) await db.update(people).set({ disabledBy: input.mark }).where(eq(people.id, personId));
  return { rolesEnded: ended.length, disabled: disabled.length > 0 };
}
