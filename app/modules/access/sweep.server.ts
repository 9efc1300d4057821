import { and, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client.ts";
import { deprovisioningRecords, directoryRequests, memberships, people, webauthnChallenges } from "../../../db/schema/access.ts";
import { AuditRecorder, systemActor } from "../audit/audit.server.ts";
import { roleLabel } from "../format.ts";
import { disableUnassigned } from "./deprovision.server.ts";
import { revokeAllSessions } from "./sessions.server.ts";

/**
 * The stale-account sweep (gap 1; CJIS Security Policy v6.0 AC-2(3)): disables
 * anyone with no activity for 90 days and ends memberships past their end date.
 * Idempotent; a PostgreSQL advisory lock makes sure only one server copy runs it.
 */
export const STALE_AFTER_DAYS = 90;
export const SWEEP_EVERY_MS = 60 * 60 * 1000;
const SWEEP_LOCK_KEY = 72_122_003;

export type SweepResult = { ran: boolean; disabled: string[]; membershipsEnded: string[] };

export async function runStaleSweep(db: Database, now: Date): Promise<SweepResult> {
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${SWEEP_LOCK_KEY}) as locked`);
    if (!lock?.locked) return { ran: false, disabled: [], membershipsEnded: [] };

    const audit = new AuditRecorder(systemActor("stale-account sweep"), () => now);
    const cutoff = new Date(now.getTime() - STALE_AFTER_DAYS * 86_400_000);
    const reason = `No activity for ${STALE_AFTER_DAYS} days (CJIS Security Policy v6.0 AC-2(3))`;
    const stale = await tx
      .update(people)
      .set({ disabledAt: now, disabledBy: "sweep", disabledReason: reason })
      .where(
        and(
          isNull(people.disabledAt),
          isNotNull(people.mfaEnrolledAt),
          lte(sql`coalesce(${people.lastActivityAt}, ${people.createdAt})`, sql`${cutoff.toISOString()}::timestamptz`),
        ),
      )
      .returning({ id: people.id, email: people.email, lastActivityAt: people.lastActivityAt });
    for (const person of stale) {
      const sessionsRevoked = await revokeAllSessions(tx, person.id, now, reason);
      await tx.insert(deprovisioningRecords).values({
        kind: "person-disabled",
        personId: person.id,
        reason,
        actorId: null,
        at: now,
        details: { sessionsRevoked, by: "sweep" },
      });
      audit.record({
        action: "person.disable",
        objectType: "person",
        objectId: person.id,
        organisationId: null,
        details: { reason, lastActivityAt: person.lastActivityAt?.toISOString() ?? null, by: "sweep" },
      });
    }

    const ended = await tx
      .update(memberships)
      .set({ endedAt: now, endedReason: "End date reached" })
      .where(and(isNull(memberships.endedAt), lte(memberships.endsAt, now)))
      .returning({
        id: memberships.id,
        personId: memberships.personId,
        organisationId: memberships.organisationId,
        role: memberships.role,
        endsAt: memberships.endsAt,
      });
    for (const m of ended) {
      await tx.insert(deprovisioningRecords).values({
        kind: "membership-ended",
        personId: m.personId,
        organisationId: m.organisationId,
        reason: "End date reached",
        actorId: null,
        at: now,
        details: { membershipId: m.id, role: m.role, endsAt: m.endsAt?.toISOString() ?? null, by: "sweep" },
      });
      audit.record({
        action: "membership.end",
        objectType: "membership",
        objectId: m.id,
        organisationId: m.organisationId,
        details: { reason: "End date reached", personId: m.personId, by: "sweep" },
      });
    }
    const unassigned: string[] = [];
    for (const m of ended) {
      unassigned.push(
        ...(await disableUnassigned(tx, audit, {
          personIds: [m.personId],
          because: `role ${roleLabel(m.role)} reached its end date`,
          organisationId: m.organisationId,
          actorId: null,
          now,
        })),
      );
    }
    // Spent passkey challenges older than a day: their five minutes are long past, so none can be answered again.
    const challenges = await tx
      .delete(webauthnChallenges)
      .where(lte(webauthnChallenges.createdAt, new Date(now.getTime() - 86_400_000)))
      .returning({ id: webauthnChallenges.id });
    // SAML requests older than a day: answerable for 10 minutes only.
    const requests = await tx
      .delete(directoryRequests)
      .where(lte(directoryRequests.createdAt, new Date(now.getTime() - 86_400_000)))
      .returning({ id: directoryRequests.id });
    audit.record({
      action: "sweep.stale-accounts",
      details: {
        disabled: stale.length,
        membershipsEnded: ended.length,
        disabledWithoutRole: unassigned.length,
        spentPasskeyChallengesRemoved: challenges.length,
        oldDirectoryRequestsRemoved: requests.length,
      },
    });
    await audit.flush(tx);
    return { ran: true, disabled: [...stale.map((p) => p.id), ...unassigned], membershipsEnded: ended.map((m) => m.id) };
  });
}
