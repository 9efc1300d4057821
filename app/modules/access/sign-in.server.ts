import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../db/client.ts";
import { loginAttempts, people, recoveryCodes, sessions } from "../../../db/schema/access.ts";
import { anonymousActor, AuditRecorder, recordNow, type AuditActor } from "../audit/audit.server.ts";
import { verifyAgainstDecoy, verifyPassword } from "./passwords.server.ts";
import { decrypt, sameHash, sessionId, tokenHash, type Secrets } from "./secrets.server.ts";
import { createSession, MFA_STEP_LIMIT_MS, revokeSession } from "./sessions.server.ts";
import { matchTotp } from "./totp.server.ts";

/**
 * Signing in: password, then a second factor (CJIS Security Policy v6.0 IA-2).
 * AC-7: 5 consecutive failures within 15 minutes lock the account until an
 * administrator releases it. Failures are also throttled per source address.
 * Every answer to a person is the same whether or not the account exists.
 */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
export const ADDRESS_FAILURE_LIMIT = 20;

export type Client = { ip: string | null; userAgent: string | null };

/** The system-use notice (AC-8) was acknowledged, before anyone is known. */
export async function acknowledgeNotice(db: Db, client: Client, now: Date) {
  await recordNow(
    db,
    anonymousActor(client),
    [{ action: "auth.notice.acknowledged", details: { notice: "system use (AC-8)" } }],
    now,
  );
}

export type PasswordResult =
  { ok: true; token: string } | { ok: false; reason: "invalid" } | { ok: false; reason: "throttled"; retryAfterMinutes: number };

type Db = Database;

function actorFor(client: Client, person?: { id: string; email: string } | null, session?: string | null): AuditActor {
  return {
    personId: person?.id ?? null,
    sessionId: session ?? null,
    tokenId: null,
    label: person?.email ?? null,
    organisationId: null,
    ip: client.ip,
    userAgent: client.userAgent,
  };
}

/** The counter of consecutive failures, and the lock once it reaches five within the window. */
function afterFailure(person: { failedLogins: number; firstFailedLoginAt: Date | null }, now: Date) {
  const windowOpen = person.firstFailedLoginAt && now.getTime() - person.firstFailedLoginAt.getTime() <= LOCKOUT_WINDOW_MS;
  const failedLogins = windowOpen ? person.failedLogins + 1 : 1;
  return {
    failedLogins,
    firstFailedLoginAt: windowOpen ? person.firstFailedLoginAt : now,
    lockedAt: failedLogins >= LOCKOUT_THRESHOLD ? now : null,
  };
}

export async function signInWithPassword(
  db: Db,
  secrets: Secrets,
  input: { email: string; password: string; client: Client; now: Date },
): Promise<PasswordResult> {
  const email = input.email.trim().toLowerCase();
  const { client, now } = input;
  const ip = client.ip ?? "unknown";
  const [recent] = await db
    .select({ n: sql<number>`count(*)::int`, oldest: sql<Date | null>`min(${loginAttempts.at})` })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.ip, ip),
        eq(loginAttempts.succeeded, false),
        gt(loginAttempts.at, new Date(now.getTime() - LOCKOUT_WINDOW_MS)),
      ),
    );
  if ((recent?.n ?? 0) >= ADDRESS_FAILURE_LIMIT) {
    const oldest = recent?.oldest ? new Date(recent.oldest) : now;
    const retryAfterMinutes = Math.max(1, Math.ceil((oldest.getTime() + LOCKOUT_WINDOW_MS - now.getTime()) / 60_000));
    await db.transaction(async (tx) => {
      const audit = new AuditRecorder(actorFor(client), () => now);
      audit.record({ action: "auth.login.throttled", outcome: "denied", details: { email, failuresFromAddress: recent?.n } });
      await audit.flush(tx);
    });
    return { ok: false, reason: "throttled", retryAfterMinutes };
  }

  const [person] = await db.select().from(people).where(eq(people.email, email)).limit(1);
  const passwordOk = person?.passwordHash
    ? await verifyPassword(person.passwordHash, input.password)
    : await verifyAgainstDecoy(input.password);

  return db.transaction(async (tx) => {
    const audit = new AuditRecorder(actorFor(client, person), () => now);
    const fail = async (why: string) => {
      await tx.insert(loginAttempts).values({ at: now, ip, succeeded: false });
      audit.record({
        action: "auth.login.failed",
        outcome: "failed",
        objectType: "person",
        objectId: person?.id,
        details: { email, why },
      });
      await audit.flush(tx);
      return { ok: false as const, reason: "invalid" as const };
    };
    if (!person) return fail("no such account");
    if (person.disabledAt) return fail("account disabled");
    if (person.lockedAt) return fail("account locked");
    if (!person.mfaEnrolledAt) return fail("account setup not finished");
    if (!passwordOk) {
      const next = afterFailure(person, now);
      await tx.update(people).set(next).where(eq(people.id, person.id));
      if (next.lockedAt) {
        audit.record({
          action: "auth.account.locked",
          outcome: "success",
          objectType: "person",
          objectId: person.id,
          details: { failedLogins: next.failedLogins, withinMinutes: 15 },
        });
      }
      return fail("wrong password");
    }
    await tx.insert(loginAttempts).values({ at: now, ip, succeeded: true });
    const { token, id } = await createSession(tx, secrets, {
      personId: person.id,
      now,
      ip: client.ip,
      userAgent: client.userAgent,
      mfaAt: null,
    });
    audit.record({
      action: "auth.login.password-accepted",
      objectType: "person",
      objectId: person.id,
      details: { awaiting: "second factor" },
    });
    audit.actor.sessionId = id;
    await audit.flush(tx);
    return { ok: true as const, token };
  });
}

export type SecondFactorResult = { ok: true; token: string; personId: string } | { ok: false; reason: "invalid" | "expired" };

/**
 * Complete sign-in with a TOTP code or a one-time recovery code. On success the
 * session gets a new token (no session fixation) and the failure count resets.
 */
export async function verifySecondFactor(
  db: Db,
  secrets: Secrets,
  input: { token: string | null; code: string; client: Client; now: Date },
): Promise<SecondFactorResult> {
  const { client, now } = input;
  if (!input.token) return { ok: false, reason: "expired" };
  const pendingId = sessionId(secrets, input.token);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ session: sessions, person: people })
      .from(sessions)
      .innerJoin(people, eq(people.id, sessions.personId))
      .where(eq(sessions.id, pendingId))
      .limit(1);
    if (
      !row ||
      row.session.revokedAt ||
      row.session.mfaAt ||
      now.getTime() - row.session.authenticatedAt.getTime() > MFA_STEP_LIMIT_MS
    ) {
      return { ok: false as const, reason: "expired" as const };
    }
    const { person } = row;
    const audit = new AuditRecorder(actorFor(client, person, pendingId), () => now);
    if (person.disabledAt || person.lockedAt || !person.totpSecret) {
      await revokeSession(tx, pendingId, now, "account not usable");
      audit.record({
        action: "auth.mfa.failed",
        outcome: "failed",
        objectType: "person",
        objectId: person.id,
        details: { why: "account disabled or locked" },
      });
      await audit.flush(tx);
      return { ok: false as const, reason: "expired" as const };
    }
    const code = input.code.trim();
    let method: "totp" | "recovery-code" | null = null;
    const step = matchTotp(decrypt(secrets, person.totpSecret), code, now);
    if (step !== null && (person.totpLastStep === null || step > person.totpLastStep)) {
      method = "totp";
      await tx.update(people).set({ totpLastStep: step }).where(eq(people.id, person.id));
    } else if (step !== null) {
      audit.record({ action: "auth.mfa.replay-refused", outcome: "denied", objectType: "person", objectId: person.id });
    } else if (/^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(code)) {
      const hash = tokenHash(code.replace("-", "").toLowerCase());
      const unused = await tx
        .select({ id: recoveryCodes.id, codeHash: recoveryCodes.codeHash })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.personId, person.id), isNull(recoveryCodes.usedAt)));
      const match = unused.find((c) => sameHash(c.codeHash, hash));
      if (match) {
        method = "recovery-code";
        await tx.update(recoveryCodes).set({ usedAt: now }).where(eq(recoveryCodes.id, match.id));
      }
    }
    if (!method) {
      const next = afterFailure(person, now);
      await tx.update(people).set(next).where(eq(people.id, person.id));
      await tx.insert(loginAttempts).values({ at: now, ip: client.ip ?? "unknown", succeeded: false });
      audit.record({ action: "auth.mfa.failed", outcome: "failed", objectType: "person", objectId: person.id });
      if (next.lockedAt) {
        await revokeSession(tx, pendingId, now, "account locked");
        audit.record({
          action: "auth.account.locked",
          objectType: "person",
          objectId: person.id,
          details: { failedLogins: next.failedLogins },
        });
      }
      await audit.flush(tx);
      return { ok: false as const, reason: next.lockedAt ? ("expired" as const) : ("invalid" as const) };
    }
    await revokeSession(tx, pendingId, now, "replaced after second factor");
    const { token, id } = await createSession(tx, secrets, {
      personId: person.id,
      now,
      ip: client.ip,
      userAgent: client.userAgent,
      mfaAt: now,
    });
    await tx
      .update(people)
      .set({ failedLogins: 0, firstFailedLoginAt: null, lastActivityAt: now })
      .where(eq(people.id, person.id));
    audit.actor.sessionId = id;
    audit.record({ action: "auth.login.succeeded", objectType: "person", objectId: person.id, details: { method } });
    await audit.flush(tx);
    return { ok: true as const, token, personId: person.id };
  });
}

export async function signOut(db: Db, secrets: Secrets, input: { token: string | null; client: Client; now: Date }) {
  if (!input.token) return;
  const id = sessionId(secrets, input.token);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ personId: sessions.personId, email: people.email, revokedAt: sessions.revokedAt })
      .from(sessions)
      .innerJoin(people, eq(people.id, sessions.personId))
      .where(eq(sessions.id, id));
    if (!row || row.revokedAt) return;
    await revokeSession(tx, id, input.now, "signed out");
    const audit = new AuditRecorder(actorFor(input.client, { id: row.personId, email: row.email }, id), () => input.now);
    audit.record({ action: "auth.logout", objectType: "session", objectId: id });
    await audit.flush(tx);
  });
}
