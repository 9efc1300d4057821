import { data } from "react-router";
import { csvResponse, once } from "~/http/csv.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { exportReport, REPORTS, type ReportName } from "~/modules/access/reports.server.ts";
import type { Route } from "./+types/reports.export";

/** A report as CSV. */
export const permission = "report:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const name = args.params.report as ReportName;
  if (!REPORTS.includes(name)) throw data("Not found", { status: 404 });
  const report = await auth.run((ctx) => exportReport(ctx, name));
  return csvResponse(`custody-${name}-${auth.today}.csv`, report.columns, once(report.rows));
}
