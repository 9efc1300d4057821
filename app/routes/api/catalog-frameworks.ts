import { authorizeApi, json } from "~/http/api.server.ts";
import { listFrameworks } from "~/modules/catalog/catalog.server.ts";
import type { Route } from "./+types/catalog-frameworks";

/** GET /api/v1/catalog/frameworks — the catalog's frameworks with their counts. */
export const permission = "catalog:read";

export async function loader(args: Route.LoaderArgs) {
  const api = await authorizeApi(args, permission);
  const frameworks = await api.run((ctx) => listFrameworks(ctx));
  return json({
    frameworks: frameworks.map((f) => ({
      key: f.key,
      version: f.version,
      revision: f.revision,
      title: f.title,
      publisher: f.publisher,
      published: f.published,
      citation: f.citation,
      current: f.latest,
      counts: f.counts,
    })),
  });
}
