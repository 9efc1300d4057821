import { authorize } from "~/http/guard.server.ts";
import { jsonDownload } from "~/http/download.server.ts";
import { oscalAssessmentResults, oscalPoam } from "~/modules/portability/oscal-contract.server.ts";
import type { Route } from "./+types/contracts.oscal";

/** A contract's coverage in NIST OSCAL: assessment results (…/assessment-results.oscal.json) or its plan of action (…/poam.oscal.json). */
export const permission = "export:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const model = new URL(args.request.url).pathname.endsWith("/poam.oscal.json") ? oscalPoam : oscalAssessmentResults;
  return jsonDownload(await auth.run((ctx) => model(ctx, args.params.contractId)));
}
