import { csvResponse, once } from "~/http/csv.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { CUSTODY_CSV_COLUMNS, custodyCsvRows, custodyReport } from "~/modules/evidence/custody.server.ts";
import type { Route } from "./+types/evidence.custody-csv";

/** The chain-of-custody report of one item as CSV, for an auditor or a court. */
export const permission = "evidence:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const report = await auth.run((ctx) => custodyReport(ctx, args.params.itemId));
  return csvResponse(
    `custody-${report.item.id.slice(0, 8)}-${auth.today}.csv`,
    CUSTODY_CSV_COLUMNS,
    once(custodyCsvRows(report)),
  );
}
