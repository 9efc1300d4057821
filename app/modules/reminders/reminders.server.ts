import { and, eq, gte, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { type Database, type Queryable, queryRows } from "../../../db/client.ts";
import { evidenceItems } from "../../../db/schema/evidence.ts";
import { noticeAgencies, notices } from "../../../db/schema/notices.ts";
import { rosterPeople } from "../../../db/schema/roster.ts";
import { vendors } from "../../../db/schema/vendors.ts";
import { AuditRecorder, systemActor } from "../audit/audit.server.ts";
import { liveContractsWithVendor } from "../contracts/contracts.server.ts";
import { addDays, addMonths, type Day, daysBetween, todayIn } from "../dates.ts";
import { timeZonesOf } from "../access/organisations.server.ts";
import { deliverNotifications, type DeliveryResult } from "../notifications/delivery.server.ts";
import type { Mailer } from "../notifications/mail.server.ts";
import { type NewNotification, notify, peopleWithRoles, type Recipient, toEach } from "../notifications/notify.server.ts";
import { NOTICE_KIND_LABELS, type NoticeKindKey, noticePaths } from "../notices/kinds.ts";
import { rosterPaths, trainingDueOn } from "../roster/vocabulary.ts";
import { evidencePaths } from "../evidence/vocabulary.ts";

/**
 * The reminder sweep: evidence expiring in 60, 30 and 7 days, requests past
 * their due date, roster training due within 30 days or overdue, and notices
 * that came late. Each fact becomes one notification per person (a unique key
 * per person and fact), so running it again, hourly or from a second server
 * copy, adds nothing; a PostgreSQL advisory lock keeps copies from doing the
 * work twice. E-mail then leaves through the outbox (at once, or in the daily
 * digest), never twice for one notification. Days are counted on the calendar of
 * the organisation whose deadline it is: the requesting agency's for evidence, the
 * vendor's for its roster.
 */
const REMINDER_LOCK_KEY = 72_122_005;
export const EXPIRY_THRESHOLDS = [7, 30, 60] as const;
const TRAINING_WARNING_DAYS = 30;
const LATE_NOTICE_LOOKBACK_DAYS = 30;

export type ReminderResult = { ran: boolean; created: Record<string, number> };

/** Everyone in each of these organisations holding one of the roles, by organisation. */
async function byOrganisation(db: Queryable, organisationIds: string[], roles: Parameters<typeof peopleWithRoles>[2]) {
  const map = new Map<string, Recipient[]>();
  for (const r of await peopleWithRoles(db, [...new Set(organisationIds)], roles))
    map.set(r.organisationId, [...(map.get(r.organisationId) ?? []), r]);
  return map;
}

async function vendorOrganisations(db: Queryable, vendorIds: string[]) {
  if (vendorIds.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: vendors.id, organisationId: vendors.organisationId })
    .from(vendors)
    .where(inArray(vendors.id, [...new Set(vendorIds)]));
  return new Map(rows.filter((r) => r.organisationId).map((r) => [r.id, r.organisationId!]));
}

export async function runReminderSweep(db: Database, now: Date): Promise<ReminderResult> {
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${REMINDER_LOCK_KEY}) as locked`,
    );
    if (!lock?.locked) return { ran: false, created: {} };
    // Every organisation's today lies within a day of UTC's (Guam is ahead, American Samoa behind):
    // the queries take that span, and each fact is then judged on its own organisation's calendar.
    const utcToday = todayIn("UTC", now);
    const earliest = addDays(utcToday, -1);
    const latest = addDays(utcToday, 1);
    const zones = new Map<string, string>();
    const learnZones = async (organisationIds: (string | null | undefined)[]) => {
      const unknown = organisationIds.filter((id): id is string => Boolean(id) && !zones.has(id!));
      for (const [id, zone] of await timeZonesOf(tx, unknown)) zones.set(id, zone);
    };
    const todayOf = (organisationId: string | null | undefined): Day => todayIn(zones.get(organisationId ?? "") ?? "UTC", now);
    const pending: NewNotification[] = [];

    // Evidence expiring, and requests overdue, each on the requesting agency's calendar.
    const mayExpire = await tx
      .select({
        id: evidenceItems.id,
        title: evidenceItems.title,
        agencyId: evidenceItems.agencyId,
        vendorId: evidenceItems.vendorId,
        expiresOn: evidenceItems.expiresOn,
      })
      .from(evidenceItems)
      .where(
        and(
          eq(evidenceItems.status, "accepted"),
          gte(evidenceItems.expiresOn, earliest),
          lte(evidenceItems.expiresOn, addDays(latest, 60)),
        ),
      );
    const mayBeOverdue = await tx
      .select({
        id: evidenceItems.id,
        title: evidenceItems.title,
        agencyId: evidenceItems.agencyId,
        vendorId: evidenceItems.vendorId,
        dueOn: evidenceItems.dueOn,
      })
      .from(evidenceItems)
      .where(and(inArray(evidenceItems.status, ["requested", "rejected"]), lt(evidenceItems.dueOn, latest)));
    await learnZones([...mayExpire, ...mayBeOverdue].map((i) => i.agencyId));
    const expiring = mayExpire.filter(
      (i) => i.expiresOn! >= todayOf(i.agencyId) && i.expiresOn! <= addDays(todayOf(i.agencyId), 60),
    );
    const overdue = mayBeOverdue.filter((i) => i.dueOn! < todayOf(i.agencyId));
    const items = [...expiring, ...overdue];
    const vendorOrgs = await vendorOrganisations(
      tx,
      items.map((i) => i.vendorId),
    );
    const officers = await byOrganisation(
      tx,
      items.map((i) => i.agencyId),
      ["cjis-officer"],
    );
    const reps = await byOrganisation(tx, [...vendorOrgs.values()], ["vendor-representative", "vendor-admin"]);
    const repsOf = (vendorId: string) => reps.get(vendorOrgs.get(vendorId) ?? "") ?? [];
    for (const item of expiring) {
      const days = daysBetween(todayOf(item.agencyId), item.expiresOn!);
      const threshold = EXPIRY_THRESHOLDS.find((t) => days <= t)!;
      const subject = `${item.title} expires in ${days} ${days === 1 ? "day" : "days"}`;
      const body = `It expires on ${item.expiresOn}. ${days <= 7 ? "Renewed evidence is needed now." : "Plan the renewal."}`;
      const dedupeKey = `evidence-expiring:${item.id}:${item.expiresOn}:${threshold}`;
      pending.push(
        ...toEach(officers.get(item.agencyId) ?? [], {
          kind: "evidence-expiring",
          subject,
          body,
          link: evidencePaths.item(item.id),
          dedupeKey,
        }),
      );
      pending.push(
        ...toEach(repsOf(item.vendorId), {
          kind: "evidence-expiring",
          subject,
          body: `${body} Upload the renewal in the portal when the agency asks.`,
          link: evidencePaths.portalItem(item.id),
          dedupeKey,
        }),
      );
    }
    for (const item of overdue) {
      const subject = `${item.title} is overdue`;
      const body = `It was due on ${item.dueOn} and has not been provided.`;
      const dedupeKey = `request-overdue:${item.id}:${item.dueOn}`;
      pending.push(
        ...toEach(officers.get(item.agencyId) ?? [], {
          kind: "request-overdue",
          subject,
          body,
          link: evidencePaths.item(item.id),
          dedupeKey,
        }),
      );
      pending.push(
        ...toEach(repsOf(item.vendorId), {
          kind: "request-overdue",
          subject,
          body: `${body} Upload it in the portal.`,
          link: evidencePaths.portalItem(item.id),
          dedupeKey,
        }),
      );
    }

    // Training due within 30 days, or overdue, for anyone whose access has not ended (on the vendor's calendar).
    const trainingCutoff = addMonths(addDays(latest, TRAINING_WARNING_DAYS), -12);
    const candidates = await tx
      .select({
        id: rosterPeople.id,
        vendorId: rosterPeople.vendorId,
        fullName: rosterPeople.fullName,
        trainedOn: rosterPeople.trainedOn,
        accessEndedOn: rosterPeople.accessEndedOn,
        vendorName: vendors.legalName,
      })
      .from(rosterPeople)
      .innerJoin(vendors, eq(vendors.id, rosterPeople.vendorId))
      .where(
        and(
          or(isNull(rosterPeople.accessEndedOn), sql`${rosterPeople.accessEndedOn} > ${earliest}`),
          or(isNull(rosterPeople.trainedOn), lte(rosterPeople.trainedOn, trainingCutoff)),
        ),
      );
    const trainingVendorOrgs = await vendorOrganisations(
      tx,
      candidates.map((p) => p.vendorId),
    );
    await learnZones([...trainingVendorOrgs.values()]);
    const vendorToday = (vendorId: string) => todayOf(trainingVendorOrgs.get(vendorId));
    const untrained = candidates.filter((p) => {
      const today = vendorToday(p.vendorId);
      const stillHasAccess = !p.accessEndedOn || p.accessEndedOn > today;
      return stillHasAccess && (!p.trainedOn || p.trainedOn <= addMonths(addDays(today, TRAINING_WARNING_DAYS), -12));
    });
    const trainingReps = await byOrganisation(tx, [...trainingVendorOrgs.values()], ["vendor-representative", "vendor-admin"]);
    const agenciesOf = new Map<string, string[]>();
    for (const vendorId of new Set(untrained.map((p) => p.vendorId)))
      agenciesOf.set(vendorId, [...new Set((await liveContractsWithVendor({ db: tx }, vendorId)).map((c) => c.agencyId))]);
    const trainingOfficers = await byOrganisation(tx, [...agenciesOf.values()].flat(), ["cjis-officer"]);
    for (const p of untrained) {
      const due = trainingDueOn(p.trainedOn);
      const subject =
        due && due >= vendorToday(p.vendorId)
          ? `Security awareness training due ${due}: ${p.fullName} (${p.vendorName})`
          : `Security awareness training overdue: ${p.fullName} (${p.vendorName})`;
      const body = p.trainedOn
        ? `Last trained ${p.trainedOn}; CJIS AT-2 asks for it yearly.`
        : "No training is recorded; CJIS AT-2 asks for it before access and yearly.";
      const dedupeKey = `training-due:${p.id}:${due ?? "never"}`;
      pending.push(
        ...toEach(trainingReps.get(trainingVendorOrgs.get(p.vendorId) ?? "") ?? [], {
          kind: "training-due",
          subject,
          body,
          link: rosterPaths.portal(),
          dedupeKey,
        }),
      );
      pending.push(
        ...toEach(
          (agenciesOf.get(p.vendorId) ?? []).flatMap((a) => trainingOfficers.get(a) ?? []),
          { kind: "training-due", subject, body, link: rosterPaths.vendor(p.vendorId), dedupeKey },
        ),
      );
    }

    // Notices that came late: the agency's contract owners and the vendor hear of it.
    const late = await tx
      .select({
        noticeId: notices.id,
        kind: notices.kind,
        summary: notices.summary,
        vendorId: notices.vendorId,
        vendorName: vendors.legalName,
        agencyId: noticeAgencies.agencyId,
        minutes: noticeAgencies.minutesPastDeadline,
      })
      .from(noticeAgencies)
      .innerJoin(notices, eq(notices.id, noticeAgencies.noticeId))
      .innerJoin(vendors, eq(vendors.id, notices.vendorId))
      .where(
        and(
          eq(noticeAgencies.late, true),
          gte(notices.filedAt, new Date(now.getTime() - LATE_NOTICE_LOOKBACK_DAYS * 86_400_000)),
        ),
      );
    const lateVendorOrgs = await vendorOrganisations(
      tx,
      late.map((l) => l.vendorId),
    );
    const buyers = await byOrganisation(
      tx,
      late.map((l) => l.agencyId),
      ["procurement-officer"],
    );
    const lateReps = await byOrganisation(tx, [...lateVendorOrgs.values()], ["vendor-representative", "vendor-admin"]);
    for (const l of late) {
      const subject = `Late ${NOTICE_KIND_LABELS[l.kind as NoticeKindKey].toLowerCase()} notice from ${l.vendorName}`;
      const body = `“${l.summary}” came ${Math.round((l.minutes ?? 0) / 60)} h after the contract's deadline; the contract's remedies may apply.`;
      const dedupeKey = `notice-late:${l.noticeId}:${l.agencyId}`;
      pending.push(
        ...toEach(buyers.get(l.agencyId) ?? [], {
          kind: "notice-late",
          subject,
          body,
          link: noticePaths.notice(l.noticeId),
          dedupeKey,
        }),
      );
      pending.push(
        ...toEach(lateReps.get(lateVendorOrgs.get(l.vendorId) ?? "") ?? [], {
          kind: "notice-late",
          subject,
          body,
          link: noticePaths.portalNotice(l.noticeId),
          dedupeKey,
        }),
      );
    }

    const created: Record<string, number> = {};
    let total = 0;
    for (const kind of new Set(pending.map((n) => n.kind))) {
      const n = await notify(
        tx,
        pending.filter((p) => p.kind === kind),
        now,
      );
      if (n > 0) created[kind] = n;
      total += n;
    }
    const audit = new AuditRecorder(systemActor("reminder sweep"), () => now);
    audit.record({
      action: "sweep.reminders",
      details: {
        considered: pending.length,
        created: total,
        expiring: expiring.length,
        overdue: overdue.length,
        trainingDue: untrained.length,
        lateNotices: late.length,
      },
    });
    await audit.flush(tx);
    return { ran: true, created };
  });
}

/** The sweep, then the e-mail outbox. */
export async function runReminders(
  db: Database,
  mailer: Mailer | null,
  options: { publicUrl: string; now: Date },
): Promise<{ sweep: ReminderResult; email: DeliveryResult }> {
  const sweep = await runReminderSweep(db, options.now);
  const email = await deliverNotifications(db, mailer, options);
  return { sweep, email };
}
