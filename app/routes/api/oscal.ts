import { authorizeApi, jsonError } from "~/http/api.server.ts";
import { jsonDownload } from "~/http/download.server.ts";
import { oscalCatalog } from "~/modules/portability/oscal-catalog.server.ts";
import { oscalComponentDefinition } from "~/modules/portability/oscal-component.server.ts";
import { oscalAssessmentResults, oscalPoam } from "~/modules/portability/oscal-contract.server.ts";
import type { Route } from "./+types/oscal";

/**
 * GET /api/v1/oscal/catalogs/:framework/:version, /api/v1/oscal/contracts/:id/assessment-results,
 * /api/v1/oscal/contracts/:id/poam and /api/v1/oscal/vendors/:id/component-definition: the same
 * documents the pages offer, for a token that carries export:read.
 */
export const permission = "export:read";

export async function loader(args: Route.LoaderArgs) {
  const api = await authorizeApi(args, permission);
  const [kind, id, model] = (args.params["*"] ?? "").split("/");
  const run = api.run;
  if (kind === "catalogs" && id && model) return jsonDownload(await run((ctx) => oscalCatalog(ctx, id, model)), "inline");
  if (kind === "contracts" && id && model === "assessment-results")
    return jsonDownload(await run((ctx) => oscalAssessmentResults(ctx, id)), "inline");
  if (kind === "contracts" && id && model === "poam") return jsonDownload(await run((ctx) => oscalPoam(ctx, id)), "inline");
  if (kind === "vendors" && id && model === "component-definition")
    return jsonDownload(await run((ctx) => oscalComponentDefinition(ctx, id)), "inline");
  return jsonError(
    404,
    "No such OSCAL export. See /api/v1/oscal/{catalogs/:framework/:version, contracts/:id/assessment-results, contracts/:id/poam, vendors/:id/component-definition}.",
  );
}
