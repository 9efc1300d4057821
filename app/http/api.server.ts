import type { AppLoadContext } from "react-router";
import type { Permission } from "../modules/access/permissions.ts";
import { resolveApiToken } from "../modules/access/tokens.server.ts";
import { anonymousActor, recordNow } from "../modules/audit/audit.server.ts";
import { type Actor, InvalidInput, type ModuleContext } from "../modules/context.server.ts";
import { runAs } from "./guard.server.ts";

/**
 * The door into /api/v1: a bearer token only (never a cookie), JSON answers,
 * errors as JSON with a 4xx status. Every use, allowed or not, is audited.
 */
export function jsonError(status: number, message: string, headers: HeadersInit = {}) {
  return Response.json({ error: { status, message } }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

export async function authorizeApi(args: { request: Request; context: AppLoadContext }, requirement: Permission | "any-token") {
  const { request, context } = args;
  const now = context.now();
  const path = new URL(request.url).pathname;
  const check = await resolveApiToken(context.db, request.headers.get("Authorization"), now, context.client);
  if (!check.ok) {
    await recordNow(
      context.db,
      { ...anonymousActor(context.client), tokenId: check.tokenId },
      [{ action: "api.unauthenticated", outcome: "denied", details: { path, problem: check.problem } }],
      now,
    );
    throw jsonError(401, check.problem, { "WWW-Authenticate": 'Bearer realm="custody"' });
  }
  const actor = check.actor;
  if (requirement !== "any-token" && !actor.permissions.has(requirement)) {
    await recordNow(
      context.db,
      actor,
      [{ action: "access.denied", outcome: "denied", details: { permission: requirement, path } }],
      now,
    );
    throw jsonError(403, `This token does not carry the "${requirement}" permission.`);
  }
  return {
    actor,
    run: <T>(fn: (ctx: ModuleContext) => Promise<T>) => runApi(context, actor, now, path, fn),
  };
}

async function runApi<T>(
  context: AppLoadContext,
  actor: Actor,
  now: Date,
  path: string,
  fn: (ctx: ModuleContext) => Promise<T>,
): Promise<T> {
  try {
    return await runAs(context, actor, now, fn, path, () => jsonError(404, "Not found."), { rethrowInvalid: true });
  } catch (error) {
    if (error instanceof InvalidInput)
      throw Response.json({ error: { status: 400, message: error.message, fields: error.fieldErrors } }, { status: 400 });
    throw error;
  }
}

export function json<T>(body: T) {
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
}
