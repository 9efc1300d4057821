import { type ModuleContext, requirePermission } from "../context.server.ts";
import { lateNoticeCount } from "../notices/notices.server.ts";
import { evidenceAttention } from "../evidence/register.server.ts";
import { rosterSummaries } from "../roster/roster.server.ts";
import { flaggedVendors } from "../vendors/vendors.server.ts";
import { listContracts } from "../contracts/contracts.server.ts";
import { coverageOf } from "../contracts/coverage.server.ts";
import { percentAddressed } from "../contracts/figures.ts";
import { type ContractStatus, STATUS_ORDER } from "../contracts/lifecycle.ts";
import { addDays, daysBetween } from "../dates.ts";
import { timeZoneLabel } from "../time-zones.ts";

/**
 * The agency's home page: contracts by status, coverage per contract, the
 * deadlines of the next 90 days, and vendors flagged for data location or key
 * custody. Each item carries the page that fixes it.
 */
export const DEADLINE_HORIZON_DAYS = 90;

export async function getDashboard(ctx: ModuleContext) {
  requirePermission(ctx, "contract:read");
  const today = ctx.today;
  const horizon = addDays(today, DEADLINE_HORIZON_DAYS);
  const withLifecycle = await listContracts(ctx, {}, { audit: false });
  const byStatus = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<ContractStatus, number>;
  for (const c of withLifecycle) byStatus[c.lifecycle.status] += 1;

  const live = withLifecycle.filter((c) => c.lifecycle.status !== "terminated" && c.lifecycle.status !== "expired");
  const coverage = await coverageOf(
    ctx,
    live.map((c) => c.id),
  );
  const coverageRows = live
    .map((c) => ({ id: c.id, title: c.title, vendorName: c.vendorName, owned: c.owned, counts: coverage.get(c.id) ?? null }))
    .filter((c) => c.counts !== null)
    .map((c) => ({ ...c, counts: c.counts!, percent: percentAddressed(c.counts!) }))
    .sort((a, b) => (a.percent ?? 0) - (b.percent ?? 0) || a.title.localeCompare(b.title));

  const deadlines: { contractId: string; title: string; kind: "renewal-notice" | "end"; on: string; daysLeft: number }[] = [];
  for (const c of live) {
    const { renewalNoticeBy, currentEnd } = c.lifecycle;
    if (renewalNoticeBy && renewalNoticeBy >= today && renewalNoticeBy <= horizon)
      deadlines.push({
        contractId: c.id,
        title: c.title,
        kind: "renewal-notice",
        on: renewalNoticeBy,
        daysLeft: daysBetween(today, renewalNoticeBy),
      });
    if (currentEnd && currentEnd >= today && currentEnd <= horizon)
      deadlines.push({ contractId: c.id, title: c.title, kind: "end", on: currentEnd, daysLeft: daysBetween(today, currentEnd) });
  }
  deadlines.sort((a, b) => a.on.localeCompare(b.on));

  // The dashboard shows vendors flagged for where data lives or who holds the keys.
  const flagged = (await flaggedVendors(ctx))
    .map((v) => ({ ...v, flags: v.flags.filter((f) => f.code !== "no-legal-notice-address") }))
    .filter((v) => v.flags.length > 0);
  // Evidence needing attention: expired or rejected (gaps), expiring within two months, overdue, waiting for review.
  const evidence = ctx.actor.permissions.has("evidence:read") ? await evidenceAttention(ctx) : null;
  // Notices that came late, and vendor personnel flagged or waiting for approval.
  const vendorRecords = ctx.actor.permissions.has("evidence:read")
    ? await (async () => {
        const rosters = await rosterSummaries(ctx);
        return {
          lateNotices: await lateNoticeCount(ctx),
          flaggedPeople: rosters.reduce((n, r) => n + r.flagged, 0),
          pendingChanges: rosters.reduce((n, r) => n + r.pending, 0),
        };
      })()
    : null;
  ctx.audit.record({
    action: "dashboard.read",
    details: {
      contracts: withLifecycle.length,
      deadlines: deadlines.length,
      flaggedVendors: flagged.length,
      evidence: evidence?.counts ?? null,
      vendorRecords,
    },
  });
  return {
    today,
    timeZone: timeZoneLabel(ctx.timeZone),
    horizon,
    byStatus,
    total: withLifecycle.length,
    coverage: coverageRows,
    deadlines,
    flagged,
    evidence,
    vendorRecords,
  };
}
