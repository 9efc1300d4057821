import { and, asc, eq, inArray } from "drizzle-orm";
import { organisations } from "../../../db/schema/access.ts";
import { contracts } from "../../../db/schema/contracts.ts";
import { vendorProfiles, vendors, vendorStorageLocations } from "../../../db/schema/vendors.ts";
import { type ModuleContext, requirePermission } from "../context.server.ts";
import { vendorFlags } from "../vendors/flags.ts";
import { visibleToActor } from "./contracts.server.ts";
import { coverageOf } from "./coverage.server.ts";
import { percentAddressed } from "./figures.ts";
import { addDays, type ContractStatus, lifecycleOf, STATUS_ORDER, todayOf } from "./lifecycle.ts";

/**
 * The agency's home page: contracts by status, coverage per contract, the
 * deadlines of the next 90 days, and vendors flagged for data location or key
 * custody. Each item carries the page that fixes it.
 */
export const DEADLINE_HORIZON_DAYS = 90;

export async function getDashboard(ctx: ModuleContext) {
  requirePermission(ctx, "contract:read");
  const today = todayOf(ctx.now);
  const horizon = addDays(today, DEADLINE_HORIZON_DAYS);
  const rows = await ctx.db
    .select({
      id: contracts.id,
      title: contracts.title,
      agencyId: contracts.agencyId,
      agencyName: organisations.name,
      vendorName: vendors.legalName,
      stage: contracts.stage,
      effectiveOn: contracts.effectiveOn,
      endsOn: contracts.endsOn,
      autoRenew: contracts.autoRenew,
      renewalTermMonths: contracts.renewalTermMonths,
      noticePeriodDays: contracts.noticePeriodDays,
      terminatedOn: contracts.terminatedOn,
    })
    .from(contracts)
    .innerJoin(organisations, eq(organisations.id, contracts.agencyId))
    .innerJoin(vendors, eq(vendors.id, contracts.vendorId))
    .where(visibleToActor(ctx))
    .orderBy(asc(contracts.title));
  const withLifecycle = rows.map((r) => ({ ...r, owned: r.agencyId === ctx.actor.organisationId, lifecycle: lifecycleOf(r, today) }));
  const byStatus = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<ContractStatus, number>;
  for (const c of withLifecycle) byStatus[c.lifecycle.status] += 1;

  const live = withLifecycle.filter((c) => c.lifecycle.status !== "terminated" && c.lifecycle.status !== "expired");
  const coverage = await coverageOf(ctx, live.map((c) => c.id));
  const coverageRows = live
    .map((c) => ({ id: c.id, title: c.title, vendorName: c.vendorName, owned: c.owned, counts: coverage.get(c.id) ?? null }))
    .filter((c) => c.counts !== null)
    .map((c) => ({ ...c, counts: c.counts!, percent: percentAddressed(c.counts!) }))
    .sort((a, b) => (a.percent ?? 0) - (b.percent ?? 0) || a.title.localeCompare(b.title));

  const deadlines: { contractId: string; title: string; kind: "renewal-notice" | "end"; on: string; daysLeft: number }[] = [];
  for (const c of live) {
    const { renewalNoticeBy, currentEnd } = c.lifecycle;
    if (renewalNoticeBy && renewalNoticeBy >= today && renewalNoticeBy <= horizon) deadlines.push({ contractId: c.id, title: c.title, kind: "renewal-notice", on: renewalNoticeBy, daysLeft: daysFrom(today, renewalNoticeBy) });
    if (currentEnd && currentEnd >= today && currentEnd <= horizon) deadlines.push({ contractId: c.id, title: c.title, kind: "end", on: currentEnd, daysLeft: daysFrom(today, currentEnd) });
  }
  deadlines.sort((a, b) => a.on.localeCompare(b.on));

  const flagged = await flaggedVendors(ctx);
  ctx.audit.record({ action: "dashboard.read", details: { contracts: rows.length, deadlines: deadlines.length, flaggedVendors: flagged.length } });
  return { today, horizon, byStatus, total: rows.length, coverage: coverageRows, deadlines, flagged };
}

const daysFrom = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** The vendors the actor's agency has recorded, flagged for data location or key custody. */
async function flaggedVendors(ctx: ModuleContext) {
  if (!ctx.actor.organisationId) return [];
  const profiles = await ctx.db
    .select({ id: vendorProfiles.id, vendorId: vendorProfiles.vendorId, name: vendors.legalName, keyCustody: vendorProfiles.keyCustody, legalNoticeAddress: vendorProfiles.legalNoticeAddress })
    .from(vendorProfiles)
    .innerJoin(vendors, eq(vendors.id, vendorProfiles.vendorId))
    .where(eq(vendorProfiles.agencyId, ctx.actor.organisationId))
    .orderBy(asc(vendors.legalName));
  if (profiles.length === 0) return [];
  const locations = await ctx.db
    .select({ profileId: vendorStorageLocations.profileId, dataCategory: vendorStorageLocations.dataCategory, country: vendorStorageLocations.country, region: vendorStorageLocations.region })
    .from(vendorStorageLocations)
    .where(and(inArray(vendorStorageLocations.profileId, profiles.map((p) => p.id))));
  return profiles
    .map((p) => ({
      vendorId: p.vendorId,
      name: p.name,
      flags: vendorFlags({ keyCustody: p.keyCustody, legalNoticeAddress: p.legalNoticeAddress, locations: locations.filter((l) => l.profileId === p.id) }).filter((f) => f.code !== "no-legal-notice-address"),
    }))
    .filter((p) => p.flags.length > 0);
}
