import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import * as auditPage from "../../app/routes/audit.tsx";
import * as auditExport from "../../app/routes/audit.export.tsx";
import * as auditReceipt from "../../app/routes/audit.event-receipt.tsx";
import type { Receipt } from "../../app/modules/audit/proofs.server.ts";
import { Sealer } from "../../app/modules/audit/sealer.server.ts";
import { checkReceipt, testSigner } from "../support/audit.ts";
import * as catalogPage from "../../app/routes/catalog.tsx";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { people } from "../../db/schema/access.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { LOCKOUT_THRESHOLD, signInWithPassword, signOut, verifySecondFactor } from "../../app/modules/access/sign-in.server.ts";
import { totpCode } from "../../app/modules/access/totp.server.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import { appContext, makeAccount, seedOrganisations, signIn, testClient, testSecrets } from "../support/accounts.ts";
import { as, contractInput, vendorInput } from "../support/contracts.ts";
import { createContract } from "../../app/modules/contracts/contracts.server.ts";
import * as contractPage from "../../app/routes/contracts.contract.tsx";
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

  it("lets a platform administrator filter by organization, and explains a bad date instead of failing", async () => {
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
      "seq,occurred_at_utc,actor,actor_name,actor_email,actor_person_id,actor_token_id,actor_organisation,organisation,organisation_id,ip,user_agent,action,object_type,object_id,object,outcome,details,hash",
    );
    const seqs = lines.slice(1).map((l) => Number(l.split(",")[0]));
    expect(seqs.length).toBeGreaterThan(3);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(lines.slice(1).every((l) => /,auth\.login\.[a-z-]+,/.test(l) && /,[0-9a-f]{64}$/.test(l))).toBe(true);
  });
});

describe("each organization's own people's sign-ins (AU-2, AU-3)", () => {
  const t0 = new Date("2026-11-25T14:00:00.000Z");
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const wrong = (email: string, now: Date) =>
    signInWithPassword(handle.db, testSecrets, { email, password: "not the password at all", client: testClient, now });

  /** The auth events a reader's viewer shows about one person, by action. */
  async function authActionsSeenBy(cookie: string, email: string) {
    const page = pageOf(
      await auditPage.loader(loaderArgs(context, `/audit?action=auth&person=${encodeURIComponent(email)}`, {}, { cookie })),
    );
    return new Set(page.events.map((e) => e.action));
  }
  async function csvSeenBy(cookie: string, email: string) {
    const response = (await auditExport.loader(
      loaderArgs(context, `/audit/export.csv?action=auth&person=${encodeURIComponent(email)}`, {}, { cookie }),
    )) as Response;
    return (await response.text()).trim().split("\n").slice(1);
  }

  it("shows an agency's auditor its people's sign-ins, failures, lockouts, refused replays, notices, idle timeouts and sign-outs, in the page and the CSV", async () => {
    const saved = clock.now;
    try {
      const officer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", t0);
      await wrong(officer.email, at(1));
      const session = await signIn(handle.db, officer, at(2));
      // The same code again, in the same window: refused as a replay.
      const again = await signInWithPassword(handle.db, testSecrets, {
        email: officer.email,
        password: officer.password,
        client: testClient,
        now: at(2.2),
      });
      if (!again.ok) throw new Error("the password step should pass");
      const used = totpCode(officer.totpSecret, new Date(at(2).getTime() + 30_000));
      expect(
        await verifySecondFactor(handle.db, testSecrets, { token: again.token, code: used, client: testClient, now: at(2.3) }),
      ).toMatchObject({
        ok: false,
      });
      // Thirty-one quiet minutes later the next page finds the session idle.
      clock.now = at(40);
      await thrownStatus(catalogPage.loader(loaderArgs(context, "/catalog", {}, { cookie: session.cookie })));
      const later = await signIn(handle.db, officer, at(41));
      await signOut(handle.db, testSecrets, { token: later.token, client: testClient, now: at(42) });
      const locked = await makeAccount(handle.db, orgs.agencyA.id, "legal", t0);
      for (let i = 0; i < LOCKOUT_THRESHOLD; i++) await wrong(locked.email, at(50 + i));
      clock.now = at(60);

      const auditor = await cookieFor(orgs.agencyA.id, "auditor");
      const seen = await authActionsSeenBy(auditor.cookie, officer.email);
      for (const action of [
        "auth.login.failed",
        "auth.login.password-accepted",
        "auth.notice.acknowledged",
        "auth.login.succeeded",
        "auth.mfa.replay-refused",
        "auth.session.idle-timeout",
        "auth.logout",
      ])
        expect(seen, action).toContain(action);
      expect(await authActionsSeenBy(auditor.cookie, locked.email)).toContain("auth.account.locked");
      const csv = await csvSeenBy(auditor.cookie, officer.email);
      expect(csv.some((l) => l.includes(",auth.mfa.replay-refused,"))).toBe(true);
      expect(csv.every((l) => l.includes(officer.email))).toBe(true);

      // Another agency's auditor sees none of it.
      const other = await cookieFor(orgs.agencyB.id, "auditor");
      expect(await authActionsSeenBy(other.cookie, officer.email)).toEqual(new Set());
      expect(await csvSeenBy(other.cookie, officer.email)).toEqual([]);
    } finally {
      clock.now = saved;
    }
  });

  it("shows a vendor's portal users' sign-ins to the vendor's administrator and to the agencies the vendor serves, and to no other agency", async () => {
    const saved = clock.now;
    try {
      clock.now = at(100);
      const buyer = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", at(100));
      const vendor = await as(handle.db, buyer, at(100), (ctx) => registerVendor(ctx, vendorInput()));
      const rep = await makeAccount(handle.db, vendor.organisationId, "vendor-representative", at(100));
      await wrong(rep.email, at(101));
      await signIn(handle.db, rep, at(102));

      const vendorAdmin = await cookieFor(vendor.organisationId, "vendor-admin");
      const agencyAuditor = await cookieFor(orgs.agencyA.id, "auditor");
      const otherAuditor = await cookieFor(orgs.agencyB.id, "auditor");
      for (const reader of [vendorAdmin, agencyAuditor]) {
        const seen = await authActionsSeenBy(reader.cookie, rep.email);
        expect(seen).toContain("auth.login.failed");
        expect(seen).toContain("auth.login.succeeded");
      }
      expect(await authActionsSeenBy(otherAuditor.cookie, rep.email)).toEqual(new Set());
    } finally {
      clock.now = saved;
    }
  });

  it("names the person, their organization and the object in words, with a link the reader may open", async () => {
    const saved = clock.now;
    try {
      clock.now = at(200);
      const buyer = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", at(200));
      const vendor = await as(handle.db, buyer, at(200), (ctx) =>
        registerVendor(ctx, vendorInput({ legalName: "Named Vendor Inc." })),
      );
      await signIn(handle.db, buyer, at(201));
      const admin = await cookieFor(orgs.agencyA.id, "auditor");
      const page = pageOf(
        await auditPage.loader(
          loaderArgs(context, `/audit?objectType=vendor&objectId=${vendor.id}`, {}, { cookie: admin.cookie }),
        ),
      );
      const created = page.events.find((e) => e.actorPersonId === buyer.personId);
      expect(created?.labels).toMatchObject({
        actor: { name: expect.any(String), email: buyer.email },
        actorOrganisation: "Agency A",
        organisation: "Agency A",
        object: { label: "Named Vendor Inc.", href: `/vendors/${vendor.id}` },
      });
      const signIns = pageOf(
        await auditPage.loader(
          loaderArgs(
            context,
            `/audit?action=auth.login.succeeded&person=${encodeURIComponent(buyer.email)}`,
            {},
            { cookie: admin.cookie },
          ),
        ),
      );
      expect(signIns.events[0]?.labels.object).toMatchObject({
        label: expect.stringContaining(buyer.email),
        href: `/admin/people/${buyer.personId}`,
      });
      const response = (await auditExport.loader(
        loaderArgs(context, `/audit/export.csv?objectType=vendor&objectId=${vendor.id}`, {}, { cookie: admin.cookie }),
      )) as Response;
      const row = (await response.text()).split("\n").find((l) => l.includes(buyer.personId));
      expect(row).toContain(`,${buyer.email},${buyer.personId},,Agency A,Agency A,`);
      expect(row).toContain(",Named Vendor Inc.,");
    } finally {
      clock.now = saved;
    }
  });
});

describe("names in the audit trail across agencies", () => {
  it("shows an agency's auditor a refused attempt on another agency's contract by its id, never its title", async () => {
    const at = new Date("2026-11-26T14:00:00.000Z");
    const saved = clock.now;
    try {
      clock.now = at;
      const buyerB = await makeAccount(handle.db, orgs.agencyB.id, "procurement-officer", at);
      const vendor = await as(handle.db, buyerB, at, (ctx) => registerVendor(ctx, vendorInput()));
      const secret = await as(handle.db, buyerB, at, (ctx) =>
        createContract(ctx, contractInput(vendor.id, { title: "Agency B's confidential contract" })),
      );
      const prober = await cookieFor(orgs.agencyA.id, "cjis-officer");
      const probe = await thrownStatus(
        contractPage.loader(loaderArgs(context, `/contracts/${secret.id}`, { contractId: secret.id }, { cookie: prober.cookie })),
      );
      expect(probe.status).toBe(404);
      const auditor = await cookieFor(orgs.agencyA.id, "auditor");
      const page = pageOf(
        await auditPage.loader(loaderArgs(context, `/audit?objectId=${secret.id}`, {}, { cookie: auditor.cookie })),
      );
      const refused = page.events.filter((e) => e.actorPersonId === prober.account.personId);
      expect(refused.length).toBeGreaterThan(0);
      for (const e of refused) expect(e.labels.object).toBeNull();
      expect(JSON.stringify(page.events)).not.toContain("confidential contract");
    } finally {
      clock.now = saved;
    }
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

  it("gives an agency's auditor a signed receipt of one of its events that the checker verifies, and answers 404 for another agency's event", async () => {
    const a = await cookieFor(orgs.agencyA.id, "cjis-officer");
    const b = await cookieFor(orgs.agencyB.id, "cjis-officer");
    await catalogPage.loader(loaderArgs(context, "/catalog", {}, { cookie: a.cookie }));
    await catalogPage.loader(loaderArgs(context, "/catalog", {}, { cookie: b.cookie }));
    await new Sealer(handle.db, testSigner, []).sealNow();
    const [ownEvent] = await handle.db
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(and(eq(auditEvents.actorPersonId, a.account.personId), eq(auditEvents.organisationId, orgs.agencyA.id)));
    const [otherEvent] = await handle.db
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(and(eq(auditEvents.actorPersonId, b.account.personId), eq(auditEvents.organisationId, orgs.agencyB.id)));
    const auditor = await cookieFor(orgs.agencyA.id, "auditor");
    const receiptOf = (id: string) =>
      auditReceipt.loader(loaderArgs(context, `/audit/events/${id}/receipt.json`, { eventId: id }, { cookie: auditor.cookie }));

    const response = (await receiptOf(ownEvent!.id)) as Response;
    const receipt = (await response.json()) as Receipt;
    expect(receipt.subject).toMatchObject({ kind: "audit event", id: ownEvent!.id });
    expect(receipt.events.map((e) => e.eventId)).toEqual([ownEvent!.id]);
    const checked = checkReceipt(JSON.stringify(receipt));
    expect(checked.stderr).toBe("");
    expect(checked.stdout).toContain("Each of these 1 events is in that log");

    // Another agency's event, and no event at all, look the same: not found.
    expect((await thrownStatus(receiptOf(otherEvent!.id))).status).toBe(404);
    expect((await thrownStatus(receiptOf("not-an-id"))).status).toBe(404);
    expect((await thrownStatus(receiptOf("00000000-0000-4000-8000-000000000000"))).status).toBe(404);
  });
});
