import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { saveDirectory, type DirectorySettingsInput } from "../../app/modules/access/directory.server.ts";
import { finishDirectorySignIn, startDirectorySignIn } from "../../app/modules/access/directory-sign-in.server.ts";
import { resolveSession } from "../../app/modules/access/sessions.server.ts";
import { signInWithPassword, verifySecondFactor } from "../../app/modules/access/sign-in.server.ts";
import { totpCode } from "../../app/modules/access/totp.server.ts";
import { InvalidInput } from "../../app/modules/context.server.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { directoryConnections, directoryIdentities, memberships } from "../../db/schema/access.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { notifications } from "../../db/schema/notifications.ts";
import { makeAccount, seedOrganisations, testClient, testSecrets } from "../support/accounts.ts";
import { as } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";
import {
  directorySettings,
  lastDirectoryRefusal,
  startTokenForge,
  type ForgedToken,
  type TokenForge,
} from "../support/directory.ts";

/**
 * Signing in through an agency's directory (OpenID Connect), against a provider on a real HTTP port
 * whose id tokens each test shapes: every check of the answer, the matching rules, the second factor
 * when the directory did none, and the agency that requires its directory with a break-glass administrator.
 */

let handle: DatabaseHandle;
let forge: TokenForge;
const clock = { now: new Date("2026-12-01T15:00:00.000Z") };
const publicUrl = "http://custody.test";
let orgs: Awaited<ReturnType<typeof seedOrganisations>>;
let adminA: ProvisionedAccount;
let auditorA: ProvisionedAccount;
let officer: ProvisionedAccount;

const settings = (overrides: Partial<DirectorySettingsInput> = {}) =>
  directorySettings({
    protocol: "oidc",
    displayName: "Agency A Entra ID",
    issuer: forge.issuer,
    clientId: forge.clientId,
    clientSecret: forge.clientSecret,
    ...overrides,
  });

beforeAll(async () => {
  handle = await createTestDatabase();
  forge = await startTokenForge();
  orgs = await seedOrganisations(handle.db);
  adminA = await makeAccount(handle.db, orgs.agencyA.id, "agency-admin", clock.now);
  auditorA = await makeAccount(handle.db, orgs.agencyA.id, "auditor", clock.now);
  officer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", clock.now);
  await as(handle.db, adminA, clock.now, (ctx) => saveDirectory(ctx, settings(), publicUrl));
});
afterAll(async () => {
  await forge?.close();
  await handle?.close();
});
beforeEach(() => {
  clock.now = new Date(clock.now.getTime() + 60_000);
});

const start = (email: string, redirectTo = "/") =>
  startDirectorySignIn(handle.db, testSecrets, { email, redirectTo, publicUrl, client: testClient, now: clock.now });

/** Leave for the directory as `email`, let it answer with `token` (its nonce filled in unless given), come back. */
async function throughDirectory(email: string, token: Omit<ForgedToken, "claims"> & { claims: Record<string, unknown> }) {
  const started = await startDirectorySignIn(handle.db, testSecrets, {
    email,
    redirectTo: "/contracts",
    publicUrl,
    client: testClient,
    now: clock.now,
  });
  if (!started.ok) throw new Error(`start refused: ${started.reason}`);
  const url = new URL(started.url);
  forge.next = { ...token, claims: { nonce: url.searchParams.get("nonce"), ...token.claims } };
  const result = await finishDirectorySignIn(handle.db, testSecrets, {
    pending: started.pending,
    search: `?code=forge-code&state=${url.searchParams.get("state")}`,
    publicUrl,
    client: testClient,
    now: clock.now,
  });
  return { result, url };
}

const lastRefusal = () => lastDirectoryRefusal(handle.db);

describe("directory sign-in (OpenID Connect)", () => {
  it("sends the person to the directory with PKCE, a nonce, a state and their address as the hint", async () => {
    const started = await start(officer.email.toUpperCase(), "/");
    expect(started.ok).toBe(true);
    const url = new URL((started as { url: string }).url);
    expect(url.origin + url.pathname).toBe(`${forge.issuer}/authorize`);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe(`${publicUrl}/sign-in/directory/callback`);
    expect(url.searchParams.get("login_hint")).toBe(officer.email);
    expect(url.searchParams.get("nonce")).toBeTruthy();
    expect(url.searchParams.get("state")).toBeTruthy();
  });

  it("answers that no directory signs in an address whose domain no agency listed", async () => {
    const started = await start("someone@elsewhere.gov", "/");
    expect(started).toEqual({ ok: false, reason: "no-directory" });
  });

  it("opens a full session when the directory says it did multi-factor, and records the provider and the assertion's id", async () => {
    const { result } = await throughDirectory(officer.email, {
      claims: { sub: "entra-officer-1", email: officer.email, amr: ["pwd", "mfa"], jti: "assertion-42" },
    });
    expect(result).toMatchObject({ ok: true, next: "done", redirectTo: "/contracts" });
    const session = await resolveSession(handle.db, testSecrets, (result as { token: string }).token, clock.now);
    expect(session.status).toBe("valid");
    // The code was redeemed with the PKCE verifier and the registered redirect URI.
    expect(forge.lastTokenRequest?.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(forge.lastTokenRequest?.get("redirect_uri")).toBe(`${publicUrl}/sign-in/directory/callback`);
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.login.succeeded"), eq(auditEvents.actorPersonId, officer.personId)));
    expect(event?.details).toMatchObject({
      method: "directory",
      directory: "Agency A Entra ID",
      issuer: forge.issuer,
      assertionId: "assertion-42",
      subject: "entra-officer-1",
      secondFactor: "done by the directory",
    });
    const [identity] = await handle.db
      .select()
      .from(directoryIdentities)
      .where(eq(directoryIdentities.personId, officer.personId));
    expect(identity?.subject).toBe("entra-officer-1");
  });

  it("asks for Custody's own second factor when the directory's amr shows only a password", async () => {
    const { result } = await throughDirectory(officer.email, {
      claims: { sub: "entra-officer-1", email: officer.email, amr: ["pwd"] },
    });
    expect(result).toMatchObject({ ok: true, next: "second-factor" });
    const token = (result as { token: string }).token;
    expect((await resolveSession(handle.db, testSecrets, token, clock.now)).status).toBe("pending-mfa");
    const code = totpCode(officer.totpSecret, new Date(clock.now.getTime() + 30_000));
    const second = await verifySecondFactor(handle.db, testSecrets, { token, code, client: testClient, now: clock.now });
    expect(second.ok).toBe(true);
  });

  const refusals: [string, Partial<ForgedToken> & { claims?: Record<string, unknown> }, RegExp][] = [
    ["signed with a key the directory does not publish", { wrongKey: true }, /signature verification failed/],
    ["unsigned", { unsigned: true }, /"alg"/],
    ["issued for another application (audience)", { claims: { aud: "someone-else" } }, /"aud"/],
    ["carrying another sign-in's nonce", { claims: { nonce: "not-the-one-we-sent" } }, /"nonce"/],
    ["already expired", { expiresIn: -120 }, /"exp"/],
    ["from another issuer", { claims: { iss: "https://login.evil.example" } }, /"iss"/],
  ];
  for (const [what, token, check] of refusals) {
    it(`refuses an id token ${what}, and opens no session`, async () => {
      const { result } = await throughDirectory(officer.email, {
        ...token,
        claims: { sub: "entra-officer-1", email: officer.email, amr: ["mfa"], ...token.claims },
      });
      expect(result).toMatchObject({ ok: false, reason: "refused" });
      const refusal = await lastRefusal();
      expect(String(refusal?.check)).toMatch(check);
    });
  }

  it("refuses a state that does not match the one it sent", async () => {
    const started = await start(officer.email, "/");
    if (!started.ok || !started.pending) throw new Error("start refused");
    forge.next = { claims: { sub: "entra-officer-1", email: officer.email, amr: ["mfa"], nonce: started.pending.nonce } };
    const result = await finishDirectorySignIn(handle.db, testSecrets, {
      pending: started.pending,
      search: "?code=forge-code&state=forged-state",
      publicUrl,
      client: testClient,
      now: clock.now,
    });
    expect(result).toMatchObject({ ok: false, reason: "refused" });
  });

  it("refuses a sign-in that took more than 10 minutes, or came back without its signed cookie", async () => {
    const started = await start(officer.email, "/");
    if (!started.ok || !started.pending) throw new Error("start refused");
    const late = new Date(clock.now.getTime() + 11 * 60_000);
    const base = { search: "?code=x&state=y", publicUrl, client: testClient };
    expect(await finishDirectorySignIn(handle.db, testSecrets, { ...base, pending: started.pending, now: late })).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(await finishDirectorySignIn(handle.db, testSecrets, { ...base, pending: null, now: clock.now })).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("gives nobody an account by signing in: an address at the domain with no role in the agency is refused", async () => {
    const outsider = await makeAccount(handle.db, orgs.agencyB.id, "cjis-officer", clock.now);
    const { result } = await throughDirectory(outsider.email, {
      claims: { sub: "entra-outsider", email: outsider.email, amr: ["mfa"] },
    });
    expect(result).toMatchObject({ ok: false, reason: "not-known" });
    const { result: nobody } = await throughDirectory("new.hire@example.test", {
      claims: { sub: "entra-new-hire", email: "new.hire@example.test", amr: ["mfa"] },
    });
    expect(nobody).toMatchObject({ ok: false, reason: "not-known" });
  });

  it("refuses an address outside the agency's allowed domains, and one the directory says is not verified", async () => {
    const { result } = await throughDirectory(officer.email, {
      claims: { sub: "entra-officer-1", email: "officer@evil.example", amr: ["mfa"] },
    });
    expect(result).toMatchObject({ ok: false, reason: "wrong-domain" });
    const { result: unverified } = await throughDirectory(officer.email, {
      claims: { sub: "entra-officer-1", email: officer.email, email_verified: false, amr: ["mfa"] },
    });
    expect(unverified).toMatchObject({ ok: false, reason: "wrong-domain" });
  });

  it("refuses the same address arriving with another directory subject (a recycled or spoofed address)", async () => {
    const { result } = await throughDirectory(officer.email, {
      claims: { sub: "entra-someone-else", email: officer.email, amr: ["mfa"] },
    });
    expect(result).toMatchObject({ ok: false, reason: "not-known" });
    expect((await lastRefusal())?.why).toMatch(/another subject/);
  });

  it("refuses a person with no Custody authenticator when the directory did no multi-factor", async () => {
    const [scimPerson] = await handle.db
      .insert((await import("../../db/schema/access.ts")).people)
      .values({ email: "provisioned@example.test", name: "Provisioned Person", createdAt: clock.now })
      .returning();
    await handle.db
      .insert(memberships)
      .values({ personId: scimPerson!.id, organisationId: orgs.agencyA.id, role: "legal", startsAt: clock.now });
    const { result } = await throughDirectory("provisioned@example.test", {
      claims: { sub: "entra-provisioned", email: "provisioned@example.test", amr: ["pwd"] },
    });
    expect(result).toMatchObject({ ok: false, reason: "no-second-factor" });
    const { result: withMfa } = await throughDirectory("provisioned@example.test", {
      claims: { sub: "entra-provisioned", email: "provisioned@example.test", amr: ["pwd", "otp"] },
    });
    expect(withMfa).toMatchObject({ ok: true, next: "done" });
  });

  it("makes roles follow the directory's groups when the agency mapped them, ending a role the groups no longer give", async () => {
    await as(handle.db, adminA, clock.now, (ctx) =>
      saveDirectory(
        ctx,
        settings({
          clientSecret: "",
          groupClaim: "groups",
          groupRoles: "CJIS-Auditors = Auditor (read-only)\nCJIS-Officers = cjis-officer",
        }),
        publicUrl,
      ),
    );
    const live = async () =>
      (
        await handle.db
          .select({ role: memberships.role, endedAt: memberships.endedAt })
          .from(memberships)
          .where(eq(memberships.personId, officer.personId))
      )
        .filter((m) => !m.endedAt)
        .map((m) => m.role)
        .sort();
    const { result } = await throughDirectory(officer.email, {
      claims: {
        sub: "entra-officer-1",
        email: officer.email,
        amr: ["mfa"],
        groups: ["CJIS-Officers", "CJIS-Auditors", "Parking"],
      },
    });
    expect(result.ok).toBe(true);
    expect(await live()).toEqual(["auditor", "cjis-officer"]);
    const { result: again } = await throughDirectory(officer.email, {
      claims: { sub: "entra-officer-1", email: officer.email, amr: ["mfa"], groups: ["CJIS-Officers"] },
    });
    expect(again.ok).toBe(true);
    expect(await live()).toEqual(["cjis-officer"]);
    await as(handle.db, adminA, clock.now, (ctx) => saveDirectory(ctx, settings({ clientSecret: "" }), publicUrl));
  });
});

describe("an agency that requires its directory", () => {
  it("refuses to save the requirement without a break-glass administrator, an issuer that does not answer, or a domain another agency's directory holds", async () => {
    const attempt = (input: DirectorySettingsInput) =>
      as(handle.db, adminA, clock.now, (ctx) => saveDirectory(ctx, input, publicUrl)).catch((e: unknown) => e);
    const noBreakGlass = await attempt(settings({ requireDirectory: true }));
    expect(noBreakGlass).toBeInstanceOf(InvalidInput);
    expect((noBreakGlass as InvalidInput).fieldErrors.breakGlassPersonId).toMatch(/break-glass/);
    const plainHttp = await attempt(settings({ issuer: "http://login.example.gov/tenant" }));
    expect((plainHttp as InvalidInput).fieldErrors.issuer).toMatch(/https/);
    const silent = await attempt(settings({ issuer: `${forge.issuer}/no-such-tenant` }));
    expect((silent as InvalidInput).fieldErrors.issuer).toMatch(/could not read the provider's OpenID configuration/);
    const badDomain = await attempt(settings({ emailDomains: "example.test, not a domain" }));
    expect((badDomain as InvalidInput).fieldErrors.emailDomains).toMatch(/not a domain/);
    const adminB = await makeAccount(handle.db, orgs.agencyB.id, "agency-admin", clock.now);
    const captured = await as(handle.db, adminB, clock.now, (ctx) => saveDirectory(ctx, settings(), publicUrl)).catch(
      (e: unknown) => e,
    );
    expect((captured as InvalidInput).fieldErrors.emailDomains).toMatch(
      /Another agency's directory already signs in addresses at example\.test/,
    );
    const badMapping = await attempt(settings({ groupClaim: "groups", groupRoles: "Everyone = superuser" }));
    expect((badMapping as InvalidInput).fieldErrors.groupRoles).toMatch(/not an agency role/);
    const [row] = await handle.db
      .select()
      .from(directoryConnections)
      .where(eq(directoryConnections.organisationId, orgs.agencyA.id));
    expect(row?.requireDirectory).toBe(false);
    expect(row?.issuer).toBe(forge.issuer);
  });

  it("refuses the people's passwords once required, but lets the break-glass administrator in and tells the reviewers", async () => {
    await as(handle.db, adminA, clock.now, (ctx) =>
      saveDirectory(ctx, settings({ clientSecret: "", requireDirectory: true, breakGlassPersonId: adminA.personId }), publicUrl),
    );
    const refused = await signInWithPassword(handle.db, testSecrets, {
      email: officer.email,
      password: officer.password,
      client: testClient,
      now: clock.now,
    });
    expect(refused).toEqual({ ok: false, reason: "directory-required", directory: "Agency A Entra ID" });
    const wrong = await signInWithPassword(handle.db, testSecrets, {
      email: officer.email,
      password: "not-the-password",
      client: testClient,
      now: clock.now,
    });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });

    const breakGlass = await signInWithPassword(handle.db, testSecrets, {
      email: adminA.email,
      password: adminA.password,
      client: testClient,
      now: clock.now,
    });
    expect(breakGlass.ok).toBe(true);
    const [used] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "auth.break-glass.used"));
    expect(used?.organisationId).toBe(orgs.agencyA.id);
    const told = await handle.db.select().from(notifications).where(eq(notifications.kind, "break-glass-used"));
    expect(told.map((n) => n.personId)).toEqual([auditorA.personId]);
    expect(told[0]?.body).toContain(adminA.email);

    // The directory still signs the officer in.
    const { result } = await throughDirectory(officer.email, {
      claims: { sub: "entra-officer-1", email: officer.email, amr: ["mfa"] },
    });
    expect(result.ok).toBe(true);
  });
});
