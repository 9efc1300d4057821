import { data, redirect } from "react-router";
import { latestVersion } from "~/modules/catalog/catalog.server.ts";
import { catalogPaths } from "~/modules/catalog/paths.ts";
import type { Route } from "./+types/catalog.framework";

/** /catalog/:framework goes to the framework's newest version. */
export async function loader({ context, params }: Route.LoaderArgs) {
  const version = await latestVersion({ db: context.db }, params.framework);
  if (!version) throw data("Not found", { status: 404 });
  return redirect(catalogPaths.framework(params.framework, version));
}
