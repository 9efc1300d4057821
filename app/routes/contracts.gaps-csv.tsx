import { csvResponse, once } from "~/http/csv.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { getGapReport } from "~/modules/contracts/coverage.server.ts";
import { NO_PROVISION_TEXT } from "~/modules/contracts/gap-words.ts";
import { COVERAGE_LABELS } from "~/modules/contracts/contract-form.ts";
import type { Route } from "./+types/contracts.gaps-csv";

/** The gap report as CSV, for the vendor's counsel or a spreadsheet. */
export const permission = "contract:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const report = await auth.run((ctx) => getGapReport(ctx, args.params.contractId));
  const rows = report.gaps.map((g) => [
    g.framework,
    g.label,
    g.title,
    COVERAGE_LABELS[g.status],
    g.section,
    g.notes,
    g.closing.length ? g.closing.map((p) => `Provision ${p.code}: ${p.title}`).join("; ") : NO_PROVISION_TEXT,
  ]);
  // The requirements nobody has assessed come too: a file of gaps alone would read as if the rest were met.
  const unassessed = report.notAssessed.map((r) => [
    r.framework,
    r.label,
    r.title,
    "Not yet assessed",
    "",
    "",
    "Not yet assessed: mark it in the contract's coverage matrix first.",
  ]);
  return csvResponse(
    `custody-gaps-${report.view.contract.id.slice(0, 8)}-${auth.today}.csv`,
    ["Framework", "Requirement", "Title", "Status", "Contract section", "Notes", "Provision that would close it"],
    once([...rows, ...unassessed]),
  );
}
