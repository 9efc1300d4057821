import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { createContract } from "../../app/modules/contracts/contracts.server.ts";
import { createNotice } from "../../app/modules/notices/notices.server.ts";
import { runReminderSweep } from "../../app/modules/reminders/reminders.server.ts";
import { deliverNotifications } from "../../app/modules/notifications/delivery.server.ts";
import { createMailer, type Mailer } from "../../app/modules/notifications/mail.server.ts";
import { setDelivery } from "../../app/modules/notifications/notify.server.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { evidenceKinds } from "../../db/schema/catalog.ts";
import { evidenceItems } from "../../db/schema/evidence.ts";
import { notifications } from "../../db/schema/notifications.ts";
import { rosterPeople } from "../../db/schema/roster.ts";
import { action as notificationsAction, loader as notificationsLoader } from "../../app/routes/notifications.tsx";
import { appContext, makeAccount, seedOrganisations, signIn } from "../support/accounts.ts";
import { loaderArgs, thrownStatus } from "../support/routes.ts";
import { as, contractInput, vendorInput } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";
import { startSmtpServer } from "../support/smtp.ts";

let handle: DatabaseHandle;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let mailer: Mailer;
const start = new Date("2026-11-23T13:00:00.000Z");
let officer: ProvisionedAccount;
let buyer: ProvisionedAccount;
let rep: ProvisionedAccount;
let digestRep: ProvisionedAccount;
let expiringId: string;
let overdueId: string;
const publicUrl = "https://custody.county.test";
const deliver = (now: Date) => deliverNotifications(handle.db, mailer, { publicUrl, now });
const mailTo = (account: ProvisionedAccount) => smtp.received.filter((m) => m.to.includes(account.email));
const subjectOf = (raw: string) =>
  raw
    .replace(/\r?\n[ \t]+/g, " ")
    .match(/^Subject: (.*)$/m)![1]!
    .trim();

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  smtp = await startSmtpServer();
  mailer = createMailer(smtp.url, "Custody <no-reply@county.test>")!;
  const orgs = await seedOrganisations(handle.db);
  buyer = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", start);
  officer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", start);
  rep = await makeAccount(handle.db, orgs.vendor.id, "vendor-representative", start);
  digestRep = await makeAccount(handle.db, orgs.vendor.id, "vendor-admin", start);
  await as(handle.db, digestRep, start, (ctx) => setDelivery(ctx, "daily-digest"));
  const vendorId = (await as(handle.db, buyer, start, (ctx) => registerVendor(ctx, vendorInput({ legalName: "Vendor V" })))).id;
  await as(handle.db, buyer, start, (ctx) =>
    createContract(
      ctx,
      contractInput(vendorId, { stage: "signed", signedOn: "2026-01-10", effectiveOn: "2026-02-01", breachNoticeHours: "1" }),
    ),
  );
  const [kind] = await handle.db.select().from(evidenceKinds).limit(1);
  const item = async (values: Partial<typeof evidenceItems.$inferInsert>) =>
    (
      await handle.db
        .insert(evidenceItems)
        .values({
          agencyId: orgs.agencyA.id,
          vendorId,
          kindId: kind!.id,
          title: "Item",
          status: "requested",
          createdAt: start,
          updatedAt: start,
          ...values,
        })
        .returning()
    )[0]!.id;
  expiringId = await item({
    title: "Cyber insurance certificate 2026",
    status: "accepted",
    currentVersion: 1,
    expiresOn: "2026-12-18",
  }); // 25 days
  overdueId = await item({ title: "SOC 2 Type II report", dueOn: "2026-11-20" });
  await item({ title: "Accepted long ago, expiring next year", status: "accepted", currentVersion: 1, expiresOn: "2027-06-01" });
  await handle.db.insert(rosterPeople).values({
    vendorId,
    fullName: "Dana Whitfield",
    jobRole: "Storage administrator",
    unescortedAccess: true,
    fingerprintCheckedOn: "2025-12-01",
    fingerprintAgency: "VSP",
    addendumSignedOn: "2025-12-01",
    trainedOn: "2025-12-10",
    createdAt: start,
    updatedAt: start,
  });
  await as(handle.db, officer, start, (ctx) =>
    createNotice(ctx, "agency", {
      kind: "breach-notice",
      vendorId,
      summary: "Misdirected export of case files",
      occurredLocal: "2026-11-20T08:00",
      occurredZone: "America/New_York",
      notifiedLocal: "2026-11-20T12:00",
      notifiedZone: "America/New_York",
      "detail.whatHappened": "A nightly export went to the wrong customer's bucket for six hours.",
      "detail.dataCategories": "Case files",
    }),
  );
});
afterAll(async () => {
  await smtp?.close();
  await handle?.close();
});

describe("the reminder sweep", () => {
  it("remind each person once of expiring evidence, overdue requests, training due and late notices, even when two sweeps and two outboxes race", async () => {
    const [a, b] = await Promise.all([runReminderSweep(handle.db, start), runReminderSweep(handle.db, start)]);
    const created = [a, b].flatMap((r) => Object.values(r.created)).reduce((x, y) => x + y, 0);
    // Officer: expiring, overdue, training. Rep and digest rep: expiring, overdue, training, late notice. Buyer: late notice.
    expect(created).toBe(3 + 4 + 4 + 1);
    const keys = await handle.db
      .select({ personId: notifications.personId, key: notifications.dedupeKey, n: sql<number>`count(*)::int` })
      .from(notifications)
      .groupBy(notifications.personId, notifications.dedupeKey);
    expect(keys.every((k) => k.n === 1)).toBe(true);
    const officerKinds = (await handle.db.select().from(notifications).where(eq(notifications.personId, officer.personId)))
      .map((n) => n.kind)
      .sort();
    expect(officerKinds).toEqual(["evidence-expiring", "notice-filed", "request-overdue", "training-due"]);

    await Promise.all([deliver(start), deliver(start)]);
    const toOfficer = mailTo(officer)
      .map((m) => subjectOf(m.raw))
      .sort();
    expect(toOfficer).toEqual([
      "Custody: Breach or incident notice from Vendor V (late)",
      "Custody: Cyber insurance certificate 2026 expires in 25 days",
      "Custody: SOC 2 Type II report is overdue",
      "Custody: Security awareness training due 2026-12-10: Dana Whitfield (Vendor V)",
    ]);
    expect(mailTo(buyer).map((m) => subjectOf(m.raw))).toEqual(["Custody: Late breach or incident notice from Vendor V"]);
    expect(mailTo(rep)).toHaveLength(4);
    // The digest gathers all four of the digest reader's notifications into one message.
    expect(mailTo(digestRep).map((m) => subjectOf(m.raw))).toEqual(["Custody: your daily digest (4 items)"]);

    // Again, an hour later: nothing new to say, nothing sent.
    const later = new Date(start.getTime() + 3_600_000);
    const count = smtp.received.length;
    expect(Object.keys((await runReminderSweep(handle.db, later)).created)).toEqual([]);
    await deliver(later);
    expect(smtp.received.length).toBe(count);
    const sent = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "notification.email"));
    // One audit event per person per delivery, naming how many messages left and which notifications.
    expect(sent).toHaveLength(4);
    expect(sent.map((e) => (e.details as { messages: number }).messages).reduce((x, y) => x + y, 0)).toBe(4 + 1 + 4 + 1);
  });

  it("send links into Custody under the public address, never an attachment", () => {
    const expiring = mailTo(rep).find((m) => m.unfolded.includes("expires in 25 days"))!;
    expect(expiring.unfolded).toContain(`${publicUrl}/portal/evidence/${expiringId}`);
    const overdue = mailTo(officer).find((m) => m.unfolded.includes("is overdue"))!;
    expect(overdue.unfolded).toContain(`${publicUrl}/evidence/${overdueId}`);
    for (const m of smtp.received) {
      expect(m.unfolded).not.toMatch(/Content-Disposition:\s*attachment/i);
      expect(m.unfolded).not.toMatch(/Content-Type:\s*application\/(pdf|octet-stream)/i);
    }
  });

  it("remind again at the 7-day mark, and give the digest reader the next digest only a day after the last", async () => {
    const sixDaysBefore = new Date("2026-12-12T13:00:00.000Z");
    const result = await runReminderSweep(handle.db, sixDaysBefore);
    expect(result.created["evidence-expiring"]).toBe(3);
    await deliver(sixDaysBefore);
    expect(mailTo(officer).map((m) => subjectOf(m.raw))).toContain("Custody: Cyber insurance certificate 2026 expires in 6 days");
    expect(mailTo(digestRep).map((m) => subjectOf(m.raw))).toEqual([
      "Custody: your daily digest (4 items)",
      "Custody: your daily digest (1 item)",
    ]);

    const sameDay = new Date("2026-12-12T20:00:00.000Z");
    await handle.db.insert(notifications).values({
      personId: digestRep.personId,
      kind: "request-overdue",
      subject: "Another",
      body: "b",
      link: "/portal",
      dedupeKey: "test:another",
      createdAt: sameDay,
    });
    await deliver(sameDay);
    expect(mailTo(digestRep)).toHaveLength(2);
    await deliver(new Date("2026-12-13T13:00:00.000Z"));
    expect(mailTo(digestRep)).toHaveLength(3);
  });

  it("leave notifications waiting, to be sent later, when the mail server cannot be reached", async () => {
    const now = new Date("2026-12-14T13:00:00.000Z");
    await handle.db.insert(notifications).values({
      personId: officer.personId,
      kind: "request-overdue",
      subject: "Waiting",
      body: "b",
      link: "/evidence",
      dedupeKey: "test:waiting",
      createdAt: now,
    });
    const down = createMailer("smtp://127.0.0.1:9", "Custody <x@y.test>")!;
    const failed = await deliverNotifications(handle.db, down, { publicUrl, now });
    expect(failed).toMatchObject({ messages: 0, failed: 1 });
    const [waiting] = await handle.db.select().from(notifications).where(eq(notifications.dedupeKey, "test:waiting"));
    expect(waiting!.emailedAt).toBeNull();
    expect((await deliver(now)).messages).toBe(1);
  });
});

describe("a person's notifications page", () => {
  it("opens a notification at its link and marks it read, refuses an unknown delivery choice, and answers 404 for someone else's notification", async () => {
    const context = appContext(handle.db, { now: start });
    const { cookie } = await signIn(handle.db, officer, start);
    const page = (await notificationsLoader(loaderArgs(context, "/notifications", {}, { cookie }))) as {
      notifications: { id: string; link: string; readAt: Date | null }[];
      unread: number;
    };
    const first = page.notifications.find((n) => !n.readAt)!;
    const opened = (await notificationsAction(
      loaderArgs(context, "/notifications", {}, { cookie, form: { id: first.id } }),
    )) as Response;
    expect(opened.status).toBe(302);
    expect(opened.headers.get("Location")).toBe(first.link);
    const after = (await notificationsLoader(loaderArgs(context, "/notifications", {}, { cookie }))) as typeof page;
    expect(after.unread).toBe(page.unread - 1);

    const refused = (await notificationsAction(
      loaderArgs(context, "/notifications", {}, { cookie, form: { intent: "delivery", delivery: "weekly" } }),
    )) as { init: { status: number }; data: { errors: Record<string, string> } };
    expect(refused.init.status).toBe(400);
    expect(refused.data.errors.delivery).toBe("Choose e-mail at once or one daily digest.");

    const [theirs] = await handle.db.select().from(notifications).where(eq(notifications.personId, rep.personId)).limit(1);
    const stranger = await thrownStatus(
      notificationsAction(loaderArgs(context, "/notifications", {}, { cookie, form: { id: theirs!.id } })),
    );
    expect(stranger.status).toBe(404);
    const [still] = await handle.db.select().from(notifications).where(eq(notifications.id, theirs!.id));
    expect(still!.readAt).toBeNull();
  });
});
