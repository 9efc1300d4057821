import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptInvitation, createInvitation, openInvitation } from "../../app/modules/access/accounts.server.ts";
import { passwordProblem, commonPasswordCount } from "../../app/modules/access/passwords.server.ts";
import { resolveSession } from "../../app/modules/access/sessions.server.ts";
import { signInWithPassword, signOut, verifySecondFactor } from "../../app/modules/access/sign-in.server.ts";
import { totpCode } from "../../app/modules/access/totp.server.ts";
import { inTransaction, systemActorContext } from "../../app/modules/context.server.ts";
import { releaseLockout } from "../../app/modules/access/people.server.ts";
import { permissionsOf } from "../../app/modules/access/permissions.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { people } from "../../db/schema/access.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { makeAccount, seedOrganisations, signIn, testClient, testSecrets } from "../support/accounts.ts";
import { createTestDatabase } from "../support/database.ts";

let handle: DatabaseHandle;
let orgs: Awaited<ReturnType<typeof seedOrganisations>>;
const t0 = new Date("2026-11-23T09:00:00.000Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

beforeAll(async () => {
  handle = await createTestDatabase();
  orgs = await seedOrganisations(handle.db);
});
afterAll(async () => {
  await handle.close();
});

const password = (email: string, pw: string, now: Date, ip = testClient.ip) =>
  signInWithPassword(handle.db, testSecrets, { email, password: pw, client: { ...testClient, ip }, now });

async function events(action: string) {
  return handle.db.select().from(auditEvents).where(eq(auditEvents.action, action));
}

describe("passwords", () => {
  it("need at least 8 characters, accept long phrases with spaces, and refuse the common ones with the reason", () => {
    expect(commonPasswordCount).toBeGreaterThanOrEqual(10_000);
    expect(passwordProblem("short1")).toMatch(/at least 8 characters/);
    expect(passwordProblem("password123")).toMatch(/commonly used or breached/);
    expect(passwordProblem("iloveyou")).toMatch(/commonly used or breached/);
    expect(passwordProblem("correct horse battery staple ".repeat(2).trim())).toBeNull();
    expect(passwordProblem("x".repeat(64) + "Y!")).toBeNull();
    expect(passwordProblem("a".repeat(257))).toMatch(/at most 256/);
    expect(passwordProblem("tab\there is bad")).toMatch(/printable/);
  });
});

describe("signing in", () => {
  it("needs the password and then a current authenticator code; the code alone or the password alone is not enough", async () => {
    const account = await makeAccount(handle.db, orgs.agencyA.id, "legal", t0);
    const first = await password(account.email, account.password, at(1));
    expect(first.ok).toBe(true);
    const pending = await resolveSession(handle.db, testSecrets, first.ok ? first.token : null, at(1));
    expect(pending.status).toBe("pending-mfa");
    const wrong = await verifySecondFactor(handle.db, testSecrets, {
      token: first.ok ? first.token : null,
      code: "000000",
      client: testClient,
      now: at(1),
    });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    const right = await verifySecondFactor(handle.db, testSecrets, {
      token: first.ok ? first.token : null,
      code: totpCode(account.totpSecret, at(1)),
      client: testClient,
      now: at(1),
    });
    expect(right.ok).toBe(true);
    // The pending token was replaced: it is worthless now.
    expect((await resolveSession(handle.db, testSecrets, first.ok ? first.token : null, at(1))).status).toBe("revoked");
    const session = await resolveSession(handle.db, testSecrets, right.ok ? right.token : null, at(1));
    expect(session.status).toBe("valid");
    expect(session.status === "valid" && [...session.permissions]).toEqual([...permissionsOf("legal")]);
  });

  it("refuses a code that was already used (replay), and records the attempt", async () => {
    const account = await makeAccount(handle.db, orgs.agencyA.id, "auditor", t0);
    await signIn(handle.db, account, at(5)); // uses the code of the step after at(5)
    const again = await password(account.email, account.password, at(5));
    const replay = await verifySecondFactor(handle.db, testSecrets, {
      token: again.ok ? again.token : null,
      code: totpCode(account.totpSecret, new Date(at(5).getTime() + 30_000)),
      client: testClient,
      now: at(5),
    });
    expect(replay).toEqual({ ok: false, reason: "invalid" });
    expect((await events("auth.mfa.replay-refused")).some((e) => e.objectId === account.personId)).toBe(true);
  });

  it("lets a person sign in with the code the authenticator shows in the very window the account was set up (as right after a fresh demo start)", async () => {
    const account = await makeAccount(handle.db, orgs.agencyA.id, "legal", at(7));
    const first = await password(account.email, account.password, at(7));
    const second = await verifySecondFactor(handle.db, testSecrets, {
      token: first.ok ? first.token : null,
      code: totpCode(account.totpSecret, at(7)),
      client: testClient,
      now: at(7),
    });
    expect(second).toMatchObject({ ok: true });
  });

  it("accepts a recovery code once, in place of the authenticator", async () => {
    const { token } = await createInvitationToken("recovery@example.test");
    const view = await openInvitation(handle.db, testSecrets, token, t0);
    const secret = view.usable ? view.enrolment.manualKey.replace(/\s/g, "") : "";
    const accepted = await acceptInvitation(
      handle.db,
      testSecrets,
      token,
      { name: "Rae Covery", password: "a long and unusual pass phrase", code: totpCode(secret, t0) },
      testClient,
      t0,
    );
    const code = accepted.recoveryCodes[0]!;
    const first = await password("recovery@example.test", "a long and unusual pass phrase", at(10));
    expect(
      (
        await verifySecondFactor(handle.db, testSecrets, {
          token: first.ok ? first.token : null,
          code,
          client: testClient,
          now: at(10),
        })
      ).ok,
    ).toBe(true);
    const second = await password("recovery@example.test", "a long and unusual pass phrase", at(11));
    expect(
      await verifySecondFactor(handle.db, testSecrets, {
        token: second.ok ? second.token : null,
        code,
        client: testClient,
        now: at(11),
      }),
    ).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("answers an unknown account exactly as a wrong password", async () => {
    const account = await makeAccount(handle.db, orgs.agencyA.id, "legal", t0);
    expect(await password("nobody@example.test", "whatever it is", at(20), "198.51.100.1")).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await password(account.email, "wrong password here", at(20), "198.51.100.1")).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("locks the account after 5 failures within 15 minutes, until an administrator releases it", async () => {
    const account = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", t0);
    for (let i = 0; i < 5; i++) await password(account.email, `wrong ${i} password`, at(30 + i), "198.51.100.2");
    const [locked] = await handle.db.select().from(people).where(eq(people.id, account.personId));
    expect(locked!.lockedAt).toEqual(at(34));
    expect((await events("auth.account.locked")).some((e) => e.objectId === account.personId)).toBe(true);
    // Even the right password is refused now, with the same answer as a wrong one.
    expect(await password(account.email, account.password, at(60), "198.51.100.2")).toEqual({ ok: false, reason: "invalid" });
    expect(await password(account.email, account.password, at(60 * 24), "198.51.100.2")).toEqual({
      ok: false,
      reason: "invalid",
    });

    const admin = await makeAccount(handle.db, orgs.agencyA.id, "agency-admin", t0);
    await inTransaction(
      handle.db,
      {
        actor: {
          ...systemActorContext(),
          personId: admin.personId,
          organisationId: orgs.agencyA.id,
          organisationKind: "agency",
          role: "agency-admin",
          permissions: permissionsOf("agency-admin"),
        },
        now: at(60 * 24),
        secrets: testSecrets,
      },
      (ctx) => releaseLockout(ctx, account.personId),
    );
    expect((await password(account.email, account.password, at(60 * 24 + 1), "198.51.100.2")).ok).toBe(true);
    const [unlock] = (await events("person.unlock")).filter((e) => e.objectId === account.personId);
    expect(unlock!.actorPersonId).toBe(admin.personId);
  });

  it("does not lock when the failures are spread over more than 15 minutes", async () => {
    const account = await makeAccount(handle.db, orgs.agencyA.id, "legal", t0);
    for (let i = 0; i < 6; i++) await password(account.email, `wrong ${i} password`, at(100 + i * 4), "198.51.100.3");
    const [person] = await handle.db.select().from(people).where(eq(people.id, account.personId));
    expect(person!.lockedAt).toBeNull();
  });

  it("tells an address spraying many accounts to wait, yet an administrator behind the same address still signs in with the right password and code", async () => {
    const ip = "203.0.113.9";
    for (let i = 0; i < 50; i++) await password(`someone${i % 12}@example.test`, `not it ${i}`, at(200), ip);
    expect(await password("someone@example.test", "not it at all", at(201), ip)).toEqual({
      ok: false,
      reason: "throttled",
      scope: "address",
      retryAfterMinutes: 14,
    });
    // Another network is not affected; the limit lifts once the window has passed.
    expect(await password("someone@example.test", "not it at all", at(201), "203.0.113.10")).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await password("x@example.test", "y", at(216), ip)).toEqual({ ok: false, reason: "invalid" });

    const admin = await makeAccount(handle.db, orgs.agencyA.id, "agency-admin", t0);
    const first = await password(admin.email, admin.password, at(202), ip);
    expect(first.ok).toBe(true);
    const second = await verifySecondFactor(handle.db, testSecrets, {
      token: first.ok ? first.token : null,
      code: totpCode(admin.totpSecret, new Date(at(202).getTime() + 30_000)),
      client: { ...testClient, ip },
      now: at(202),
    });
    expect(second.ok).toBe(true);
    const throttled = (await events("auth.login.throttled")).filter((e) => e.ip === ip);
    expect(throttled[0]!.details).toMatchObject({ scope: "address", accounts: 12 });
  });

  it("throttles one e-mail address from one address after 10 failures, whether or not the account exists, and nobody else", async () => {
    const ip = "203.0.113.20";
    const target = "not-a-person@example.test";
    for (let i = 0; i < 10; i++) await password(target, `guess ${i}`, at(400 + i), ip);
    expect(await password(target, "guess 11", at(410), ip)).toEqual({
      ok: false,
      reason: "throttled",
      scope: "account",
      retryAfterMinutes: 5,
    });
    expect(await password(target, "guess 12", at(410), "203.0.113.21")).toEqual({ ok: false, reason: "invalid" });
    expect(await password("colleague@example.test", "guess", at(410), ip)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("sessions", () => {
  it("end after 30 minutes without activity, and the next request must sign in again", async () => {
    const account = await makeAccount(handle.db, orgs.agencyA.id, "legal", t0);
    const { token } = await signIn(handle.db, account, at(300));
    expect((await resolveSession(handle.db, testSecrets, token, at(329))).status).toBe("valid");
    expect((await resolveSession(handle.db, testSecrets, token, at(358))).status).toBe("valid");
    expect((await resolveSession(handle.db, testSecrets, token, at(389))).status).toBe("idle");
    expect((await resolveSession(handle.db, testSecrets, token, at(390))).status).toBe("revoked");
  });

  it("end 12 hours after sign-in even when used all along", async () => {
    const account = await makeAccount(handle.db, orgs.agencyA.id, "legal", t0);
    const { token } = await signIn(handle.db, account, at(400));
    for (let m = 420; m <= 400 + 12 * 60; m += 20)
      expect((await resolveSession(handle.db, testSecrets, token, at(m))).status).toBe("valid");
    expect((await resolveSession(handle.db, testSecrets, token, at(400 + 12 * 60 + 10))).status).toBe("expired");
  });

  it("treat a sign-in left between password and code for over 5 minutes as abandoned, not as an expired session", async () => {
    const account = await makeAccount(handle.db, orgs.agencyA.id, "legal", t0);
    const first = await password(account.email, account.password, at(700));
    const token = first.ok ? first.token : null;
    expect((await resolveSession(handle.db, testSecrets, token, at(704))).status).toBe("pending-mfa");
    expect((await resolveSession(handle.db, testSecrets, token, at(706))).status).toBe("mfa-abandoned");
    const late = await verifySecondFactor(handle.db, testSecrets, {
      token,
      code: totpCode(account.totpSecret, at(706)),
      client: testClient,
      now: at(706),
    });
    expect(late).toEqual({ ok: false, reason: "expired" });
  });

  it("end on the server when the person signs out", async () => {
    const account = await makeAccount(handle.db, orgs.agencyA.id, "legal", t0);
    const { token } = await signIn(handle.db, account, at(500));
    await signOut(handle.db, testSecrets, { token, client: testClient, now: at(501) });
    expect((await resolveSession(handle.db, testSecrets, token, at(501))).status).toBe("revoked");
    expect((await events("auth.logout")).some((e) => e.actorPersonId === account.personId)).toBe(true);
  });
});

async function createInvitationToken(email: string, organisationId = orgs.agencyA.id, role = "legal", now = t0) {
  return inTransaction(
    handle.db,
    {
      actor: {
        ...systemActorContext(),
        organisationKind: "platform",
        role: "platform-admin",
        permissions: permissionsOf("platform-admin"),
      },
      now,
      secrets: testSecrets,
    },
    (ctx) => createInvitation(ctx, { email, organisationId, role, membershipEndsAt: null }),
  );
}

describe("invitations", () => {
  it("work once: a second use of the link is refused", async () => {
    const { token } = await createInvitationToken("once@example.test");
    const view = await openInvitation(handle.db, testSecrets, token, t0);
    const secret = view.usable ? view.enrolment.manualKey.replace(/\s/g, "") : "";
    const input = { name: "Una Once", password: "a long and unusual pass phrase", code: totpCode(secret, t0) };
    await acceptInvitation(handle.db, testSecrets, token, input, testClient, t0);
    expect(await openInvitation(handle.db, testSecrets, token, t0)).toEqual({ usable: false, problem: "used" });
    await expect(acceptInvitation(handle.db, testSecrets, token, input, testClient, t0)).rejects.toThrow(/can no longer be used/);
  });

  it("expire after 72 hours", async () => {
    const { token } = await createInvitationToken("late@example.test");
    expect((await openInvitation(handle.db, testSecrets, token, at(72 * 60 - 1))).usable).toBe(true);
    expect(await openInvitation(handle.db, testSecrets, token, at(72 * 60))).toEqual({ usable: false, problem: "expired" });
  });

  it("explain each problem next to its field and create nothing", async () => {
    const { token } = await createInvitationToken("careful@example.test");
    await openInvitation(handle.db, testSecrets, token, t0);
    const error = await acceptInvitation(
      handle.db,
      testSecrets,
      token,
      { name: "", password: "password1", code: "123" },
      testClient,
      t0,
    ).catch((e: unknown) => e);
    expect((error as { fieldErrors: Record<string, string> }).fieldErrors).toEqual({
      name: "Enter your full name.",
      password: "This password is on a list of commonly used or breached passwords. Choose another.",
      code: "That code is not right. Enter the 6-digit code your authenticator app shows now.",
    });
    expect(await handle.db.select().from(people).where(eq(people.email, "careful@example.test"))).toEqual([]);
  });

  it("give a vendor role only in a vendor, and an agency role only in an agency", async () => {
    const error = await createInvitationToken("mixed@example.test", orgs.vendor.id, "cjis-officer").catch((e: unknown) => e);
    expect((error as { fieldErrors: Record<string, string> }).fieldErrors.role).toBe("A cjis officer cannot belong to a vendor.");
  });

  it("grant the role with its end date, for task-force assignments", async () => {
    const ends = at(60 * 24 * 30);
    const account = await makeAccount(handle.db, orgs.agencyB.id, "cjis-officer", t0, { membershipEndsAt: ends });
    const { token } = await signIn(handle.db, account, at(600));
    const session = await resolveSession(handle.db, testSecrets, token, at(600));
    expect(session.status === "valid" && session.membership?.endsAt).toEqual(ends);
    const { memberships } = await import("../../db/schema/access.ts");
    const [m] = await handle.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.personId, account.personId)));
    expect(m!.endsAt).toEqual(ends);
  });
});
