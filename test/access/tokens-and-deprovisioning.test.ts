import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import { authorize } from "../../app/http/guard.server.ts";
import { decommissionAgency } from "../../app/modules/access/organisations.server.ts";
import { disableEverywhere } from "../../app/modules/access/people.server.ts";
import { resolveSession } from "../../app/modules/access/sessions.server.ts";
import { createApiToken, revokeApiToken } from "../../app/modules/access/tokens.server.ts";
import * as catalogApi from "../../app/routes/api/catalog-frameworks.ts";
import * as meApi from "../../app/routes/api/me.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { deprovisioningRecords, memberships } from "../../db/schema/access.ts";
import { notifications } from "../../db/schema/notifications.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { appContext, makeAccount, seedOrganisations, signIn, testSecrets } from "../support/accounts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs } from "../support/routes.ts";

let handle: DatabaseHandle;
let context: AppContext;
let orgs: Awaited<ReturnType<typeof seedOrganisations>>;
const clock = { now: new Date("2026-11-23T12:00:00.000Z") };
const later = (days: number) => new Date(clock.now.getTime() + days * 86_400_000);

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  orgs = await seedOrganisations(handle.db);
  context = appContext(handle.db, clock);
});
afterAll(async () => {
  await handle.close();
});

/** Sign in and act through the real guard, as the route would. */
async function as(role: Parameters<typeof makeAccount>[2], organisationId: string, permission: Parameters<typeof authorize>[1]) {
  const account = await makeAccount(handle.db, organisationId, role, clock.now);
  const { cookie, token } = await signIn(handle.db, account, clock.now);
  const auth = await authorize(loaderArgs(context, "/test", {}, { cookie }) as never, permission);
  return { account, cookie, token, auth };
}

async function callApi(route: { loader: (args: never) => Promise<Response> }, path: string, bearer?: string) {
  try {
    return await route.loader(loaderArgs(context, path, {}, { bearer }));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("a signed-in request", () => {
  it("knows, in one read, the person's live roles with their end dates, the organization they act for, and their unread notifications", async () => {
    const ends = later(20);
    const account = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", clock.now, { membershipEndsAt: ends });
    // A second live role at another agency, one that ended, and one that has not started: only the live ones count.
    await handle.db.insert(memberships).values([
      { personId: account.personId, organisationId: orgs.agencyB.id, role: "auditor", startsAt: later(-1) },
      {
        personId: account.personId,
        organisationId: orgs.agencyB.id,
        role: "procurement-officer",
        endedAt: later(-0.5),
        endedReason: "moved",
      },
      { personId: account.personId, organisationId: orgs.agencyB.id, role: "legal-staff", startsAt: later(3) },
    ]);
    const { token } = await signIn(handle.db, account, clock.now);
    const note = (dedupeKey: string, readAt: Date | null) => ({
      personId: account.personId,
      kind: "evidence-expiring" as const,
      subject: "Evidence expires soon",
      body: "An insurance certificate expires in 30 days.",
      link: "/evidence",
      dedupeKey,
      createdAt: clock.now,
      readAt,
    });
    await handle.db.insert(notifications).values([note("one", null), note("two", null), note("three", clock.now)]);

    const state = await resolveSession(handle.db, testSecrets, token, later(0.01));
    if (state.status !== "valid") throw new Error(`expected a valid session, got ${state.status}`);
    expect(state.unread).toBe(2);
    // In order of the organizations' names (both are agencies).
    expect(state.memberships.map((m) => [m.organisationName, m.role])).toEqual([
      [orgs.agencyA.name, "cjis-officer"],
      [orgs.agencyB.name, "auditor"],
    ]);
    const here = state.memberships.find((m) => m.organisationId === orgs.agencyA.id)!;
    expect(here.endsAt).toEqual(ends);
    expect(here.timeZone).toBeTruthy();
    expect(state.membership?.organisationId).toBe(orgs.agencyA.id);
    expect(state.permissions.has("contract:read")).toBe(true);
  });
});

describe("API tokens", () => {
  it("act for one organization with only the listed permissions, and every use is recorded", async () => {
    const { auth } = await as("agency-admin", orgs.agencyA.id, "token:manage");
    const { token, row } = await auth.run((ctx) =>
      createApiToken(ctx, { name: "County SIEM export", permissions: ["catalog:read"], days: 30 }),
    );
    expect(token).toMatch(/^cust_/);

    const me = await callApi(meApi, "/api/v1/me", token);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      token: { id: row.id, name: "County SIEM export", permissions: ["catalog:read"] },
      organisation: { id: orgs.agencyA.id, kind: "agency" },
    });
    const list = await callApi(catalogApi, "/api/v1/catalog/frameworks", token);
    expect(list.status).toBe(200);
    const body = (await list.json()) as { frameworks: { key: string }[] };
    expect(body.frameworks.map((f) => f.key)).toEqual(["iacp-principles", "iacp-provisions", "cjis-policy", "cjis-addendum"]);

    // Both uses carry the same clock time; ordered by action so the comparison does not lean on the table's row order.
    const uses = await handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.actorTokenId, row.id))
      .orderBy(auditEvents.action);
    expect(uses.map((e) => e.action)).toEqual(["api.me.read", "catalog.framework.list"]);
    expect(uses.every((e) => e.organisationId === orgs.agencyA.id && e.actorLabel === "token:County SIEM export")).toBe(true);
  });

  it("answer in JSON with 401 without a valid token and 403 without the permission", async () => {
    const { auth } = await as("agency-admin", orgs.agencyA.id, "token:manage");
    const { token } = await auth.run((ctx) => createApiToken(ctx, { name: "Roster sync", permissions: ["user:read"], days: 10 }));
    const none = await callApi(catalogApi, "/api/v1/catalog/frameworks");
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toBe('Bearer realm="custody"');
    expect(await none.json()).toEqual({
      error: { status: 401, message: "Send an API token as 'Authorization: Bearer cust_…'." },
    });
    const forged = await callApi(catalogApi, "/api/v1/catalog/frameworks", `cust_${"x".repeat(43)}`);
    expect(await forged.json()).toEqual({ error: { status: 401, message: "This API token is not valid." } });
    const lacking = await callApi(catalogApi, "/api/v1/catalog/frameworks", token);
    expect(lacking.status).toBe(403);
    expect(await lacking.json()).toEqual({
      error: { status: 403, message: 'This token does not carry the "catalog:read" permission.' },
    });
  });

  it("can be given at most 90 days and only the creator's own permissions", async () => {
    const { auth } = await as("cjis-officer", orgs.agencyA.id, "catalog:read");
    const result = await auth.submit((ctx) =>
      createApiToken(ctx, { name: "Too much", permissions: ["catalog:read", "user:manage"], days: 91 }),
    );
    expect(result.ok ? {} : result.errors).toEqual({
      permissions: "A token can carry only permissions your own role has (never platform administration).",
      days: "Choose 1 to 90 days.",
    });
  });

  it("stop working when they expire or are revoked", async () => {
    const { auth } = await as("agency-admin", orgs.agencyA.id, "token:manage");
    const short = await auth.run((ctx) => createApiToken(ctx, { name: "Short lived", permissions: ["catalog:read"], days: 1 }));
    clock.now = later(1);
    expect(await (await callApi(meApi, "/api/v1/me", short.token)).json()).toEqual({
      error: { status: 401, message: "This API token has expired." },
    });
    clock.now = later(-1);
    const revoked = await auth.run((ctx) => createApiToken(ctx, { name: "To revoke", permissions: ["catalog:read"], days: 5 }));
    await auth.run((ctx) => revokeApiToken(ctx, revoked.row.id));
    expect(await (await callApi(meApi, "/api/v1/me", revoked.token)).json()).toEqual({
      error: { status: 401, message: "This API token was revoked." },
    });
  });
});

describe("central deprovisioning", () => {
  it("disables a person everywhere: their live session and live token stop on the next request, with a record", async () => {
    const target = await as("agency-admin", orgs.agencyB.id, "token:manage");
    const { token } = await target.auth.run((ctx) =>
      createApiToken(ctx, { name: "Nightly export", permissions: ["catalog:read"], days: 30 }),
    );
    expect((await callApi(meApi, "/api/v1/me", token)).status).toBe(200);

    const platform = await as("platform-admin", orgs.platform.id, "platform:deprovision");
    await platform.auth.run((ctx) => disableEverywhere(ctx, target.account.personId, "Transferred to another county"));

    expect((await resolveSession(handle.db, testSecrets, target.token, clock.now)).status).toBe("revoked");
    expect((await callApi(meApi, "/api/v1/me", token)).status).toBe(401);
    const [record] = await handle.db
      .select()
      .from(deprovisioningRecords)
      .where(eq(deprovisioningRecords.personId, target.account.personId));
    expect(record).toMatchObject({
      kind: "person-disabled",
      reason: "Transferred to another county",
      actorId: platform.account.personId,
      details: { sessionsRevoked: 1 },
    });
    // And they cannot sign in again.
    await expect(signIn(handle.db, target.account, later(0.01))).rejects.toThrow(/password step failed: invalid/);
  });

  it("decommissions an agency: every role in it ends and its tokens stop; its data stays", async () => {
    const agency = (await seedOrganisations(handle.db)).agencyA;
    const member = await as("cjis-officer", agency.id, "catalog:read");
    const admin = await as("agency-admin", agency.id, "token:manage");
    const { token } = await admin.auth.run((ctx) =>
      createApiToken(ctx, { name: "Feed", permissions: ["catalog:read"], days: 30 }),
    );
    const platform = await as("platform-admin", orgs.platform.id, "platform:organisations");
    const result = await platform.auth.run((ctx) =>
      decommissionAgency(ctx, agency.id, "Merged into the county police", agency.name),
    );
    expect(result.membershipsEnded).toBe(2);
    // Both held no other role: they are disabled (AC-2(3)) and their sessions end.
    expect((await resolveSession(handle.db, testSecrets, member.token, clock.now)).status).toBe("revoked");
    expect((await callApi(meApi, "/api/v1/me", token)).status).toBe(401);
    const ended = await handle.db.select().from(memberships).where(eq(memberships.organisationId, agency.id));
    expect(ended.every((m) => m.endedReason === "agency decommissioned: Merged into the county police")).toBe(true);
  });
});
