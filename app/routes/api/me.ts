import { authorizeApi, json } from "~/http/api.server.ts";
import type { Route } from "./+types/me";

/** GET /api/v1/me — who this token acts as. */
export const permission = "any-token";

export async function loader(args: Route.LoaderArgs) {
  const api = await authorizeApi(args, permission);
  const me = await api.run(async (ctx) => {
    ctx.audit.record({ action: "api.me.read", objectType: "api-token", objectId: ctx.actor.tokenId ?? undefined });
    return {
      token: { id: ctx.actor.tokenId, name: ctx.actor.label?.replace(/^token:/, ""), permissions: [...ctx.actor.permissions].sort() },
      organisation: { id: ctx.actor.organisationId, kind: ctx.actor.organisationKind },
    };
  });
  return json(me);
}
