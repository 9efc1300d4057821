import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorFor } from "../../app/demo/accounts.server.ts";
import { decommissionAgency, decommissionPreview, listOrganisations } from "../../app/modules/access/organisations.server.ts";
import { endMembership } from "../../app/modules/access/people.server.ts";
import { permissionsOf } from "../../app/modules/access/permissions.ts";
import { decide, getReview, startReview } from "../../app/modules/access/reviews.server.ts";
import { resolveSession } from "../../app/modules/access/sessions.server.ts";
import { signInWithPassword } from "../../app/modules/access/sign-in.server.ts";
import { runStaleSweep } from "../../app/modules/access/sweep.server.ts";
import { inTransaction, type ModuleContext } from "../../app/modules/context.server.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { deprovisioningRecords, memberships, people } from "../../db/schema/access.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { makeAccount, seedOrganisations, signIn, testClient, testSecrets } from "../support/accounts.ts";
import { createTestDatabase } from "../support/database.ts";

let handle: DatabaseHandle;
let orgs: Awaited<ReturnType<typeof seedOrganisations>>;
let platformAdmin: ProvisionedAccount;
const t0 = new Date("2026-11-23T12:00:00.000Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

beforeAll(async () => {
  handle = await createTestDatabase();
  orgs = await seedOrganisations(handle.db);
  platformAdmin = await makeAccount(handle.db, orgs.platform.id, "platform-admin", t0);
});
afterAll(async () => {
  await handle.close();
});

const act = <T>(account: ProvisionedAccount, now: Date, fn: (ctx: ModuleContext) => Promise<T>) =>
  inTransaction(handle.db, { actor: actorFor(account), now, secrets: testSecrets }, fn);

const personRow = async (id: string) => (await handle.db.select().from(people).where(eq(people.id, id)))[0]!;
const records = (personId: string) =>
  handle.db.select().from(deprovisioningRecords).where(eq(deprovisioningRecords.personId, personId));
const password = (account: ProvisionedAccount, now: Date) =>
  signInWithPassword(handle.db, testSecrets, { email: account.email, password: account.password, client: testClient, now });

/** Give an existing person a second role in another organisation (a task-force officer). */
async function alsoIn(account: ProvisionedAccount, organisationId: string, role: string, now: Date) {
  await handle.db.insert(memberships).values({ personId: account.personId, organisationId, role, startsAt: now });
}

describe("no account without an assignment (AC-2(3))", () => {
  it("decommissioning an agency disables the people it leaves with no role, with a record naming why, and keeps a task-force officer's other role", async () => {
    const local = await seedOrganisations(handle.db);
    const officer = await makeAccount(handle.db, local.agencyA.id, "cjis-officer", t0);
    const taskForce = await makeAccount(handle.db, local.agencyA.id, "legal", t0);
    await alsoIn(taskForce, local.agencyB.id, "legal", t0);
    const session = await signIn(handle.db, officer, at(1));

    const preview = await act(platformAdmin, at(2), (ctx) => decommissionPreview(ctx, local.agencyA.id));
    expect(preview).toMatchObject({ withRole: 2, wouldBeLeftWithout: 1 });

    // It cannot be undone: without the agency's name typed to confirm, nothing happens.
    await expect(
      act(platformAdmin, at(2.5), (ctx) => decommissionAgency(ctx, local.agencyA.id, "Merged into the county", "Agency B")),
    ).rejects.toMatchObject({ fieldErrors: { confirmName: "That is not the agency's name: type Agency A exactly as shown." } });
    expect((await personRow(officer.personId)).disabledAt).toBeNull();
    const result = await act(platformAdmin, at(3), (ctx) =>
      decommissionAgency(ctx, local.agencyA.id, "Merged into the county", "  agency a "),
    );
    expect(result).toMatchObject({ membershipsEnded: 3 - 1, peopleDisabled: 1 });

    const disabled = await personRow(officer.personId);
    expect(disabled.disabledAt).toEqual(at(3));
    expect(disabled.disabledReason).toBe(`No live role left: ${local.agencyA.name} decommissioned: Merged into the county`);
    expect((await resolveSession(handle.db, testSecrets, session.token, at(4))).status).toBe("revoked");
    const [record] = (await records(officer.personId)).filter((r) => r.kind === "person-disabled");
    expect(record).toMatchObject({ actorId: platformAdmin.personId, organisationId: local.agencyA.id });
    expect(record!.details).toMatchObject({ because: "last role ended", sessionsRevoked: 1 });

    expect((await personRow(taskForce.personId)).disabledAt).toBeNull();
    const live = await handle.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.personId, taskForce.personId)));
    expect(live.filter((m) => !m.endedAt).map((m) => m.organisationId)).toEqual([local.agencyB.id]);

    // A disabled person's right password and code get the same answer as a wrong password; the trail says why.
    expect(await password(officer, at(10))).toEqual({ ok: false, reason: "invalid" });
    const [failed] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.login.failed"), eq(auditEvents.objectId, officer.personId)));
    expect(failed!.details).toMatchObject({ why: "account disabled" });
  });

  it("a task-force assignment that reaches its end date disables the person at the sweep, unless they hold another role", async () => {
    const ends = at(60);
    const loan = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", t0, { membershipEndsAt: ends });
    const keeps = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", t0, { membershipEndsAt: ends });
    await alsoIn(keeps, orgs.agencyB.id, "procurement-officer", t0);
    const swept = await runStaleSweep(handle.db, at(61));
    expect(swept.disabled).toContain(loan.personId);
    expect(swept.disabled).not.toContain(keeps.personId);
    expect((await personRow(loan.personId)).disabledReason).toBe(
      "No live role left: role Procurement officer reached its end date",
    );
    expect((await personRow(keeps.personId)).disabledAt).toBeNull();
    expect((await records(loan.personId)).map((r) => r.kind).sort()).toEqual(["membership-ended", "person-disabled"]);
  });

  it("a role revoked in an access review, or ended by an administrator, disables a person left with none", async () => {
    const local = await seedOrganisations(handle.db);
    const admin = await makeAccount(handle.db, local.agencyA.id, "agency-admin", t0);
    const leaver = await makeAccount(handle.db, local.agencyA.id, "legal", t0);
    const ended = await makeAccount(handle.db, local.agencyA.id, "auditor", t0);
    const review = await act(admin, at(1), (ctx) => startReview(ctx));
    const { items } = await act(admin, at(1), (ctx) => getReview(ctx, review.id));
    const item = items.find((i) => i.personId === leaver.personId)!;
    await act(admin, at(2), (ctx) => decide(ctx, review.id, item.id, "revoke", "Left the agency"));
    expect((await personRow(leaver.personId)).disabledReason).toBe(
      "No live role left: role Legal revoked in an access review: Left the agency",
    );

    const [membership] = await handle.db.select().from(memberships).where(eq(memberships.personId, ended.personId));
    const outcome = await act(admin, at(3), (ctx) => endMembership(ctx, membership!.id, "Contract ended"));
    expect(outcome).toEqual({ personDisabled: true });
    expect((await personRow(ended.personId)).disabledAt).toEqual(at(3));
    expect((await personRow(admin.personId)).disabledAt).toBeNull();
  });

  it("refuses sign-in for a person with no live role like a wrong password, and records the real reason", async () => {
    const idle = await makeAccount(handle.db, orgs.agencyB.id, "legal", t0);
    // A role ended outside the product's functions (as before migration 0016): the account is still enabled.
    await handle.db
      .update(memberships)
      .set({ endedAt: at(1), endedReason: "test" })
      .where(eq(memberships.personId, idle.personId));
    expect(await password(idle, at(2))).toEqual({ ok: false, reason: "invalid" });
    const failures = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.login.failed"), eq(auditEvents.objectId, idle.personId)));
    expect(failures.map((e) => (e.details as { why: string }).why)).toEqual(["no live role"]);
  });

  it("lists each organization with its status, who decommissioned it and why, and the true count of people with a live role", async () => {
    const local = await seedOrganisations(handle.db);
    await makeAccount(handle.db, local.agencyB.id, "legal", t0);
    await makeAccount(handle.db, local.agencyB.id, "cjis-officer", t0);
    const gone = await makeAccount(handle.db, local.agencyB.id, "auditor", t0);
    await handle.db
      .update(people)
      .set({ disabledAt: at(1) })
      .where(eq(people.id, gone.personId));
    await act(platformAdmin, at(2), (ctx) => decommissionAgency(ctx, local.agencyA.id, "Consolidated dispatch", "Agency A"));
    const listed = await act(platformAdmin, at(3), (ctx) => listOrganisations(ctx));
    expect(listed.find((o) => o.id === local.agencyB.id)).toMatchObject({ status: "active", members: 2 });
    expect(listed.find((o) => o.id === local.agencyA.id)).toMatchObject({
      status: "decommissioned",
      decommissionedAt: at(2),
      decommissionedReason: "Consolidated dispatch",
      decommissionedByEmail: platformAdmin.email,
      members: 0,
    });
    await expect(
      act(platformAdmin, at(4), (ctx) => decommissionAgency(ctx, local.agencyA.id, "Again", "Agency A")),
    ).rejects.toThrow(/already decommissioned/);
    expect(permissionsOf("platform-admin").has("platform:organisations")).toBe(true);
  });
});
