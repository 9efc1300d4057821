import { data, redirect } from "react-router";
import { authorize } from "~/http/guard.server.ts";
import { latestVersion } from "~/modules/catalog/catalog.server.ts";
import { catalogPaths } from "~/modules/catalog/paths.ts";
import type { Route } from "./+types/catalog.framework";

/** /catalog/:framework goes to the framework's newest version. */
export const permission = "catalog:read";

export async function loader(args: Route.LoaderArgs) {
  const { params } = args;
  const auth = await authorize(args, permission);
  const version = await auth.run((ctx) => latestVersion(ctx, params.framework));
  if (!version) throw data("Not found", { status: 404 });
  return redirect(catalogPaths.framework(params.framework, version));
}
