import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { resolveSession } from "../../app/modules/access/sessions.server.ts";
import { createApiToken } from "../../app/modules/access/tokens.server.ts";
import { buildReport } from "../../app/modules/access/reports.server.ts";
import { action as scimAction, loader as scimLoader } from "../../app/routes/scim.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { deprovisioningRecords, invitations, memberships, people } from "../../db/schema/access.ts";
import { appContext, makeAccount, seedOrganisations, signIn, testSecrets } from "../support/accounts.ts";
import { as } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";
import { startSmtpServer } from "../support/smtp.ts";
import { createMailer } from "../../app/modules/notifications/mail.server.ts";
import { loader as invitationLoader } from "../../app/routes/invitation.tsx";

/**
 * SCIM 2.0 provisioning driven the way Microsoft Entra ID's provisioning service drives it (its
 * documented request shapes: filter by userName, POST a user, find a group by displayName, PATCH the
 * group's members, PATCH active to false, DELETE), against agency A's endpoint with A's token.
 */

let handle: DatabaseHandle;
let context: AppContext;
const clock = { now: new Date("2026-12-01T15:00:00.000Z") };
let adminA: ProvisionedAccount;
let tokenA: string;
let tokenB: string;
let orgs: Awaited<ReturnType<typeof seedOrganisations>>;

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  orgs = await seedOrganisations(handle.db);
  context = appContext(handle.db, clock);
  adminA = await makeAccount(handle.db, orgs.agencyA.id, "agency-admin", clock.now);
  const adminB = await makeAccount(handle.db, orgs.agencyB.id, "agency-admin", clock.now);
  tokenA = (
    await as(handle.db, adminA, clock.now, (ctx) =>
      createApiToken(ctx, { name: "Entra ID provisioning", permissions: ["scim:provision"], days: 90 }),
    )
  ).token;
  tokenB = (
    await as(handle.db, adminB, clock.now, (ctx) =>
      createApiToken(ctx, { name: "Okta provisioning", permissions: ["scim:provision"], days: 90 }),
    )
  ).token;
});
afterAll(async () => {
  await handle?.close();
});

async function scim(method: string, path: string, body?: unknown, token = tokenA, headers: Record<string, string> = {}) {
  const request = new Request(`http://localhost/scim/v2/${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { "Content-Type": "application/scim+json" } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const args = { request, params: { "*": path.split("?")[0]! }, context } as never;
  const response = (method === "GET" ? await scimLoader(args) : await scimAction(args)) as Response;
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

const entraUser = (email: string, externalId: string) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  externalId,
  userName: email,
  active: true,
  displayName: "Dana Whitfield",
  emails: [{ primary: true, type: "work", value: email }],
  name: { formatted: "Dana Whitfield", familyName: "Whitfield", givenName: "Dana" },
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Records" },
});

describe("SCIM provisioning from the agency's directory", () => {
  let userId: string;

  it("creates a user the way Entra ID does: no match by userName, then POST; the person exists with no credentials and no role yet", async () => {
    const search = await scim("GET", `Users?filter=${encodeURIComponent('userName eq "dana.whitfield@agency-a.example"')}`);
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ totalResults: 0, Resources: [] });
    const created = await scim("POST", "Users", entraUser("Dana.Whitfield@agency-a.example", "c0ffee-1"));
    expect(created.status).toBe(201);
    expect(created.headers.get("Content-Type")).toBe("application/scim+json");
    expect(created.headers.get("ETag")).toMatch(/^W\/"/);
    expect(created.body).toMatchObject({
      userName: "dana.whitfield@agency-a.example",
      externalId: "c0ffee-1",
      active: false,
      groups: [],
    });
    userId = created.body!.id as string;
    expect(created.headers.get("Location")).toBe(`http://custody.test/scim/v2/Users/${userId}`);
    const [person] = await handle.db.select().from(people).where(eq(people.id, userId));
    expect(person!.passwordHash).toBeNull();
    // The same userName again is a conflict, not a second person.
    const again = await scim("POST", "Users", entraUser("dana.whitfield@agency-a.example", "c0ffee-1"));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      scimType: "uniqueness",
      status: "409",
    });
  });

  it("e-mails the person the directory grants a first role to a one-time link to set up their sign-in, which opens", async () => {
    const smtp = await startSmtpServer();
    const before = context;
    context = { ...context, mailer: createMailer(smtp.url, "Custody <no-reply@agency.test>"), publicUrl: "http://custody.test" };
    try {
      const created = await scim("POST", "Users", entraUser("morgan.price@agency-a.example", "entra-morgan"));
      expect(created.status).toBe(201);
      const added = await scim("PATCH", "Groups/legal", {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "Add", path: "members", value: [{ value: created.body!.id }] }],
      });
      expect(added.status).toBe(204);
      // Sent after the commit: wait for it.
      for (let i = 0; i < 50 && smtp.received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(smtp.received.map((m) => m.to)).toEqual([["morgan.price@agency-a.example"]]);
      const link = /http:\/\/custody\.test\/invitations\/([A-Za-z0-9_-]+)/.exec(smtp.received[0]!.unfolded);
      expect(link).not.toBeNull();
      expect(smtp.received[0]!.unfolded).toContain("directory has invited you");
      const page = (await invitationLoader({
        request: new Request(`http://custody.test/invitations/${link![1]}`),
        params: { token: link![1]! },
        context,
      } as never)) as Record<string, unknown>;
      expect(JSON.stringify(page)).toContain("morgan.price@agency-a.example");
    } finally {
      context = before;
      await smtp.close();
    }
  });

  it("matches a directory group to a role by its name, and adding a member grants the role and invites the person to set up their sign-in", async () => {
    const found = await scim(
      "GET",
      `Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "CJIS officer"')}`,
    );
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: "cjis-officer", displayName: "CJIS officer" }] });
    expect((found.body!.Resources as Record<string, unknown>[])[0]).not.toHaveProperty("members");
    const unknown = await scim("POST", "Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Dispatch supervisors",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body!.detail).toMatch(
      /name the directory group after one of: Agency administrator, Procurement officer, CJIS officer/,
    );
    const added = await scim("PATCH", "Groups/cjis-officer", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Add", path: "members", value: [{ value: userId }] }],
    });
    expect(added.status).toBe(204);
    const user = await scim("GET", `Users/${userId}`);
    expect(user.body).toMatchObject({ active: true, groups: [{ value: "cjis-officer", display: "CJIS officer" }] });
    const invited = await handle.db.select().from(invitations).where(eq(invitations.email, "dana.whitfield@agency-a.example"));
    expect(invited.map((i) => [i.organisationId, i.role])).toEqual([[orgs.agencyA.id, "cjis-officer"]]);
  });

  it("updates the display name with Replace operations, and refuses a stale version (412)", async () => {
    const read = await scim("GET", `Users/${userId}`);
    const patched = await scim("PATCH", `Users/${userId}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "Replace", path: "displayName", value: "Dana Whitfield-Ortiz" },
        { op: "Replace", path: "name.familyName", value: "Whitfield-Ortiz" },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ displayName: "Dana Whitfield-Ortiz" });
    clock.now = new Date(clock.now.getTime() + 1000);
    const stale = await scim(
      "PATCH",
      `Users/${userId}`,
      {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "Replace", path: "displayName", value: "X" }],
      },
      tokenA,
      { "If-Match": read.headers.get("ETag")! },
    );
    expect(stale.status).toBe(412);
  });

  it("ends a deactivated person's roles here, disables someone left with none, and their live session stops on its next request", async () => {
    const officer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", clock.now);
    const session = await signIn(handle.db, officer, clock.now);
    expect((await resolveSession(handle.db, testSecrets, session.token, clock.now)).status).toBe("valid");
    const matched = await scim("GET", `Users?filter=${encodeURIComponent(`userName eq "${officer.email}"`)}`);
    const id = (matched.body!.Resources as { id: string }[])[0]!.id;
    expect(id).toBe(officer.personId);
    const deactivated = await scim("PATCH", `Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body).toMatchObject({ active: false, groups: [] });
    expect((await resolveSession(handle.db, testSecrets, session.token, clock.now)).status).not.toBe("valid");
    const [person] = await handle.db.select().from(people).where(eq(people.id, id));
    expect(person!.disabledAt).not.toBeNull();
    const records = await handle.db.select().from(deprovisioningRecords).where(eq(deprovisioningRecords.personId, id));
    expect(records.map((r) => r.kind).sort()).toEqual(["membership-ended", "person-disabled"]);
    expect(records.find((r) => r.kind === "membership-ended")!.reason).toMatch(/^The agency's directory/);
    expect(records.find((r) => r.kind === "membership-ended")!.details).toMatchObject({ source: "directory" });
    // The reports say who acted, and which people the directory manages.
    const report = await as(handle.db, adminA, clock.now, (ctx) => buildReport(ctx, "deprovisioning"));
    const row = report.rows.find((r) => r[2] === officer.email && r[1] === "membership-ended")!;
    expect(row[5]).toBe("the agency's directory (SCIM)");
    const access = await as(handle.db, adminA, clock.now, (ctx) => buildReport(ctx, "access-list"));
    const dana = access.rows.find((r) => r[7] === "dana.whitfield@agency-a.example")!;
    expect(String(dana[8])).toMatch(/^managed; last heard 2026-12-01 15:00/);
    expect(access.rows.find((r) => r[7] === adminA.email)![8]).toBe("not managed");
  });

  it("keeps a person who also serves another agency in that one role only", async () => {
    const shared = await makeAccount(handle.db, orgs.agencyA.id, "auditor", clock.now);
    await handle.db
      .insert(memberships)
      .values({ personId: shared.personId, organisationId: orgs.agencyB.id, role: "auditor", startsAt: clock.now });
    const session = await signIn(handle.db, shared, clock.now);
    const removed = await scim("DELETE", `Users/${shared.personId}`);
    expect(removed.status).toBe(204);
    expect((await scim("GET", `Users/${shared.personId}`)).status).toBe(404);
    const live = await handle.db
      .select({ organisationId: memberships.organisationId })
      .from(memberships)
      .where(and(eq(memberships.personId, shared.personId), isNull(memberships.endedAt)));
    expect(live).toEqual([{ organisationId: orgs.agencyB.id }]);
    const [person] = await handle.db.select().from(people).where(eq(people.id, shared.personId));
    expect(person!.disabledAt).toBeNull();
    const state = await resolveSession(handle.db, testSecrets, session.token, clock.now);
    expect(state.status === "valid" ? state.memberships.map((m) => m.organisationId) : []).toEqual([orgs.agencyB.id]);
  });

  it("does not let one agency's token see or touch another agency's people, and refuses a token without scim:provision", async () => {
    const stranger = await scim("GET", `Users/${userId}`, undefined, tokenB);
    expect(stranger.status).toBe(404);
    const patch = await scim(
      "PATCH",
      `Users/${userId}`,
      {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "Replace", path: "active", value: false }],
      },
      tokenB,
    );
    expect(patch.status).toBe(404);
    expect((await scim("GET", `Users/${userId}`)).body).toMatchObject({ active: true });
    const listB = await scim("GET", "Users", undefined, tokenB);
    expect((listB.body!.Resources as { id: string }[]).some((r) => r.id === userId)).toBe(false);
    const narrow = (
      await as(handle.db, adminA, clock.now, (ctx) =>
        createApiToken(ctx, { name: "Reports", permissions: ["report:read"], days: 30 }),
      )
    ).token;
    const refused = await scim("GET", "Users", undefined, narrow);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "403" });
    const anonymous = await scim("GET", "Users", undefined, "cust_not-a-real-token-at-all-000000");
    expect(anonymous.status).toBe(401);
  });

  it("answers a filter it does not support, and an attribute it does not hold, with SCIM's error types", async () => {
    const filter = await scim("GET", `Users?filter=${encodeURIComponent('title co "chief"')}`);
    expect(filter).toMatchObject({ status: 400, body: { scimType: "invalidFilter" } });
    const path = await scim("PATCH", `Users/${userId}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "password", value: "x" }],
    });
    expect(path).toMatchObject({ status: 400, body: { scimType: "invalidPath" } });
    const config = await scim("GET", "ServiceProviderConfig");
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true }, etag: { supported: true } });
  });
});
