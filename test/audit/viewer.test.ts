import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import * as auditPage from "../../app/routes/audit.tsx";
import * as auditExport from "../../app/routes/audit.export.tsx";
import * as catalogPage from "../../app/routes/catalog.tsx";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { people } from "../../db/schema/access.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { appContext, makeAccount, seedOrganisations, signIn } from "../support/accounts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs, thrownStatus } from "../support/routes.ts";

let handle: DatabaseHandle;
let context: AppContext;
let orgs: Awaited<ReturnType<typeof seedOrganisations>>;
const clock = { now: new Date("2026-11-23T15:00:00.000Z") };

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  orgs = await seedOrganisations(handle.db);
  context = appContext(handle.db, clock);
});
afterAll(async () => {
  await handle.close();
});

/** The page data, failing the test when the loader answered with an error status instead. */
function pageOf<T extends object>(result: T) {
  if ("init" in result) throw new Error(`the audit page answered ${JSON.stringify(result)}`);
  return result as Exclude<T, { init: unknown }>;
}

async function cookieFor(organisationId: string, role: Parameters<typeof makeAccount>[2]) {
  const account = await makeAccount(handle.db, organisationId, role, clock.now);
  return { account, cookie: (await signIn(handle.db, account, clock.now)).cookie };
}

describe("the audit trail viewer", () => {
  it("shows an agency's auditor only the events of their agency, and records that they looked", async () => {
    const a = await cookieFor(orgs.agencyA.id, "cjis-officer");
    const b = await cookieFor(orgs.agencyB.id, "cjis-officer");
    await catalogPage.loader(loaderArgs(context, "/catalog", {}, { cookie: a.cookie }));
    await catalogPage.loader(loaderArgs(context, "/catalog", {}, { cookie: b.cookie }));
    const auditor = await cookieFor(orgs.agencyA.id, "auditor");
    const page = pageOf(await auditPage.loader(loaderArgs(context, "/audit?action=catalog", {}, { cookie: auditor.cookie })));
    const readers = new Set(page.events.map((e) => e.actorPersonId));
    expect(readers.has(a.account.personId)).toBe(true);
    expect(readers.has(b.account.personId)).toBe(false);
    const [looked] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "audit.read"));
    expect(looked).toMatchObject({ actorPersonId: auditor.account.personId, details: { filter: { action: "catalog" } } });
  });

  it("lets a platform administrator filter by organisation, and explains a bad date instead of failing", async () => {
    const admin = await cookieFor(orgs.platform.id, "platform-admin");
    const page = pageOf(
      await auditPage.loader(loaderArgs(context, `/audit?organisationId=${orgs.agencyB.id}`, {}, { cookie: admin.cookie })),
    );
    expect(page.events.length).toBeGreaterThan(0);
    expect(page.events.every((e) => e.organisationId === orgs.agencyB.id)).toBe(true);
    expect(page.organisations.map((o) => o.name)).toEqual(expect.arrayContaining(["Agency A", "Agency B", "Vendor V"]));
    const bad = await auditPage.loader(loaderArgs(context, "/audit?from=2026-13-45", {}, { cookie: admin.cookie }));
    expect((bad as unknown as { init: { status: number }; data: { errors: Record<string, string> } }).init.status).toBe(400);
    expect((bad as unknown as { data: { errors: Record<string, string> } }).data.errors.from).toBe("Enter a real date.");
  });

  it("exports the filtered events as a streamed CSV, oldest first, with each event's hash", async () => {
    const admin = await cookieFor(orgs.platform.id, "platform-admin");
    const response = (await auditExport.loader(
      loaderArgs(context, "/audit/export.csv?action=auth.login", {}, { cookie: admin.cookie }),
    )) as Response;
    const lines = (await response.text()).trim().split("\n");
    expect(lines[0]).toBe(
      "seq,occurred_at_utc,actor,actor_person_id,actor_token_id,organisation_id,ip,user_agent,action,object_type,object_id,outcome,details,hash",
    );
    const seqs = lines.slice(1).map((l) => Number(l.split(",")[0]));
    expect(seqs.length).toBeGreaterThan(3);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(lines.slice(1).every((l) => /,auth\.login\.[a-z-]+,/.test(l) && /,[0-9a-f]{64}$/.test(l))).toBe(true);
  });
});

describe("a password more than a year old", () => {
  it("must be changed before anything else: every page sends the person to change it first", async () => {
    const { account, cookie } = await cookieFor(orgs.agencyA.id, "legal");
    await handle.db
      .update(people)
      .set({ passwordChangedAt: new Date(clock.now.getTime() - 366 * 86_400_000) })
      .where(eq(people.id, account.personId));
    const result = await thrownStatus(catalogPage.loader(loaderArgs(context, "/catalog", {}, { cookie })));
    expect(result.status).toBe(302);
    expect(result.location).toBe("/account/password?expired=1&redirectTo=%2Fcatalog");
  });
});
