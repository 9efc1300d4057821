import { authorizeApi } from "~/http/api.server.ts";
import { recordNow } from "~/modules/audit/audit.server.ts";
import {
  createGroup,
  createUser,
  deleteUser,
  getGroup,
  getUser,
  listGroups,
  listUsers,
  patchGroup,
  patchUser,
  replaceUser,
  SCIM,
  ScimError,
  serviceProviderConfig,
} from "~/modules/access/scim.server.ts";
import type { ModuleContext } from "~/modules/context.server.ts";
import type { Route } from "./+types/scim";

/**
 * /scim/v2/Users, /scim/v2/Groups and /scim/v2/ServiceProviderConfig (RFC 7644), for an agency's
 * directory holding an API token with scim:provision. Answers and errors are SCIM JSON.
 */
export const permission = "scim:provision";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/scim+json", "Cache-Control": "no-store", ...headers },
  });
const scimError = (status: number, detail: string, scimType?: string, headers: Record<string, string> = {}) =>
  json(status, { schemas: [SCIM.error], status: String(status), ...(scimType ? { scimType } : {}), detail }, headers);

export async function loader(args: Route.LoaderArgs) {
  return handle(args);
}
export async function action(args: Route.ActionArgs) {
  return handle(args);
}

async function handle(args: Route.LoaderArgs | Route.ActionArgs) {
  const url = new URL(args.request.url);
  const base = `${args.context.publicUrl}/scim/v2`;
  let api: Awaited<ReturnType<typeof authorizeApi>>;
  try {
    api = await authorizeApi(args, permission);
  } catch (thrown) {
    // The API door answers in Custody's JSON; a directory expects SCIM's.
    if (!(thrown instanceof Response)) throw thrown;
    const body = (await thrown.json().catch(() => ({}))) as { error?: { message?: string } };
    const headers: Record<string, string> = {};
    const challenge = thrown.headers.get("WWW-Authenticate");
    if (challenge) headers["WWW-Authenticate"] = challenge;
    return scimError(thrown.status, body.error?.message ?? "Not allowed.", undefined, headers);
  }
  const [resource, id, extra] = (args.params["*"] ?? "").split("/");
  const method = args.request.method.toUpperCase();
  const run = <T>(fn: (ctx: ModuleContext) => Promise<T>) => api.run(fn);
  const body = async () => {
    try {
      return (await args.request.json()) as Record<string, unknown>;
    } catch {
      throw new ScimError(400, "The body is not JSON.", "invalidSyntax");
    }
  };
  const ifMatch = args.request.headers.get("If-Match");
  try {
    if (extra !== undefined) throw new ScimError(404, "No such SCIM resource.");
    if (resource === "ServiceProviderConfig" && method === "GET") return json(200, serviceProviderConfig(base));
    if (resource === "Users") {
      if (!id && method === "GET") {
        const query = {
          filter: url.searchParams.get("filter"),
          startIndex: Number(url.searchParams.get("startIndex") ?? 1) || 1,
          count: url.searchParams.has("count") ? Number(url.searchParams.get("count")) || 0 : 100,
        };
        return json(200, await run((ctx) => listUsers(ctx, query, base)));
      }
      if (!id && method === "POST") {
        const input = await body();
        const user = await run((ctx) => createUser(ctx, input, base));
        return json(201, user, { Location: user.meta.location, ETag: user.meta.version });
      }
      if (id && method === "GET") {
        const user = await run((ctx) => getUser(ctx, id, base));
        return json(200, user, { ETag: user.meta.version });
      }
      if (id && method === "PUT") {
        const input = await body();
        const user = await run((ctx) => replaceUser(ctx, id, input, base, ifMatch));
        return json(200, user, { ETag: user.meta.version });
      }
      if (id && method === "PATCH") {
        const input = await body();
        const user = await run((ctx) => patchUser(ctx, id, input, base, ifMatch));
        return json(200, user, { ETag: user.meta.version });
      }
      if (id && method === "DELETE") {
        await run((ctx) => deleteUser(ctx, id));
        return json(204, null);
      }
    }
    if (resource === "Groups") {
      if (!id && method === "GET") {
        const query = { filter: url.searchParams.get("filter"), excludedAttributes: url.searchParams.get("excludedAttributes") };
        return json(200, await run((ctx) => listGroups(ctx, query, base)));
      }
      if (!id && method === "POST") {
        const input = await body();
        return json(201, await run((ctx) => createGroup(ctx, input)));
      }
      if (id && method === "GET") return json(200, await run((ctx) => getGroup(ctx, id, base)));
      if (id && method === "PATCH") {
        const input = await body();
        await run((ctx) => patchGroup(ctx, id, input));
        return json(204, null);
      }
      if (id && (method === "PUT" || method === "DELETE"))
        throw new ScimError(405, "Custody's groups are its roles: change their members with PATCH.", undefined);
    }
    throw new ScimError(404, "No such SCIM resource.");
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    // Refused: nothing was written; the refusal itself is recorded.
    await recordNow(
      args.context.db,
      api.actor,
      [
        {
          action: "scim.refused",
          outcome: "denied",
          details: { method, path: url.pathname, status: error.status, detail: error.message },
        },
      ],
      args.context.now(),
    );
    return scimError(error.status, error.message, error.scimType);
  }
}
