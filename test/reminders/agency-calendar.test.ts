import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { createDemoOrganisation } from "../../app/demo/accounts.server.ts";
import { createInvitation } from "../../app/modules/access/accounts.server.ts";
import { setOwnTimeZone } from "../../app/modules/access/organisations.server.ts";
import { type InvalidInput } from "../../app/modules/context.server.ts";
import { getDashboard } from "../../app/modules/dashboard/dashboard.server.ts";
import { runReminderSweep } from "../../app/modules/reminders/reminders.server.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { evidenceKinds } from "../../db/schema/catalog.ts";
import { evidenceItems } from "../../db/schema/evidence.ts";
import { notifications } from "../../db/schema/notifications.ts";
import { makeAccount, seedOrganisations, testSecrets } from "../support/accounts.ts";
import { as, vendorInput } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";

/**
 * "Today" is the agency's own: a request due on December 1 is overdue in Virginia from midnight
 * Eastern, and in Honolulu only from midnight there, five hours later.
 */
let handle: DatabaseHandle;
const setUp = new Date("2026-11-20T15:00:00.000Z");
// 00:30 EST on December 2 = 19:30 HST on December 1.
const justAfterEasternMidnight = new Date("2026-12-02T05:30:00.000Z");
let orgs: Awaited<ReturnType<typeof seedOrganisations>>;
let eastOfficer: ProvisionedAccount;
let islandOfficer: ProvisionedAccount;
let islandAdmin: ProvisionedAccount;

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  orgs = await seedOrganisations(handle.db);
  const buyer = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", setUp);
  eastOfficer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", setUp);
  islandOfficer = await makeAccount(handle.db, orgs.agencyB.id, "cjis-officer", setUp);
  islandAdmin = await makeAccount(handle.db, orgs.agencyB.id, "agency-admin", setUp);
  const vendorId = (await as(handle.db, buyer, setUp, (ctx) => registerVendor(ctx, vendorInput()))).id;
  const [kind] = await handle.db.select().from(evidenceKinds).limit(1);
  for (const agencyId of [orgs.agencyA.id, orgs.agencyB.id]) {
    await handle.db.insert(evidenceItems).values({
      agencyId,
      vendorId,
      kindId: kind!.id,
      title: `Audit report due December 1 (${agencyId === orgs.agencyA.id ? "Virginia" : "Honolulu"})`,
      status: "requested",
      dueOn: "2026-12-01",
      createdAt: setUp,
      updatedAt: setUp,
    });
  }
});
afterAll(async () => {
  await handle?.close();
});

describe("an agency's calendar", () => {
  it("starts on its state's zone, refuses a state on two zones without a choice, and takes a chosen one", async () => {
    expect(orgs.agencyA.timeZone).toBe("America/New_York");
    const texas = await createDemoOrganisation(handle.db, testSecrets, setUp, {
      kind: "agency",
      name: "El Paso Task Force",
      state: "TX",
      ori: "TX0710000",
    }).catch((e: unknown) => e);
    expect((texas as InvalidInput).fieldErrors).toEqual({
      timeZone: "TX spans two time zones: choose the one the agency keeps.",
    });
    const vendor = await createDemoOrganisation(handle.db, testSecrets, setUp, { kind: "vendor", name: "Cloud Vendor Z" });
    expect(vendor.timeZone).toBe("America/New_York");
  });

  it("is the agency administrator's to change, audited, and the agency's today follows it at once", async () => {
    expect(await as(handle.db, islandOfficer, justAfterEasternMidnight, async (ctx) => ctx.today)).toBe("2026-12-02");
    const refused = await as(handle.db, islandAdmin, setUp, (ctx) => setOwnTimeZone(ctx, "Mars/Olympus")).catch(
      (e: unknown) => e,
    );
    expect((refused as InvalidInput).fieldErrors.timeZone).toBe("Choose one of the listed time zones.");
    await expect(as(handle.db, islandOfficer, setUp, (ctx) => setOwnTimeZone(ctx, "Pacific/Honolulu"))).rejects.toThrow(
      "module called without organisation:settings",
    );
    await as(handle.db, islandAdmin, setUp, (ctx) => setOwnTimeZone(ctx, "Pacific/Honolulu"));
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "organisation.time-zone"), eq(auditEvents.objectId, orgs.agencyB.id)));
    expect(event!.details).toEqual({ from: "America/New_York", to: "Pacific/Honolulu" });
    expect(await as(handle.db, islandOfficer, justAfterEasternMidnight, async (ctx) => ctx.today)).toBe("2026-12-01");
    expect((await as(handle.db, islandOfficer, justAfterEasternMidnight, (ctx) => getDashboard(ctx))).today).toBe("2026-12-01");
  });

  it("decides when a request is overdue: Virginia's is at 00:30 Eastern, Honolulu's not until its own midnight", async () => {
    await runReminderSweep(handle.db, justAfterEasternMidnight);
    const overdueFor = async (account: ProvisionedAccount) =>
      (await handle.db.select().from(notifications).where(eq(notifications.personId, account.personId))).filter(
        (n) => n.kind === "request-overdue",
      ).length;
    expect(await overdueFor(eastOfficer)).toBe(1);
    expect(await overdueFor(islandOfficer)).toBe(0);
    await runReminderSweep(handle.db, new Date("2026-12-02T10:30:00.000Z")); // 00:30 HST
    expect(await overdueFor(islandOfficer)).toBe(1);
  });

  it("ends a temporary role at the end of its last day on the agency's clock", async () => {
    const invitation = await as(handle.db, islandAdmin, setUp, (ctx) =>
      createInvitation(ctx, {
        email: "task.force@example.test",
        organisationId: orgs.agencyB.id,
        role: "auditor",
        membershipEndsOn: "2026-12-31",
      }),
    );
    expect(invitation.invitation.membershipEndsAt!.toISOString()).toBe("2027-01-01T09:59:59.999Z");
    const bad = await as(handle.db, islandAdmin, setUp, (ctx) =>
      createInvitation(ctx, {
        email: "x@example.test",
        organisationId: orgs.agencyB.id,
        role: "auditor",
        membershipEndsOn: "2026-13-01",
      }),
    ).catch((e: unknown) => e);
    expect((bad as InvalidInput).fieldErrors.membershipEndsOn).toBe("Enter a real end date: month, day and year.");
  });
});
