import { authorizeApi, json } from "~/http/api.server.ts";
import { describeOwnToken } from "~/modules/access/tokens.server.ts";
import type { Route } from "./+types/me";

/** GET /api/v1/me — who this token acts as. */
export const permission = "any-token";

export async function loader(args: Route.LoaderArgs) {
  const api = await authorizeApi(args, permission);
  return json(await api.run((ctx) => describeOwnToken(ctx)));
}
