import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { organisations, people } from "../../../db/schema/access.ts";
import { noticeAgencies, notices } from "../../../db/schema/notices.ts";
import { vendors } from "../../../db/schema/vendors.ts";
import { InvalidInput, isUuid, type ModuleContext, NotFound, orgOf, requirePermission } from "../context.server.ts";
import { liveContractsWithVendor, vendorsUnderContract } from "../contracts/contracts.server.ts";
import { cjisOfficersOf, tell, toEach } from "../notifications/notify.server.ts";
import {
  NOTICE_DETAIL_SCHEMAS,
  NOTICE_KIND_LABELS,
  type NoticeKindKey,
  noticePaths,
  NoticeSummary,
  OCCURRED_HEADINGS,
  OCCURRED_LABELS,
  type Timeliness,
} from "./kinds.ts";
import { minutesBetween, parseLocalTime } from "../dates.ts";
import { formatDuration, formatMinute } from "../format.ts";
import { deadlineFor, type Window } from "./times.ts";
import { ownVendor } from "../vendors/vendors.server.ts";

/**
 * Notices: a vendor files one in the portal (it is notified the moment it is
 * filed), or an agency records one it received by other means (with the time
 * it was told). Each affected agency's timeliness is judged against its own
 * strictest live contract with the vendor, and its CJIS officers are told at
 * once, in the same transaction as the notice.
 */

type Terms = Awaited<ReturnType<typeof liveContractsWithVendor>>[number]["terms"];

function windowOf(kind: NoticeKindKey, terms: Terms): Window {
  switch (kind) {
    case "breach-notice":
      return { hoursAfter: terms.breachNoticeHours };
    case "legal-process-notice":
      return { hoursAfter: terms.legalProcessNoticeHours };
    case "data-location-change-notice":
      return { daysBefore: terms.locationChangeNoticeDays };
    case "business-change-notice":
      return { daysBefore: terms.businessChangeNoticeDays };
  }
}

/** The strictest window among contracts: the fewest hours after, or the most days before. */
function strictest(kind: NoticeKindKey, contracts: { contractId: string; terms: Terms }[]) {
  let best: { contractId: string; window: Window } | null = null;
  for (const c of contracts) {
    const w = windowOf(kind, c.terms);
    if (!best) best = { contractId: c.contractId, window: w };
    else if ("hoursAfter" in w && "hoursAfter" in best.window && w.hoursAfter < best.window.hoursAfter)
      best = { contractId: c.contractId, window: w };
    else if ("daysBefore" in w && "daysBefore" in best.window && w.daysBefore > best.window.daysBefore)
      best = { contractId: c.contractId, window: w };
  }
  return best;
}

export function timelinessOf(row: { deadlineAt: Date | null; late: boolean }): Timeliness {
  return row.deadlineAt === null ? "no-window" : row.late ? "late" : "on-time";
}

export function describeTimeliness(row: { deadlineAt: Date | null; late: boolean; minutesPastDeadline: number | null }) {
  if (row.deadlineAt === null || row.minutesPastDeadline === null) return "No live contract sets a window for this notice.";
  return row.late
    ? `Late by ${formatDuration(row.minutesPastDeadline)}.`
    : `On time, ${formatDuration(-row.minutesPastDeadline)} before the deadline.`;
}

type RawForm = Record<string, string | string[]>;
const one = (raw: RawForm, name: string) => {
  const v = raw[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
};

/** What the forms offer: for a vendor, the agencies it serves; for an agency, the vendors it contracts with. */
export async function noticeFormOptions(ctx: ModuleContext, side: "vendor" | "agency", options: { audit?: boolean } = {}) {
  if (options.audit) ctx.audit.record({ action: "notice.form", objectType: "notice", details: { side } });
  if (side === "vendor") {
    const vendor = await ownVendor(ctx);
    if (!vendor) throw new NotFound("vendor", "own");
    const live = await liveContractsWithVendor(ctx, vendor.id);
    const agencies = [...new Map(live.map((c) => [c.agencyId, { id: c.agencyId, name: c.agencyName }])).values()];
    return { vendor, agencies, vendors: [] as { id: string; name: string }[] };
  }
  return {
    vendor: null,
    agencies: [] as { id: string; name: string }[],
    vendors: await vendorsUnderContract(ctx, { live: true }),
  };
}

/** File (vendor) or record (agency) a notice; returns it with the people told, for immediate e-mail. */
export async function createNotice(ctx: ModuleContext, side: "vendor" | "agency", raw: RawForm) {
  requirePermission(ctx, side === "vendor" ? "notice:file:own-vendor" : "notice:record");
  const errors: Record<string, string> = {};
  const kind = one(raw, "kind") as NoticeKindKey;
  if (!Object.hasOwn(NOTICE_KIND_LABELS, kind)) throw new InvalidInput({ kind: "Choose the kind of notice." });

  // Who it concerns.
  let vendorId: string;
  let agencyIds: string[];
  if (side === "vendor") {
    const vendor = await ownVendor(ctx);
    if (!vendor) throw new NotFound("vendor", "own");
    vendorId = vendor.id;
    const served = new Set((await liveContractsWithVendor(ctx, vendorId)).map((c) => c.agencyId));
    const chosen = [raw.agencies ?? []].flat().filter((a) => served.has(a));
    agencyIds = [...new Set(chosen)];
    if (agencyIds.length === 0)
      errors.agencies = served.size
        ? "Tick each agency the notice concerns."
        : "No agency has a live contract with you, so there is no one to notify here.";
  } else {
    vendorId = one(raw, "vendorId");
    const options = await noticeFormOptions(ctx, "agency");
    if (!options.vendors.some((v) => v.id === vendorId)) errors.vendorId = "Choose the vendor the notice came from.";
    agencyIds = [orgOf(ctx)];
  }

  const summary = NoticeSummary.safeParse(raw.summary);
  if (!summary.success) errors.summary = summary.error.issues[0]!.message;
  const details = NOTICE_DETAIL_SCHEMAS[kind].safeParse(
    Object.fromEntries(
      Object.entries(raw)
        .filter(([k]) => k.startsWith("detail."))
        .map(([k, v]) => [k.slice(7), Array.isArray(v) ? v[0] : v]),
    ),
  );
  if (!details.success) for (const issue of details.error.issues) errors[`detail.${String(issue.path[0])}`] ??= issue.message;

  const occurredZone = one(raw, "occurredZone");
  const occurred = parseLocalTime(one(raw, "occurredLocal"), occurredZone, OCCURRED_LABELS[kind]);
  if (!occurred.ok) errors.occurredLocal = occurred.message;
  let notifiedAt = ctx.now;
  let notifiedZone = occurredZone || "UTC";
  if (side === "agency") {
    notifiedZone = one(raw, "notifiedZone");
    const notified = parseLocalTime(one(raw, "notifiedLocal"), notifiedZone, "time the agency was told");
    if (!notified.ok) errors.notifiedLocal = notified.message;
    else if (notified.at.getTime() > ctx.now.getTime() + 60_000)
      errors.notifiedLocal = "The time the agency was told cannot be in the future.";
    else notifiedAt = notified.at;
  }
  if (occurred.ok && (kind === "breach-notice" || kind === "legal-process-notice")) {
    if (occurred.at.getTime() > ctx.now.getTime() + 60_000)
      errors.occurredLocal = `The ${OCCURRED_LABELS[kind]} cannot be in the future.`;
    else if (!errors.notifiedLocal && notifiedAt < occurred.at)
      errors.notifiedLocal = `The agency cannot have been told before the ${OCCURRED_LABELS[kind]}.`;
  }
  if (Object.keys(errors).length > 0 || !occurred.ok || !summary.success || !details.success) throw new InvalidInput(errors);

  const [notice] = await ctx.db
    .insert(notices)
    .values({
      vendorId,
      kind,
      summary: summary.data,
      occurredAt: occurred.at,
      occurredZone,
      notifiedAt,
      notifiedZone,
      details: details.data,
      filedByKind: side,
      recordedByAgencyId: side === "agency" ? orgOf(ctx) : null,
      filedBy: ctx.actor.personId,
      filedFrom: ctx.actor.ip,
      filedAt: ctx.now,
    })
    .returning();

  const live = await liveContractsWithVendor(ctx, vendorId, agencyIds);
  const judged = agencyIds.map((agencyId) => {
    const best = strictest(
      kind,
      live.filter((c) => c.agencyId === agencyId),
    );
    if (!best)
      return {
        noticeId: notice!.id,
        agencyId,
        contractId: null,
        windowHours: null,
        windowDays: null,
        deadlineAt: null,
        late: false,
        minutesPastDeadline: null,
      };
    const deadlineAt = deadlineFor(occurred.at, occurredZone, best.window);
    const past = minutesBetween(deadlineAt, notifiedAt);
    return {
      noticeId: notice!.id,
      agencyId,
      contractId: best.contractId,
      windowHours: "hoursAfter" in best.window ? best.window.hoursAfter : null,
      windowDays: "daysBefore" in best.window ? best.window.daysBefore : null,
      deadlineAt,
      late: notifiedAt.getTime() > deadlineAt.getTime(),
      minutesPastDeadline: past,
    };
  });
  await ctx.db.insert(noticeAgencies).values(judged);

  const [vendor] = await ctx.db.select({ name: vendors.legalName }).from(vendors).where(eq(vendors.id, vendorId));
  const officers = await cjisOfficersOf(ctx.db, agencyIds);
  const toTell = judged.flatMap((j) =>
    toEach(
      officers.filter((o) => o.organisationId === j.agencyId),
      {
        kind: "notice-filed",
        subject: `${NOTICE_KIND_LABELS[kind]} notice from ${vendor!.name}${j.late ? " (late)" : ""}`,
        body: `${summary.data}. ${OCCURRED_HEADINGS[kind]} ${formatMinute(occurred.at, occurredZone)}; notified ${formatMinute(notifiedAt, notifiedZone)}. ${describeTimeliness(j)}`,
        link: noticePaths.notice(notice!.id),
        dedupeKey: `notice:${notice!.id}`,
      },
    ),
  );
  await tell(ctx, toTell);
  ctx.audit.record({
    action: side === "vendor" ? "notice.file" : "notice.record",
    objectType: "notice",
    objectId: notice!.id,
    organisationId: side === "agency" ? orgOf(ctx) : ctx.actor.organisationId,
    details: {
      kind,
      vendorId,
      agencies: judged.map((j) => ({
        agencyId: j.agencyId,
        contractId: j.contractId,
        late: j.late,
        minutesPastDeadline: j.minutesPastDeadline,
      })),
      told: toTell.length,
    },
  });
  return { notice: notice!, judged, told: [...new Set(toTell.map((t) => t.personId))] };
}

/** Notices the actor sees: an agency, those that concern it; a vendor, its own. */
function visible(ctx: ModuleContext, side: "vendor" | "agency") {
  const org = orgOf(ctx);
  return side === "agency"
    ? sql`${notices.id} in (select na.notice_id from notice_agencies na where na.agency_id = ${org})`
    : sql`${notices.vendorId} in (select v.id from vendors v where v.organisation_id = ${org})`;
}

export type NoticeFilter = { kind?: string; timeliness?: string; vendorId?: string };

export async function listNotices(ctx: ModuleContext, side: "vendor" | "agency", filter: NoticeFilter = {}) {
  const conditions = [visible(ctx, side)];
  if (filter.kind && Object.hasOwn(NOTICE_KIND_LABELS, filter.kind))
    conditions.push(eq(notices.kind, filter.kind as NoticeKindKey));
  if (filter.vendorId && isUuid(filter.vendorId)) conditions.push(eq(notices.vendorId, filter.vendorId));
  if (side === "agency" && (filter.timeliness === "late" || filter.timeliness === "on-time")) {
    conditions.push(
      sql`${notices.id} in (select na.notice_id from notice_agencies na where na.agency_id = ${orgOf(ctx)} and na.late = ${filter.timeliness === "late"} and na.deadline_at is not null)`,
    );
  }
  const rows = await ctx.db
    .select({ notice: notices, vendorName: vendors.legalName })
    .from(notices)
    .innerJoin(vendors, eq(vendors.id, notices.vendorId))
    .where(and(...conditions))
    .orderBy(desc(notices.occurredAt))
    .limit(500);
  const judgements = await judgementsOf(
    ctx,
    side,
    rows.map((r) => r.notice.id),
  );
  ctx.audit.record({ action: "notice.list", objectType: "notice", details: { side, filter, shown: rows.length } });
  return rows.map((r) => ({ ...r.notice, vendorName: r.vendorName, agencies: judgements.get(r.notice.id) ?? [] }));
}

/** Each notice's judgement per agency; an agency sees only its own, a vendor sees all of its notices'. */
async function judgementsOf(ctx: ModuleContext, side: "vendor" | "agency", ids: string[]) {
  if (ids.length === 0) return new Map<string, JudgedAgency[]>();
  const rows = await ctx.db
    .select({ j: noticeAgencies, agencyName: organisations.name })
    .from(noticeAgencies)
    .innerJoin(organisations, eq(organisations.id, noticeAgencies.agencyId))
    .where(and(inArray(noticeAgencies.noticeId, ids), side === "agency" ? eq(noticeAgencies.agencyId, orgOf(ctx)) : undefined))
    .orderBy(organisations.name);
  const map = new Map<string, JudgedAgency[]>();
  for (const r of rows)
    map.set(r.j.noticeId, [
      ...(map.get(r.j.noticeId) ?? []),
      { ...r.j, agencyName: r.agencyName, timeliness: timelinessOf(r.j) },
    ]);
  return map;
}
export type JudgedAgency = typeof noticeAgencies.$inferSelect & { agencyName: string; timeliness: Timeliness };

export async function getNotice(ctx: ModuleContext, side: "vendor" | "agency", noticeId: string) {
  if (!isUuid(noticeId)) throw new NotFound("notice", noticeId);
  const [row] = await ctx.db
    .select({ notice: notices, vendorName: vendors.legalName, filedByName: people.name })
    .from(notices)
    .innerJoin(vendors, eq(vendors.id, notices.vendorId))
    .leftJoin(people, eq(people.id, notices.filedBy))
    .where(and(eq(notices.id, noticeId), visible(ctx, side)));
  if (!row) throw new NotFound("notice", noticeId);
  const agencies = (await judgementsOf(ctx, side, [noticeId])).get(noticeId) ?? [];
  const contractTitles = new Map(
    (
      await liveContractsWithVendor(
        ctx,
        row.notice.vendorId,
        agencies.map((a) => a.agencyId),
      )
    ).map((c) => [c.contractId, c.title]),
  );
  ctx.audit.record({ action: "notice.view", objectType: "notice", objectId: noticeId, details: { side } });
  return {
    ...row.notice,
    vendorName: row.vendorName,
    filedByName: row.filedByName,
    agencies: agencies.map((a) => ({
      ...a,
      contractTitle: a.contractId ? (contractTitles.get(a.contractId) ?? "a contract no longer live") : null,
    })),
  };
}

/** For the dashboard: notices concerning the agency judged late in the last 90 days (the dashboard records its own read). */
export async function lateNoticeCount(ctx: ModuleContext) {
  const since = new Date(ctx.now.getTime() - 90 * 86_400_000);
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(noticeAgencies)
    .innerJoin(notices, eq(notices.id, noticeAgencies.noticeId))
    .where(
      and(
        eq(noticeAgencies.agencyId, orgOf(ctx)),
        eq(noticeAgencies.late, true),
        sql`${notices.filedAt} >= ${since.toISOString()}::timestamptz`,
      ),
    );
  return row?.n ?? 0;
}
