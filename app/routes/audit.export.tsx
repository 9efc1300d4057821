import { data } from "react-router";
import { csvResponse } from "~/http/csv.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { auditCsvRows, CSV_COLUMNS, parseAuditFilter, startAuditExport } from "~/modules/audit/viewer.server.ts";
import type { Route } from "./+types/audit.export";

/** The filtered audit trail as CSV, streamed. */
export const permission = "audit:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const { filter, errors } = parseAuditFilter(new URL(args.request.url).searchParams);
  if (Object.keys(errors).length > 0) throw data(Object.values(errors).join(" "), { status: 400 });
  const where = await auth.run((ctx) => startAuditExport(ctx, filter));
  return csvResponse(`custody-audit-${auth.today}.csv`, CSV_COLUMNS, auditCsvRows(args.context.db, auth.actor, where));
}
