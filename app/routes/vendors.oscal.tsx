import { authorize } from "~/http/guard.server.ts";
import { jsonDownload } from "~/http/download.server.ts";
import { oscalComponentDefinition } from "~/modules/portability/oscal-component.server.ts";
import type { Route } from "./+types/vendors.oscal";

/** A vendor's services under the agency's contracts as a NIST OSCAL component-definition. */
export const permission = "export:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return jsonDownload(await auth.run((ctx) => oscalComponentDefinition(ctx, args.params.vendorId)));
}
