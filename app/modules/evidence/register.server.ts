import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { queryRows } from "../../../db/client.ts";
import { evidenceKinds } from "../../../db/schema/catalog.ts";
import { evidenceItems } from "../../../db/schema/evidence.ts";
import { vendors } from "../../../db/schema/vendors.ts";
import { evidenceKindList } from "../catalog/catalog.server.ts";
import { isUuid, type ModuleContext, NO_ORGANISATION, orgOf, requirePermission } from "../context.server.ts";
import { vendorsUnderContract } from "../contracts/contracts.server.ts";
import { addMonths, type Day } from "../dates.ts";
import { proveEvents } from "../audit/proofs.server.ts";
import { custodyRows } from "./custody.server.ts";
import { itemDetails } from "./items.server.ts";
import { fieldsOf } from "./kinds.ts";
import { agencyItem } from "./scope.server.ts";
import { type EvidenceState, EVIDENCE_STATUS_LABELS, type ShownStatus, shownStatus } from "./vocabulary.ts";

/**
 * The agency's side of evidence: the register (filtered, paged), its charts,
 * one item with its versions, its chain-of-custody report, and the evidence
 * state of each requirement of a contract for the coverage matrix.
 */

export const REGISTER_PAGE_SIZE = 50;
export type RegisterFilter = { vendorId?: string; kind?: string; status?: string; expiringBefore?: string; page?: number };

/** The shown status of an item, in SQL (the same rule as shownStatus). */
function shownStatusIs(status: ShownStatus, today: string): SQL {
  const s = evidenceItems.status;
  switch (status) {
    case "expired":
      return sql`(${s} = 'accepted' and ${evidenceItems.expiresOn} < ${today})`;
    case "accepted":
      return sql`(${s} = 'accepted' and (${evidenceItems.expiresOn} is null or ${evidenceItems.expiresOn} >= ${today}))`;
    case "overdue":
      return sql`(${s} in ('requested', 'rejected') and ${evidenceItems.dueOn} < ${today})`;
    case "requested":
    case "rejected":
      return sql`(${s} = ${status} and (${evidenceItems.dueOn} is null or ${evidenceItems.dueOn} >= ${today}))`;
    default:
      return sql`${s} = ${status}`;
  }
}

const validDay = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) ? v : undefined);

export async function listRegister(ctx: ModuleContext, raw: RegisterFilter) {
  requirePermission(ctx, "evidence:read");
  const today = ctx.today;
  const kinds = await evidenceKindList(ctx);
  const filter = {
    vendorId: raw.vendorId && isUuid(raw.vendorId) ? raw.vendorId : undefined,
    kind: kinds.find((k) => k.key === raw.kind)?.key,
    status: raw.status && Object.hasOwn(EVIDENCE_STATUS_LABELS, raw.status) ? (raw.status as ShownStatus) : undefined,
    expiringBefore: validDay(raw.expiringBefore),
  };
  const page = Math.max(1, Math.min(10_000, Math.floor(raw.page ?? 1) || 1));
  const filters = [
    filter.vendorId ? eq(evidenceItems.vendorId, filter.vendorId) : undefined,
    filter.kind ? eq(evidenceItems.kindId, kinds.find((k) => k.key === filter.kind)!.id) : undefined,
    filter.status ? shownStatusIs(filter.status, today) : undefined,
    filter.expiringBefore
      ? sql`(${evidenceItems.status} = 'accepted' and ${evidenceItems.expiresOn} < ${filter.expiringBefore})`
      : undefined,
  ];
  // The agency's own items and those on contracts shared with it, each read in order from its own
  // index (ids and sort keys only), merged here, and the page's fifty then read in full: one OR
  // across both, joined before the limit, would sort every visible row to show fifty.
  const byExpiry = Boolean(filter.expiringBefore);
  const upTo = page * REGISTER_PAGE_SIZE;
  const org = ctx.actor.organisationKind === "agency" ? orgOf(ctx) : NO_ORGANISATION;
  // Items on contracts other agencies share with us, found from the shares (few) rather than the items (many).
  const sharedWithUs = sql`${evidenceItems.id} in (select ic.item_id from contract_shares s join evidence_item_contracts ic on ic.contract_id = s.contract_id
    join evidence_items x on x.id = ic.item_id and x.agency_id <> ${org} where s.agency_id = ${org})`;
  const keysOf = (scope: SQL) =>
    ctx.db
      .select({ id: evidenceItems.id, updatedAt: evidenceItems.updatedAt, expiresOn: evidenceItems.expiresOn })
      .from(evidenceItems)
      .where(and(scope, ...filters))
      .orderBy(
        ...(byExpiry
          ? [asc(evidenceItems.expiresOn), asc(evidenceItems.id)]
          : [desc(evidenceItems.updatedAt), asc(evidenceItems.id)]),
      )
      .limit(upTo);
  type Key = { id: string; updatedAt: Date; expiresOn: string | null };
  const inOrder = (a: Key, b: Key) =>
    (byExpiry ? (a.expiresOn ?? "").localeCompare(b.expiresOn ?? "") : b.updatedAt.getTime() - a.updatedAt.getTime()) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const keys = [...(await keysOf(eq(evidenceItems.agencyId, org))), ...(await keysOf(sharedWithUs))]
    .sort(inOrder)
    .slice(upTo - REGISTER_PAGE_SIZE, upTo);
  const found = keys.length
    ? await ctx.db
        .select({
          id: evidenceItems.id,
          title: evidenceItems.title,
          status: evidenceItems.status,
          dueOn: evidenceItems.dueOn,
          expiresOn: evidenceItems.expiresOn,
          flags: evidenceItems.flags,
          version: evidenceItems.currentVersion,
          agencyId: evidenceItems.agencyId,
          updatedAt: evidenceItems.updatedAt,
          vendorId: evidenceItems.vendorId,
          vendorName: vendors.legalName,
          kindName: evidenceKinds.name,
        })
        .from(evidenceItems)
        .innerJoin(vendors, eq(vendors.id, evidenceItems.vendorId))
        .innerJoin(evidenceKinds, eq(evidenceKinds.id, evidenceItems.kindId))
        .where(
          inArray(
            evidenceItems.id,
            keys.map((k) => k.id),
          ),
        )
    : [];
  const position = new Map(keys.map((k, i) => [k.id, i]));
  const rows = found.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  const countOf = async (scope: SQL) =>
    (
      await ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(evidenceItems)
        .where(and(scope, ...filters))
    )[0]?.n ?? 0;
  const total = (await countOf(eq(evidenceItems.agencyId, org))) + (await countOf(sharedWithUs));
  // The filter offers the vendors the agency holds live or past contracts with (owned or shared).
  const vendorOptions = await vendorsUnderContract(ctx, { live: false });
  ctx.audit.record({
    action: "evidence.register.read",
    objectType: "evidence-item",
    details: { filter, page, count: rows.length, total },
  });
  return {
    filter,
    page,
    total,
    pageSize: REGISTER_PAGE_SIZE,
    rows: rows.map((r) => ({ ...r, shown: shownStatus(r, today), shared: r.agencyId !== ctx.actor.organisationId })),
    kinds: kinds.map((k) => ({ key: k.key, name: k.name })),
    vendors: vendorOptions,
    charts: await registerCharts(ctx, today),
  };
}

/** Evidence status by vendor, and accepted evidence expiring in this month and each of the next twelve. */
async function registerCharts(ctx: ModuleContext, today: string) {
  const org = orgOf(ctx);
  const byVendor = await queryRows<{ vendor_id: string; vendor_name: string; shown: ShownStatus; n: number }>(
    ctx.db,
    sql`select c.vendor_id, v.legal_name as vendor_name, c.shown, c.n
        from (select i.vendor_id,
                     case when i.status = 'accepted' and i.expires_on < ${today} then 'expired'
                          when i.status in ('requested', 'rejected') and i.due_on < ${today} then 'overdue'
                          else i.status end as shown,
                     count(*)::int as n
                from evidence_items i
               where i.agency_id = ${org} and i.status not in ('superseded', 'cancelled')
               group by 1, 2) c
        join vendors v on v.id = c.vendor_id
        order by 2`,
  );
  const vendorsSeen = new Map<
    string,
    { vendorId: string; vendorName: string; counts: Partial<Record<ShownStatus, number>>; total: number }
  >();
  for (const r of byVendor) {
    const v = vendorsSeen.get(r.vendor_id) ?? { vendorId: r.vendor_id, vendorName: r.vendor_name, counts: {}, total: 0 };
    v.counts[r.shown] = (v.counts[r.shown] ?? 0) + r.n;
    v.total += r.n;
    vendorsSeen.set(r.vendor_id, v);
  }
  // This month and the twelve after it, so anything expiring within a year of today has its column.
  const firstOfMonth = `${today.slice(0, 7)}-01`;
  const end = addMonths(firstOfMonth, 13);
  const expiring = await queryRows<{ month: string; n: number }>(
    ctx.db,
    sql`select to_char(expires_on, 'YYYY-MM') as month, count(*)::int as n from evidence_items
        where agency_id = ${org} and status = 'accepted' and expires_on >= ${today} and expires_on < ${end}
        group by 1 order by 1`,
  );
  const months = Array.from({ length: 13 }, (_, i) => addMonths(firstOfMonth, i).slice(0, 7));
  const perMonth = new Map(expiring.map((e) => [e.month, e.n]));
  return {
    byVendor: [...vendorsSeen.values()].slice(0, 20),
    expiries: months.map((m) => ({ month: m, count: perMonth.get(m) ?? 0 })),
  };
}

/** One item for the agency side: details, what the actor may do, and the kind's field labels. */
export async function getEvidenceItem(ctx: ModuleContext, itemId: string) {
  requirePermission(ctx, "evidence:read");
  const { item, owned } = await agencyItem(ctx, itemId);
  const details = await itemDetails(ctx, item, "agency");
  ctx.audit.record({ action: "evidence.read", objectType: "evidence-item", objectId: item.id, organisationId: item.agencyId });
  const { terms: _terms, ...visible } = details;
  const canReview = owned && ctx.actor.permissions.has("evidence:review");
  // The page shows the chain of custody as part of the item: one view, one event.
  const custody = await custodyRows(ctx, item);
  return {
    ...visible,
    custody,
    custodyProofs: await proveEvents(
      ctx.db,
      custody.map((r) => r.eventId),
    ),
    owned,
    canStartReview: canReview && item.status === "submitted",
    canDecide: canReview && (item.status === "submitted" || item.status === "under-review"),
    fields: fieldsOf(details.kind.key),
  };
}

/** The live evidence items linked to a contract, by requirement: as JSON, for a statement that reads other things too. */
export function contractEvidenceJson(contractId: string) {
  return sql<
    EvidenceLink[]
  >`coalesce((select json_agg(json_build_object('r', r.requirement_id, 'i', i.id, 's', i.status, 'x', i.expires_on))
        from evidence_item_contracts c
        join evidence_items i on i.id = c.item_id
        join evidence_item_requirements r on r.item_id = i.id
        where c.contract_id = ${contractId} and i.status not in ('superseded', 'cancelled')), '[]'::json)`;
}
export type EvidenceLink = { r: string; i: string; s: string; x: string | null };

/**
 * The evidence state of each requirement of a contract (and the item behind it), from contractEvidenceJson's
 * rows: evidenced only by accepted evidence that has not expired; otherwise the gap (expired, rejected) or
 * what is under way.
 */
export function evidenceStates(links: EvidenceLink[], today: Day) {
  const rank: Record<EvidenceState, number> = { evidenced: 6, expired: 5, rejected: 4, pending: 3, requested: 2, none: 1 };
  const result = new Map<string, { state: EvidenceState; itemId: string }>();
  for (const link of links) {
    const state: EvidenceState =
      link.s === "accepted"
        ? link.x !== null && link.x < today
          ? "expired"
          : "evidenced"
        : link.s === "rejected"
          ? "rejected"
          : link.s === "requested"
            ? "requested"
            : "pending";
    const current = result.get(link.r);
    if (!current || rank[state] > rank[current.state]) result.set(link.r, { state, itemId: link.i });
  }
  return result;
}

/** What the dashboard shows of evidence: counts that need attention and the items behind them. */
export async function evidenceAttention(ctx: ModuleContext) {
  const today = ctx.today;
  const soon = addMonths(today, 2);
  const org = orgOf(ctx);
  const rows = await queryRows<{ id: string; title: string; vendor_name: string; reason: string; on: string | null }>(
    ctx.db,
    sql`select i.id, i.title, v.legal_name as vendor_name,
          case when i.status = 'accepted' and i.expires_on < ${today} then 'expired'
               when i.status = 'accepted' then 'expiring'
               when i.status = 'rejected' then 'rejected'
               when i.status in ('submitted', 'under-review') then 'to-review'
               else 'overdue' end as reason,
          coalesce(i.expires_on, i.due_on)::text as on
        from evidence_items i join vendors v on v.id = i.vendor_id
        where i.agency_id = ${org} and (
          (i.status = 'accepted' and i.expires_on < ${soon})
          or i.status in ('rejected', 'submitted', 'under-review')
          or (i.status = 'requested' and i.due_on < ${today}))
        order by coalesce(i.expires_on, i.due_on) nulls last
        limit 200`,
  );
  const count = (reason: string) => rows.filter((r) => r.reason === reason).length;
  return {
    counts: {
      expired: count("expired"),
      expiring: count("expiring"),
      rejected: count("rejected"),
      toReview: count("to-review"),
      overdue: count("overdue"),
    },
    items: rows
      .filter((r) => r.reason !== "to-review")
      .slice(0, 10)
      .map((r) => ({ id: r.id, title: r.title, vendorName: r.vendor_name, reason: r.reason, on: r.on })),
  };
}
