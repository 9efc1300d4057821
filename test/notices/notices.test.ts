import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { createContract } from "../../app/modules/contracts/contracts.server.ts";
import { getDashboard } from "../../app/modules/dashboard/dashboard.server.ts";
import { InvalidInput, NotFound } from "../../app/modules/context.server.ts";
import { NOTICE_KIND_KEYS, NOTICE_KIND_LABELS } from "../../app/modules/notices/kinds.ts";
import { createNotice, getNotice, listNotices } from "../../app/modules/notices/notices.server.ts";
import { minutesBetween, parseLocalTime } from "../../app/modules/dates.ts";
import { formatDuration, formatMinute } from "../../app/modules/format.ts";
import { deadlineFor } from "../../app/modules/notices/times.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import { migrationsFolder, type DatabaseHandle } from "../../db/client.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { notices } from "../../db/schema/notices.ts";
import { notifications } from "../../db/schema/notifications.ts";
import { makeAccount, seedOrganisations } from "../support/accounts.ts";
import { as, contractInput, vendorInput } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";

const at = (local: string, zone: string) => {
  const parsed = parseLocalTime(local, zone, "time");
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.at;
};

describe("notice times across time zones and daylight saving", () => {
  it("count 01:30 EST to 03:20 EDT on the spring-forward night as 50 minutes, not 1 hour 50", () => {
    const discovered = at("2026-03-08T01:30", "America/New_York");
    const notified = at("2026-03-08T03:20", "America/New_York");
    expect(discovered.toISOString()).toBe("2026-03-08T06:30:00.000Z");
    expect(notified.toISOString()).toBe("2026-03-08T07:20:00.000Z");
    expect(minutesBetween(discovered, notified)).toBe(50);
    expect(notified <= deadlineFor(discovered, "America/New_York", { hoursAfter: 1 })).toBe(true);
  });

  it("count 01:30 EDT to 01:10 EST on the fall-back night by the clock that ran, given in UTC where the wall clock repeats", () => {
    const discovered = at("2026-11-01T00:50", "America/New_York"); // EDT, 04:50Z
    const notified = at("2026-11-01T06:10", "UTC"); // 01:10 EST
    expect(minutesBetween(discovered, notified)).toBe(80);
    expect(formatMinute(notified, "America/New_York")).toBe("2026-11-01 01:10 EST");
  });

  it("compare times typed in different zones as instants: 23:30 in Los Angeles to 03:00 next day in New York is 30 minutes", () => {
    const discovered = at("2026-06-01T23:30", "America/Los_Angeles");
    const notified = at("2026-06-02T03:00", "America/New_York");
    expect(minutesBetween(discovered, notified)).toBe(30);
    expect(at("2026-06-01T12:00", "America/Phoenix").toISOString()).toBe("2026-06-01T19:00:00.000Z");
  });

  it("refuse a wall-clock time that never happened, and one that happened twice, rather than guess", () => {
    const gap = parseLocalTime("2026-03-08T02:30", "America/New_York", "time it was discovered");
    expect(gap).toEqual({ ok: false, message: expect.stringContaining("There was no 02:30 on 2026-03-08 in America/New_York") });
    const twice = parseLocalTime("2026-11-01T01:30", "America/Chicago", "time it was served");
    expect(twice).toEqual({ ok: false, message: expect.stringContaining("happened twice") });
    expect(parseLocalTime("2026-11-01T01:30", "America/Phoenix", "time").ok).toBe(true);
    expect(parseLocalTime("2026-02-30T10:00", "UTC", "time").ok).toBe(false);
    expect(parseLocalTime("2026-02-10T10:00", "Mars/Olympus", "time")).toEqual({
      ok: false,
      message: "Choose the time zone the time is in.",
    });
  });

  it("count a days-before window in calendar days of the event's zone, so 30 days before 09:00 EDT is 09:00 EST", () => {
    const effective = at("2026-03-20T09:00", "America/New_York");
    const deadline = deadlineFor(effective, "America/New_York", { daysBefore: 30 });
    expect(formatMinute(deadline, "America/New_York")).toBe("2026-02-18 09:00 EST");
    expect(effective.getTime() - deadline.getTime()).toBe(30 * 86_400_000 - 3_600_000);
    expect(formatDuration(50)).toBe("50 minutes");
    expect(formatDuration(3 * 1440 + 125)).toBe("3 days 2 hours");
  });
});

let handle: DatabaseHandle;
const clock = { now: new Date("2026-11-23T15:00:00.000Z") };
let officerA: ProvisionedAccount;
let buyerA: ProvisionedAccount;
let officerB: ProvisionedAccount;
let officerC: ProvisionedAccount;
let rep: ProvisionedAccount;
let otherRep: ProvisionedAccount;
let vendorId: string;
let orgs: Awaited<ReturnType<typeof seedOrganisations>>;

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  orgs = await seedOrganisations(handle.db);
  buyerA = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", clock.now);
  officerA = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", clock.now);
  officerB = await makeAccount(handle.db, orgs.agencyB.id, "cjis-officer", clock.now);
  const unrelated = await seedOrganisations(handle.db);
  officerC = await makeAccount(handle.db, unrelated.agencyA.id, "cjis-officer", clock.now);
  rep = await makeAccount(handle.db, orgs.vendor.id, "vendor-representative", clock.now);
  otherRep = await makeAccount(handle.db, unrelated.vendor.id, "vendor-representative", clock.now);
  vendorId = (await as(handle.db, buyerA, clock.now, (ctx) => registerVendor(ctx, vendorInput({ legalName: "Vendor V" })))).id;
  // Agency A: two contracts (legal process within 72 h and within 24 h); the first is shared with agency B.
  await as(handle.db, buyerA, clock.now, (ctx) =>
    createContract(
      ctx,
      contractInput(vendorId, {
        title: "Records hosting",
        stage: "signed",
        signedOn: "2026-01-10",
        effectiveOn: "2026-02-01",
        breachNoticeHours: "1",
        legalProcessNoticeHours: "72",
        locationChangeNoticeDays: "30",
        sharedWith: [orgs.agencyB.id],
      }),
    ),
  );
  await as(handle.db, buyerA, clock.now, (ctx) =>
    createContract(
      ctx,
      contractInput(vendorId, {
        title: "Video storage",
        stage: "signed",
        signedOn: "2026-02-10",
        effectiveOn: "2026-03-01",
        breachNoticeHours: "4",
        legalProcessNoticeHours: "24",
      }),
    ),
  );
});
afterAll(async () => {
  await handle?.close();
});

const breach = (overrides: Record<string, string | string[]> = {}) => ({
  kind: "breach-notice",
  vendorId,
  summary: "Stolen administrator credentials used against the storage console",
  occurredLocal: "2026-03-08T01:30",
  occurredZone: "America/New_York",
  notifiedLocal: "2026-03-08T03:20",
  notifiedZone: "America/New_York",
  "detail.whatHappened": "An administrator's session token was replayed from an unknown address; the session was revoked.",
  "detail.dataCategories": "RMS records",
  ...overrides,
});

describe("notices and whether they came in time", () => {
  it("judge a breach notice told 50 minutes after discovery across the DST change on time against the contract's strictest 1-hour window, and tell the agency's CJIS officers at once", async () => {
    const created = await as(handle.db, officerA, clock.now, (ctx) => createNotice(ctx, "agency", breach()));
    expect(created.judged).toHaveLength(1);
    expect(created.judged[0]).toMatchObject({ agencyId: orgs.agencyA.id, windowHours: 1, late: false, minutesPastDeadline: -10 });
    const told = await handle.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `notice:${created.notice.id}`));
    expect(told.map((n) => n.personId)).toEqual([officerA.personId]);
    expect(told[0]!.subject).toBe("Breach or incident notice from Vendor V");
    expect(told[0]!.link).toBe(`/notices/${created.notice.id}`);
    expect(told[0]!.body).toContain("2026-03-08 01:30 EST");
    expect(told[0]!.body).toContain("2026-03-08 03:20 EDT");
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "notice.record"), eq(auditEvents.objectId, created.notice.id)));
    expect(event).toBeDefined();
  });

  it("mark a breach notice told 70 minutes after discovery late by 10 minutes, and say so in the alert", async () => {
    const created = await as(handle.db, officerA, clock.now, (ctx) =>
      createNotice(ctx, "agency", breach({ notifiedLocal: "2026-03-08T03:40" })),
    );
    expect(created.judged[0]).toMatchObject({ late: true, minutesPastDeadline: 10 });
    const [told] = await handle.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `notice:${created.notice.id}`));
    expect(told!.subject).toBe("Breach or incident notice from Vendor V (late)");
    expect(told!.body).toContain("Late by 10 minutes.");
  });

  it("judge a vendor's legal-process notice for each agency against its own contract: late for the 24-hour agency, on time for the 72-hour one", async () => {
    const filedAt = new Date("2026-11-23T15:00:00.000Z");
    const created = await as(handle.db, rep, filedAt, (ctx) =>
      createNotice(ctx, "vendor", {
        kind: "legal-process-notice",
        agencies: [orgs.agencyA.id, orgs.agencyB.id],
        summary: "Grand jury subpoena for account records",
        occurredLocal: "2026-11-22T08:00", // 08:00 Central = 14:00Z, 25 h before filing
        occurredZone: "America/Chicago",
        "detail.authority": "U.S. District Court, Northern District of Illinois",
        "detail.processKind": "subpoena",
        "detail.respondBy": "2026-12-15",
      }),
    );
    const byAgency = Object.fromEntries(created.judged.map((j) => [j.agencyId, j]));
    expect(byAgency[orgs.agencyA.id]).toMatchObject({ windowHours: 24, late: true, minutesPastDeadline: 60 });
    expect(byAgency[orgs.agencyB.id]).toMatchObject({ windowHours: 72, late: false });
    expect(created.notice.notifiedAt.toISOString()).toBe(filedAt.toISOString());
    expect(created.told.sort()).toEqual([officerA.personId, officerB.personId].sort());

    // Each agency sees only its own judgement; the vendor sees both; no one else sees the notice at all.
    const seenByB = await as(handle.db, officerB, clock.now, (ctx) => getNotice(ctx, "agency", created.notice.id));
    expect(seenByB.agencies.map((a) => a.agencyId)).toEqual([orgs.agencyB.id]);
    expect(seenByB.agencies[0]!.contractTitle).toBe("Records hosting");
    const seenByVendor = await as(handle.db, rep, clock.now, (ctx) => getNotice(ctx, "vendor", created.notice.id));
    expect(seenByVendor.agencies.map((a) => a.timeliness).sort()).toEqual(["late", "on-time"]);
    await expect(as(handle.db, officerC, clock.now, (ctx) => getNotice(ctx, "agency", created.notice.id))).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(as(handle.db, otherRep, clock.now, (ctx) => getNotice(ctx, "vendor", created.notice.id))).rejects.toBeInstanceOf(
      NotFound,
    );
    expect(await as(handle.db, officerC, clock.now, (ctx) => listNotices(ctx, "agency"))).toEqual([]);
    const lateForA = await as(handle.db, officerA, clock.now, (ctx) =>
      listNotices(ctx, "agency", { timeliness: "late", kind: "legal-process-notice" }),
    );
    expect(lateForA.map((n) => n.id)).toEqual([created.notice.id]);
  });

  it("judge a data-location change given 20 days ahead late against a 30-day window, and flag a move outside the APB countries", async () => {
    const created = await as(handle.db, rep, clock.now, (ctx) =>
      createNotice(ctx, "vendor", {
        kind: "data-location-change-notice",
        agencies: [orgs.agencyA.id],
        summary: "Moving the archive tier to a new region",
        occurredLocal: "2026-12-13T15:00",
        occurredZone: "UTC",
        "detail.fromLocation": "Ashburn, Virginia",
        "detail.toLocation": "Frankfurt",
        "detail.destination": "other",
        "detail.dataCategories": "Archived video",
      }),
    );
    expect(created.judged[0]).toMatchObject({ windowDays: 30, late: true, minutesPastDeadline: 10 * 1440 });
  });

  it("refuse a notice with every problem named beside its field, and store nothing", async () => {
    const before = (await handle.db.select().from(notices)).length;
    const error = await as(handle.db, officerA, clock.now, (ctx) =>
      createNotice(
        ctx,
        "agency",
        breach({
          summary: "",
          occurredLocal: "2026-03-08T02:30",
          notifiedLocal: "2027-01-01T10:00",
          "detail.whatHappened": "short",
        }),
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    const fields = (error as InvalidInput).fieldErrors;
    expect(fields.summary).toBe("Enter the summary.");
    expect(fields.occurredLocal).toContain("There was no 02:30 on 2026-03-08");
    expect(fields.notifiedLocal).toBe("The time the agency was told cannot be in the future.");
    expect(fields["detail.whatHappened"]).toBe("Describe the account of what happened in at least 10 characters.");
    const early = await as(handle.db, officerA, clock.now, (ctx) =>
      createNotice(ctx, "agency", breach({ notifiedLocal: "2026-03-08T01:00" })),
    ).catch((e: unknown) => e);
    expect((early as InvalidInput).fieldErrors.notifiedLocal).toBe(
      "The agency cannot have been told before the time it was discovered.",
    );
    expect((await handle.db.select().from(notices)).length).toBe(before);
  });

  it("let a vendor notify only agencies it serves, and an agency record notices only from its own vendors", async () => {
    const strangers = await as(handle.db, rep, clock.now, (ctx) =>
      createNotice(ctx, "vendor", { ...breach(), agencies: [officerC.organisationId, randomUUID()] }),
    ).catch((e: unknown) => e);
    expect((strangers as InvalidInput).fieldErrors.agencies).toBe("Tick each agency the notice concerns.");
    const foreign = await as(handle.db, officerC, clock.now, (ctx) => createNotice(ctx, "agency", breach())).catch(
      (e: unknown) => e,
    );
    expect((foreign as InvalidInput).fieldErrors.vendorId).toBe("Choose the vendor the notice came from.");
  });

  it("count the agency's late notices on its dashboard, and no one else's", async () => {
    expect((await as(handle.db, officerA, clock.now, (ctx) => getDashboard(ctx))).vendorRecords).toMatchObject({
      lateNotices: 3,
    });
    expect((await as(handle.db, officerB, clock.now, (ctx) => getDashboard(ctx))).vendorRecords).toMatchObject({
      lateNotices: 0,
    });
  });

  it("keep a notice as it was filed: the database refuses to change or delete it", async () => {
    const [any] = await handle.db.select().from(notices).limit(1);
    await expect(handle.db.update(notices).set({ summary: "changed" }).where(eq(notices.id, any!.id))).rejects.toThrow();
    await expect(handle.db.delete(notices).where(eq(notices.id, any!.id))).rejects.toThrow();
  });

  it("carry a notice filed under an older kind name to the catalog's key, and stay unchangeable afterwards", async () => {
    const [old] = await handle.db
      .insert(notices)
      .values({ ...(await handle.db.select().from(notices).limit(1))[0]!, id: randomUUID(), kind: "legal-process" as never })
      .returning();
    const migration = readFileSync(path.join(migrationsFolder, "0014_notice_kinds_are_catalog_keys.sql"), "utf8");
    await handle.db.transaction(async (tx) => {
      for (const statement of migration.split("--> statement-breakpoint")) await tx.execute(sql.raw(statement));
    });
    const [now] = await handle.db.select().from(notices).where(eq(notices.id, old!.id));
    expect(now!.kind).toBe("legal-process-notice");
    expect(Object.keys(NOTICE_KIND_LABELS)).toContain(now!.kind);
    await expect(handle.db.update(notices).set({ kind: "breach-notice" }).where(eq(notices.id, old!.id))).rejects.toThrow();
  });
});

describe("notice kinds", () => {
  it("are exactly the catalog's evidence kinds filed as notices, under the catalog's own keys", () => {
    const catalogNotices = catalogData.evidenceKinds.filter((k) => k.notice).map((k) => k.key);
    expect([...NOTICE_KIND_KEYS].sort()).toEqual(catalogNotices.sort());
    expect(catalogNotices).toHaveLength(4);
  });
});
