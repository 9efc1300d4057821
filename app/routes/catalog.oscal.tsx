import { authorize } from "~/http/guard.server.ts";
import { jsonDownload } from "~/http/download.server.ts";
import { oscalCatalog } from "~/modules/portability/oscal-catalog.server.ts";
import type { Route } from "./+types/catalog.oscal";

/** One framework of the requirement catalog as a NIST OSCAL catalog (our own summaries; public reference data). */
export const permission = "catalog:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return jsonDownload(await auth.run((ctx) => oscalCatalog(ctx, args.params.framework, args.params.version)));
}
