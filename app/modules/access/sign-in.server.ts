import { and, eq, isNull, sql } from "drizzle-orm";
import { type Database, type Queryable, queryRows } from "../../../db/client.ts";
import { loginAttempts, people, recoveryCodes, sessions } from "../../../db/schema/access.ts";
import { anonymousActor, AuditRecorder, recordNow, type AuditActor } from "../audit/audit.server.ts";
import { verifyAgainstDecoy, verifyPassword } from "./passwords.server.ts";
import { decrypt, sameHash, sessionId, tokenHash, type Secrets } from "./secrets.server.ts";
import { audienceOf } from "./audience.server.ts";
import { createSession, liveMemberships, MFA_STEP_LIMIT_MS, openCompleteSession, revokeSession } from "./sessions.server.ts";
import { matchTotp } from "./totp.server.ts";
import { localSignInPolicy, reportBreakGlass } from "./directory-sign-in.server.ts";
import { checkPasskey, type RelyingParty } from "./passkeys.server.ts";

/**
 * Signing in: password, then a second factor (CJIS Security Policy v6.0 IA-2).
 * AC-7: 5 consecutive failures within 15 minutes lock the account until an
 * administrator releases it; that lock is what stops guessing. Agencies sit behind one
 * address (NAT), so the limits by address never stand between a person and their account:
 * - one address failing 10 times within 15 minutes for one e-mail address is throttled for that
 *   address only (the same limit whether or not the account exists);
 * - one address failing 50 times within 15 minutes across at least 10 different e-mail addresses
 *   (password spraying) is throttled for every address it tries;
 * a throttled attempt with the right password for a usable account still goes on to the second
 * factor; a wrong one is told how long to wait. Every answer to a person is the same whether or
 * not the account exists, and a disabled account, or one with no live role, answers like a wrong
 * password; the audit trail keeps the real reason, readable by the person's organisations.
 */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
export const ACCOUNT_ADDRESS_FAILURE_LIMIT = 10;
export const SPRAY_FAILURE_LIMIT = 50;
export const SPRAY_DISTINCT_ACCOUNTS = 10;

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
  | { ok: true; token: string }
  | { ok: false; reason: "invalid" }
  /** The password was right, but an agency of theirs requires its directory (they are not its break-glass administrator). */
  | { ok: false; reason: "directory-required"; directory: string }
  | { ok: false; reason: "throttled"; scope: "account" | "address"; retryAfterMinutes: number };

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

/** Whether failures from this address call for a wait, and how long: for this e-mail address, or for all. */
async function throttleFor(db: Queryable, ip: string, email: string, now: Date) {
  const since = new Date(now.getTime() - LOCKOUT_WINDOW_MS);
  const [row] = await queryRows<{ pair: number; pair_oldest: Date | null; total: number; accounts: number; oldest: Date | null }>(
    db,
    sql`select count(*) filter (where ${loginAttempts.email} = ${email})::int as pair,
               min(${loginAttempts.at}) filter (where ${loginAttempts.email} = ${email}) as pair_oldest,
               count(*)::int as total,
               count(distinct ${loginAttempts.email})::int as accounts,
               min(${loginAttempts.at}) as oldest
          from ${loginAttempts}
         where ${loginAttempts.ip} = ${ip} and ${loginAttempts.succeeded} = false and ${loginAttempts.at} > ${since.toISOString()}::timestamptz`,
  );
  const wait = (oldest: Date | string | null) =>
    Math.max(1, Math.ceil((new Date(oldest ?? now).getTime() + LOCKOUT_WINDOW_MS - now.getTime()) / 60_000));
  if (row && row.pair >= ACCOUNT_ADDRESS_FAILURE_LIMIT)
    return { scope: "account" as const, retryAfterMinutes: wait(row.pair_oldest), failures: row.pair };
  if (row && row.total >= SPRAY_FAILURE_LIMIT && row.accounts >= SPRAY_DISTINCT_ACCOUNTS)
    return { scope: "address" as const, retryAfterMinutes: wait(row.oldest), failures: row.total, accounts: row.accounts };
  return null;
}

export async function signInWithPassword(
  db: Db,
  secrets: Secrets,
  input: { email: string; password: string; client: Client; now: Date },
): Promise<PasswordResult> {
  const email = input.email.trim().toLowerCase();
  const { client, now } = input;
  const ip = client.ip ?? "unknown";
  const [person] = await db.select().from(people).where(eq(people.email, email)).limit(1);
  const passwordOk = person?.passwordHash
    ? await verifyPassword(person.passwordHash, input.password)
    : await verifyAgainstDecoy(input.password);

  return db.transaction(async (tx) => {
    const audit = new AuditRecorder(actorFor(client, person), () => now);
    audit.audience = await audienceOf(tx, person?.id, now);
    const live = person ? await liveMemberships(tx, person.id, now) : [];
    const usable = !!person && !person.disabledAt && !person.lockedAt && !!person.mfaEnrolledAt && live.length > 0;
    const throttle = passwordOk && usable ? null : await throttleFor(tx, ip, email, now);
    const fail = async (why: string) => {
      await tx.insert(loginAttempts).values({ at: now, ip, email, succeeded: false });
      audit.record({
        action: "auth.login.failed",
        outcome: "failed",
        objectType: "person",
        objectId: person?.id,
        details: { email, why },
      });
      if (throttle) {
        audit.record({
          action: "auth.login.throttled",
          outcome: "denied",
          objectType: person ? "person" : undefined,
          objectId: person?.id,
          details: { email, ...throttle },
        });
      }
      await audit.flush(tx);
      return throttle
        ? {
            ok: false as const,
            reason: "throttled" as const,
            scope: throttle.scope,
            retryAfterMinutes: throttle.retryAfterMinutes,
          }
        : { ok: false as const, reason: "invalid" as const };
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
    if (live.length === 0) return fail("no live role");
    const policy = await localSignInPolicy(tx, audit, person.id, now, { email });
    if (policy.refusedBy) {
      await audit.flush(tx);
      return { ok: false as const, reason: "directory-required" as const, directory: policy.refusedBy };
    }
    await tx.insert(loginAttempts).values({ at: now, ip, email, succeeded: true });
    const { token, id } = await createSession(tx, secrets, {
      personId: person.id,
      now,
      ip: client.ip,
      userAgent: client.userAgent,
      mfaAt: null,
    });
    audit.actor.sessionId = id;
    audit.record({
      action: "auth.notice.acknowledged",
      objectType: "person",
      objectId: person.id,
      details: { notice: "system use (AC-8)", acknowledgedBefore: "password" },
    });
    audit.record({
      action: "auth.login.password-accepted",
      objectType: "person",
      objectId: person.id,
      details: { awaiting: "second factor" },
    });
    if (policy.breakGlass.length > 0) await reportBreakGlass(tx, audit, person, policy.breakGlass, now);
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
  input: { token: string | null; code: string; client: Client; now: Date; passkey?: { response: string; rp: RelyingParty } },
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
    audit.audience = await audienceOf(tx, person.id, now);
    const live = await liveMemberships(tx, person.id, now);
    if (person.disabledAt || person.lockedAt || !person.totpSecret || live.length === 0) {
      await revokeSession(tx, pendingId, now, "account not usable");
      audit.record({
        action: "auth.mfa.failed",
        outcome: "failed",
        objectType: "person",
        objectId: person.id,
        details: {
          why: person.disabledAt
            ? "account disabled"
            : person.lockedAt
              ? "account locked"
              : live.length === 0
                ? "no live role"
                : "no authenticator",
        },
      });
      await audit.flush(tx);
      return { ok: false as const, reason: "expired" as const };
    }
    const code = input.code.trim();
    let method: "totp" | "recovery-code" | "passkey" | null = null;
    const step = input.passkey ? null : matchTotp(decrypt(secrets, person.totpSecret), code, now);
    if (input.passkey) {
      const checked = await checkPasskey(tx, secrets, input.passkey.rp, {
        response: input.passkey.response,
        purpose: "second-factor",
        personId: person.id,
        now,
      });
      if (checked.ok) method = "passkey";
      else
        audit.record({
          action: "auth.passkey.refused",
          outcome: "failed",
          objectType: "person",
          objectId: person.id,
          details: { why: checked.why },
        });
    } else if (step !== null && (person.totpLastStep === null || step > person.totpLastStep)) {
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
      await tx.insert(loginAttempts).values({ at: now, ip: client.ip ?? "unknown", email: person.email, succeeded: false });
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
    const { token, id } = await openCompleteSession(tx, secrets, { personId: person.id, now, client });
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
    audit.audience = await audienceOf(tx, row.personId, input.now);
    audit.record({ action: "auth.logout", objectType: "session", objectId: id });
    await audit.flush(tx);
  });
}
