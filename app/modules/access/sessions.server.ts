import { and, asc, eq, gt, isNull, lte, or, type Placeholder, sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { memberships, organisations, people, sessions, type Person } from "../../../db/schema/access.ts";
import { unreadCount } from "../notifications/notify.server.ts";
import { PASSWORD_MAX_AGE_DAYS } from "./password-rules.ts";
import { isRole, permissionsOf, type Permission, type Role } from "./permissions.ts";
import { newToken, sessionId, type Secrets } from "./secrets.server.ts";

/**
 * Sessions are database rows behind an id-only cookie (the row id is an HMAC of
 * the cookie's token). CJIS Security Policy v6.0 figures:
 * - AC-11: idle for 30 minutes → the next request must sign in again;
 * - IA-11: at most 12 hours after authentication → sign in again;
 * - AC-12: signing out ends the session on the server.
 */
export const IDLE_LIMIT_MS = 30 * 60 * 1000;
export const ABSOLUTE_LIMIT_MS = 12 * 60 * 60 * 1000;
/** Time allowed between the password and the second factor. */
export const MFA_STEP_LIMIT_MS = 5 * 60 * 1000;
/** lastSeenAt is written at most this often, to spare the database a write per request. */
const TOUCH_EVERY_MS = 15 * 1000;

export type LiveMembership = {
  id: string;
  organisationId: string;
  organisationName: string;
  organisationKind: "platform" | "agency" | "vendor";
  /** The organisation's IANA time zone: the person's "today" while they act for it. */
  timeZone: string;
  role: Role;
  endsAt: Date | null;
};

export type SessionState =
  | { status: "none" }
  | { status: "revoked" | "idle" | "expired" | "pending-mfa" | "mfa-abandoned" | "disabled"; sessionId: string; personId: string }
  | {
      status: "valid";
      sessionId: string;
      person: Pick<Person, "id" | "email" | "name" | "passwordChangedAt" | "lastActivityAt">;
      membership: LiveMembership | null;
      memberships: LiveMembership[];
      permissions: ReadonlySet<Permission>;
      passwordExpired: boolean;
      /** Whether the session holds a message for its next page (flash.server.ts claims and clears it). */
      hasFlash: boolean;
      /** Notifications the person has not read, when the session was resolved (the header's count). */
      unread: number;
    };

export async function createSession(
  db: Queryable,
  secrets: Secrets,
  input: { personId: string; now: Date; ip: string | null; userAgent: string | null; mfaAt: Date | null },
) {
  const token = newToken();
  const id = sessionId(secrets, token);
  await db.insert(sessions).values({
    id,
    personId: input.personId,
    createdAt: input.now,
    authenticatedAt: input.now,
    mfaAt: input.mfaAt,
    lastSeenAt: input.now,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 500) ?? null,
  });
  return { token, id };
}

/** A role that gives access right now: not ended, started, not past its end date, in a live organisation. */
export const liveRole = (now: Date | Placeholder) =>
  and(
    isNull(memberships.endedAt),
    lte(memberships.startsAt, now),
    or(isNull(memberships.endsAt), gt(memberships.endsAt, now)),
    sql`exists (select 1 from ${organisations} o where o.id = ${memberships.organisationId} and o.status = 'active')`,
  );

/** The columns a live membership is read with, and its order: by kind of organisation, then name. */
const membershipFields = {
  id: memberships.id,
  organisationId: memberships.organisationId,
  organisationName: organisations.name,
  organisationKind: organisations.kind,
  timeZone: organisations.timeZone,
  role: memberships.role,
  endsAt: memberships.endsAt,
};
const membershipOrder = [asc(organisations.kind), asc(organisations.name)] as const;

/** The memberships that give a person access right now, in live organisations. */
export async function liveMemberships(db: Queryable, personId: string, now: Date): Promise<LiveMembership[]> {
  const rows = await db
    .select(membershipFields)
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.personId, personId), liveRole(now)))
    .orderBy(...membershipOrder);
  return rows.flatMap((r) => (isRole(r.role) ? [{ ...r, role: r.role }] : []));
}

/**
 * The same memberships as liveMemberships, as one JSON column of a statement that reads the person
 * (people.id in scope), so a request learns who is asking in one round trip, not three.
 */
function liveMembershipsJson(now: Date | Placeholder) {
  const fields = Object.entries(membershipFields).map(([name, column]) => sql`${name}::text, ${column}`);
  return sql<MembershipJson[]>`(select coalesce(json_agg(json_build_object(${sql.join(fields, sql`, `)}) order by ${sql.join(
    [...membershipOrder],
    sql`, `,
  )}), '[]'::json) from ${memberships} inner join ${organisations} on ${organisations.id} = ${memberships.organisationId}
    where ${memberships.personId} = ${people.id} and ${liveRole(now)})`;
}
type MembershipJson = Omit<LiveMembership, "endsAt" | "role"> & { role: string; endsAt: string | null };

/**
 * The session, its person, their live roles and their unread notifications (for the header), in one
 * statement. Every request runs it, so drizzle builds its SQL once per database (a prepared query, with
 * the session id and the time as placeholders) instead of on each request; inside a transaction it is
 * built for that transaction.
 */
function buildSessionRead(db: Queryable) {
  return db
    .select({
      // Only what deciding the session and drawing the header need: never the password hash or the TOTP secret.
      session: {
        id: sessions.id,
        organisationId: sessions.organisationId,
        authenticatedAt: sessions.authenticatedAt,
        mfaAt: sessions.mfaAt,
        lastSeenAt: sessions.lastSeenAt,
        revokedAt: sessions.revokedAt,
        hasFlash: sql<boolean>`${sessions.flash} is not null`,
      },
      person: {
        id: people.id,
        email: people.email,
        name: people.name,
        passwordChangedAt: people.passwordChangedAt,
        lastActivityAt: people.lastActivityAt,
        disabledAt: people.disabledAt,
        lockedAt: people.lockedAt,
      },
      live: liveMembershipsJson(sql.placeholder("now")),
      unread: unreadCount(people.id),
    })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(eq(sessions.id, sql.placeholder("id")))
    .limit(1)
    .prepare("custody_session_read");
}
const sessionReads = new WeakMap<Queryable, ReturnType<typeof buildSessionRead>>();
function sessionRead(db: Queryable) {
  if ("rollback" in db) return buildSessionRead(db);
  let read = sessionReads.get(db);
  if (!read) sessionReads.set(db, (read = buildSessionRead(db)));
  return read;
}

/**
 * What a session token is worth right now. Idle and expired sessions are
 * revoked on the spot so they can never come back.
 */
export async function resolveSession(db: Queryable, secrets: Secrets, token: string | null, now: Date): Promise<SessionState> {
  if (!token) return { status: "none" };
  const id = sessionId(secrets, token);
  const [row] = await sessionRead(db).execute({ id, now: now.toISOString() });
  if (!row) return { status: "none" };
  const { session, person } = row;
  const ids = { sessionId: session.id, personId: person.id };
  if (session.revokedAt) return { status: "revoked", ...ids };
  if (person.disabledAt || person.lockedAt) {
    await revokeSession(db, session.id, now, person.disabledAt ? "person disabled" : "account locked");
    return { status: "disabled", ...ids };
  }
  if (!session.mfaAt) {
    // Password given but no code within 5 minutes: the sign-in was abandoned, not a session that expired.
    return now.getTime() - session.authenticatedAt.getTime() > MFA_STEP_LIMIT_MS
      ? { status: "mfa-abandoned", ...ids }
      : { status: "pending-mfa", ...ids };
  }
  if (now.getTime() - session.lastSeenAt.getTime() > IDLE_LIMIT_MS) {
    await revokeSession(db, session.id, now, "idle for 30 minutes");
    return { status: "idle", ...ids };
  }
  if (now.getTime() - session.authenticatedAt.getTime() > ABSOLUTE_LIMIT_MS) {
    await revokeSession(db, session.id, now, "12 hours since sign-in");
    return { status: "expired", ...ids };
  }
  const live = row.live.flatMap((m) =>
    isRole(m.role) ? [{ ...m, role: m.role, endsAt: m.endsAt === null ? null : new Date(m.endsAt) }] : [],
  );
  const membership = live.find((m) => m.organisationId === session.organisationId) ?? live[0] ?? null;
  if (membership && membership.organisationId !== session.organisationId) {
    await db.update(sessions).set({ organisationId: membership.organisationId }).where(eq(sessions.id, session.id));
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, session.id));
    await db.update(people).set({ lastActivityAt: now }).where(eq(people.id, person.id));
  }
  const passwordAgeMs = person.passwordChangedAt ? now.getTime() - person.passwordChangedAt.getTime() : Infinity;
  return {
    status: "valid",
    sessionId: session.id,
    person: {
      id: person.id,
      email: person.email,
      name: person.name,
      passwordChangedAt: person.passwordChangedAt,
      lastActivityAt: person.lastActivityAt,
    },
    membership,
    memberships: live,
    permissions: membership ? permissionsOf(membership.role) : new Set(),
    passwordExpired: passwordAgeMs > PASSWORD_MAX_AGE_DAYS * 24 * 60 * 60 * 1000,
    hasFlash: session.hasFlash,
    unread: row.unread,
  };
}

export async function revokeSession(db: Queryable, id: string, now: Date, reason: string) {
  await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

/** Revoke every live session of a person; returns how many were cut. */
export async function revokeAllSessions(db: Queryable, personId: string, now: Date, reason: string): Promise<number> {
  const cut = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.personId, personId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return cut.length;
}

/**
 * Open a session whose every factor is done (after a code, a passkey, or a directory that did multi-factor):
 * the failure count resets and the person's last activity is now.
 */
export async function openCompleteSession(
  db: Queryable,
  secrets: Secrets,
  input: { personId: string; now: Date; client: { ip: string | null; userAgent: string | null } },
) {
  const { personId, now, client } = input;
  const session = await createSession(db, secrets, { personId, now, ip: client.ip, userAgent: client.userAgent, mfaAt: now });
  await db.update(people).set({ failedLogins: 0, firstFailedLoginAt: null, lastActivityAt: now }).where(eq(people.id, personId));
  return session;
}
