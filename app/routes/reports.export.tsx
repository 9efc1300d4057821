import { data } from "react-router";
import { csvResponse, once } from "~/http/csv.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { buildReport, REPORTS, type ReportName } from "~/modules/access/reports.server.ts";
import type { Route } from "./+types/reports.export";

/** A report as CSV. */
export const permission = "report:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const name = args.params.report as ReportName;
  if (!REPORTS.includes(name)) throw data("Not found", { status: 404 });
  const report = await auth.run(async (ctx) => {
    const built = await buildReport(ctx, name);
    ctx.audit.record({ action: "report.export", objectType: "report", objectId: name, details: { format: "csv", rows: built.rows.length } });
    return built;
  });
  return csvResponse(`custody-${name}-${new Date().toISOString().slice(0, 10)}.csv`, report.columns, once(report.rows));
}
