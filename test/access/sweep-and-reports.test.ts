import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import { authorize } from "../../app/http/guard.server.ts";
import { buildReport } from "../../app/modules/access/reports.server.ts";
import { resolveSession } from "../../app/modules/access/sessions.server.ts";
import { runStaleSweep } from "../../app/modules/access/sweep.server.ts";
import * as reportExport from "../../app/routes/reports.export.tsx";
import type { DatabaseHandle } from "../../db/client.ts";
import { deprovisioningRecords, memberships, people } from "../../db/schema/access.ts";
import { appContext, makeAccount, seedOrganisations, signIn, testSecrets } from "../support/accounts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs } from "../support/routes.ts";

let handle: DatabaseHandle;
let context: AppContext;
let orgs: Awaited<ReturnType<typeof seedOrganisations>>;
const t0 = new Date("2026-01-05T08:00:00.000Z");
const day = (n: number) => new Date(t0.getTime() + n * 86_400_000);
const clock = { now: t0 };

beforeAll(async () => {
  handle = await createTestDatabase();
  orgs = await seedOrganisations(handle.db);
  context = appContext(handle.db, clock);
});
afterAll(async () => {
  await handle.close();
});

describe("the stale-account sweep", () => {
  it("disables an account idle for 90 days, cuts its sessions, keeps a record, and is idempotent", async () => {
    const idle = await makeAccount(handle.db, orgs.agencyA.id, "legal", t0);
    const busy = await makeAccount(handle.db, orgs.agencyA.id, "legal", t0);
    const { token } = await signIn(handle.db, idle, t0);
    await handle.db
      .update(people)
      .set({ lastActivityAt: day(5) })
      .where(eq(people.id, busy.personId));

    expect((await runStaleSweep(handle.db, day(89.9))).disabled).not.toContain(idle.personId);
    const result = await runStaleSweep(handle.db, day(90.01));
    expect(result.ran).toBe(true);
    expect(result.disabled).toContain(idle.personId);
    expect(result.disabled).not.toContain(busy.personId);

    const [person] = await handle.db.select().from(people).where(eq(people.id, idle.personId));
    expect(person).toMatchObject({
      disabledBy: "sweep",
      disabledReason: "No activity for 90 days (CJIS Security Policy v6.0 AC-2(3))",
    });
    expect((await resolveSession(handle.db, testSecrets, token, day(90.02))).status).toBe("revoked");
    const [record] = await handle.db
      .select()
      .from(deprovisioningRecords)
      .where(eq(deprovisioningRecords.personId, idle.personId));
    expect(record).toMatchObject({ kind: "person-disabled", actorId: null });

    const again = await runStaleSweep(handle.db, day(90.02));
    expect(again.disabled).not.toContain(idle.personId);
  });

  it("ends a role on its end date, leaving the person's other roles", async () => {
    const temp = await makeAccount(handle.db, orgs.agencyB.id, "cjis-officer", day(100), { membershipEndsAt: day(110) });
    await runStaleSweep(handle.db, day(109));
    expect((await handle.db.select().from(memberships).where(eq(memberships.personId, temp.personId)))[0]!.endedAt).toBeNull();
    const result = await runStaleSweep(handle.db, day(110.5));
    const [m] = await handle.db.select().from(memberships).where(eq(memberships.personId, temp.personId));
    expect(result.membershipsEnded).toContain(m!.id);
    expect(m).toMatchObject({ endedReason: "End date reached", endedAt: day(110.5) });
  });

  it("never runs twice at once: concurrent sweeps disable each account once", async () => {
    const a = await makeAccount(handle.db, orgs.agencyA.id, "auditor", day(120));
    const results = await Promise.all([runStaleSweep(handle.db, day(211)), runStaleSweep(handle.db, day(211))]);
    expect(results.flatMap((r) => r.disabled).filter((id) => id === a.personId)).toHaveLength(1);
    const records = await handle.db.select().from(deprovisioningRecords).where(eq(deprovisioningRecords.personId, a.personId));
    expect(records).toHaveLength(1);
  });
});

describe("reports", () => {
  async function asAdmin(organisationId: string, role: "agency-admin" | "platform-admin", now: Date) {
    clock.now = now;
    const account = await makeAccount(handle.db, organisationId, role, now);
    const { cookie } = await signIn(handle.db, account, now);
    const auth = await authorize(loaderArgs(context, "/reports", {}, { cookie }) as never, "report:read");
    return { account, cookie, auth };
  }

  it("list who holds which role, only within the administrator's own agency", async () => {
    const { auth } = await asAdmin(orgs.agencyB.id, "agency-admin", day(300));
    const report = await auth.run((ctx) => buildReport(ctx, "access-list"));
    expect(report.rows.length).toBeGreaterThan(0);
    const organization = report.columns.indexOf("Organization");
    expect(report.rows.every((r) => r[organization] === "Agency B")).toBe(true);
  });

  it("show stale, expiring and swept accounts, each with its reason", async () => {
    const soon = await makeAccount(handle.db, orgs.agencyA.id, "legal", day(300), { membershipEndsAt: day(310) });
    const quiet = await makeAccount(handle.db, orgs.agencyA.id, "auditor", day(230)); // idle 71 days by day 301
    const { auth } = await asAdmin(orgs.platform.id, "platform-admin", day(301));
    const report = await auth.run((ctx) => buildReport(ctx, "accounts"));
    const kinds = new Set(report.rows.map((r) => r[0]));
    expect(kinds).toEqual(new Set(["expiring in 30 days", "disabled by sweep", "stale"]));
    expect(report.rows.find((r) => r[2] === soon.email)).toEqual([
      "expiring in 30 days",
      soon.name,
      soon.email,
      "Agency A",
      "Legal",
      "Role ends 2026-11-11 08:00",
    ]);
    expect(report.rows.find((r) => r[2] === quiet.email)?.[5]).toBe(
      "No activity since 2026-08-23 08:00; disabled automatically after 90 days",
    );
  });

  it("give the role × permission table, with nothing beyond each role's job", async () => {
    const { auth } = await asAdmin(orgs.platform.id, "platform-admin", day(302));
    const report = await auth.run((ctx) => buildReport(ctx, "permissions"));
    const row = (p: string) => report.rows.find((r) => r[0] === p)!;
    const column = (label: string) => report.columns.indexOf(label);
    expect(row("platform:deprovision")[column("Platform administrator")]).toBe("yes");
    expect(row("platform:deprovision")[column("Agency administrator")]).toBe("");
    expect(row("contract:edit")[column("Auditor (read-only)")]).toBe("");
    expect(row("evidence:upload:own-vendor")[column("CJIS officer")]).toBe("");
  });

  it("export as CSV, with spreadsheet formulas neutralized, and record the export", async () => {
    await handle.db
      .update(people)
      .set({ name: '=HYPERLINK("http://x")' })
      .where(eq(people.email, (await makeAccount(handle.db, orgs.agencyB.id, "legal", day(303))).email));
    const { cookie } = await asAdmin(orgs.agencyB.id, "agency-admin", day(303));
    const response = (await reportExport.loader(
      loaderArgs(context, "/reports/access-list/export.csv", { report: "access-list" }, { cookie }),
    )) as Response;
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const text = await response.text();
    expect(text.split("\n")[0]).toBe(
      "Person,Role,Account status,Last activity (UTC),Until (UTC),Since (UTC),Organization,E-mail,Agency directory (SCIM)",
    );
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});
