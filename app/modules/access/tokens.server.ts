import { and, desc, eq, isNull } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { apiTokens, organisations, people } from "../../../db/schema/access.ts";
import { InvalidInput, NotFound, organisationScope, type Actor, type ModuleContext } from "../context.server.ts";
import { ALL_PERMISSIONS, type Permission } from "./permissions.ts";
import { newToken, tokenHash } from "./secrets.server.ts";

/**
 * API tokens for integrations (gap 5): each belongs to one organisation, carries
 * a listed subset of its creator's permissions, expires within 90 days, is shown
 * once and stored only as a hash, can be revoked, and every use is audited.
 */
export const TOKEN_MAX_DAYS = 90;
const TOKEN_PREFIX = "cust_";

export async function createApiToken(ctx: ModuleContext, input: { name: string; permissions: string[]; days: number }) {
  const name = input.name.trim();
  const errors: Record<string, string> = {};
  if (name.length < 3 || name.length > 100) errors.name = "Name the integration, in 3 to 100 characters.";
  const requested = [...new Set(input.permissions)];
  const unknown = requested.filter((p) => !ALL_PERMISSIONS.includes(p as Permission));
  const beyond = requested.filter((p) => !ctx.actor.permissions.has(p as Permission) || p.startsWith("platform:"));
  if (requested.length === 0) errors.permissions = "Choose at least one permission.";
  else if (unknown.length > 0 || beyond.length > 0)
    errors.permissions = "A token can carry only permissions your own role has (never platform administration).";
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > TOKEN_MAX_DAYS)
    errors.days = `Choose 1 to ${TOKEN_MAX_DAYS} days.`;
  if (!ctx.actor.organisationId || !ctx.actor.personId) errors.form = "Act for an organization to create a token for it.";
  if (Object.keys(errors).length > 0) throw new InvalidInput(errors);
  const secret = newToken();
  const token = `${TOKEN_PREFIX}${secret}`;
  const [row] = await ctx.db
    .insert(apiTokens)
    .values({
      organisationId: ctx.actor.organisationId!,
      name,
      permissions: requested,
      tokenHash: tokenHash(token),
      prefix: token.slice(0, 12),
      createdBy: ctx.actor.personId!,
      createdAt: ctx.now,
      expiresAt: new Date(ctx.now.getTime() + input.days * 86_400_000),
    })
    .returning();
  ctx.audit.record({
    action: "token.create",
    objectType: "api-token",
    objectId: row!.id,
    details: { name, permissions: requested, expiresAt: row!.expiresAt.toISOString() },
  });
  return { token, row: row! };
}

export async function listApiTokens(ctx: ModuleContext) {
  const scope = organisationScope(ctx, apiTokens.organisationId);
  const rows = await ctx.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      permissions: apiTokens.permissions,
      organisationName: organisations.name,
      createdBy: people.email,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(organisations, eq(organisations.id, apiTokens.organisationId))
    .innerJoin(people, eq(people.id, apiTokens.createdBy))
    .where(scope)
    .orderBy(desc(apiTokens.createdAt));
  ctx.audit.record({ action: "token.list", objectType: "api-token", details: { count: rows.length } });
  return rows;
}

export async function revokeApiToken(ctx: ModuleContext, tokenId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(tokenId)) throw new NotFound("api-token", tokenId);
  const scope = organisationScope(ctx, apiTokens.organisationId);
  const [row] = await ctx.db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), scope));
  if (!row) throw new NotFound("api-token", tokenId);
  if (row.revokedAt) throw new InvalidInput({ form: "This token is already revoked." });
  await ctx.db
    .update(apiTokens)
    .set({ revokedAt: ctx.now, revokedReason: `revoked by ${ctx.actor.label}` })
    .where(eq(apiTokens.id, tokenId));
  ctx.audit.record({
    action: "token.revoke",
    objectType: "api-token",
    objectId: tokenId,
    organisationId: row.organisationId,
    details: { name: row.name },
  });
}

/** What a token is, for the integration holding it (GET /api/v1/me); the read is recorded. */
export async function describeOwnToken(ctx: ModuleContext) {
  ctx.audit.record({ action: "api.me.read", objectType: "api-token", objectId: ctx.actor.tokenId ?? undefined });
  return {
    token: {
      id: ctx.actor.tokenId,
      name: ctx.actor.label?.replace(/^token:/, ""),
      permissions: [...ctx.actor.permissions].sort(),
    },
    organisation: { id: ctx.actor.organisationId, kind: ctx.actor.organisationKind },
  };
}

export type TokenCheck = { ok: true; actor: Actor } | { ok: false; status: 401; problem: string; tokenId: string | null };

/** Who a bearer token stands for right now, if anyone. Marks its last use. */
export async function resolveApiToken(
  db: Queryable,
  header: string | null,
  now: Date,
  client: { ip: string | null; userAgent: string | null },
): Promise<TokenCheck> {
  const match = header?.match(/^Bearer\s+(cust_[A-Za-z0-9_-]{20,100})$/);
  if (!match) return { ok: false, status: 401, problem: "Send an API token as 'Authorization: Bearer cust_…'.", tokenId: null };
  const [row] = await db
    .select({ token: apiTokens, organisation: organisations, creator: people })
    .from(apiTokens)
    .innerJoin(organisations, eq(organisations.id, apiTokens.organisationId))
    .innerJoin(people, eq(people.id, apiTokens.createdBy))
    .where(and(eq(apiTokens.tokenHash, tokenHash(match[1]!))))
    .limit(1);
  if (!row) return { ok: false, status: 401, problem: "This API token is not valid.", tokenId: null };
  const { token, organisation, creator } = row;
  const problem = token.revokedAt
    ? "This API token was revoked."
    : token.expiresAt.getTime() <= now.getTime()
      ? "This API token has expired."
      : creator.disabledAt
        ? "This API token was revoked."
        : organisation.status !== "active"
          ? "This API token's organization is decommissioned."
          : null;
  if (problem) return { ok: false, status: 401, problem, tokenId: token.id };
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, token.id), isNull(apiTokens.revokedAt)));
  return {
    ok: true,
    actor: {
      kind: "token",
      personId: null,
      sessionId: null,
      tokenId: token.id,
      label: `token:${token.name}`,
      organisationId: organisation.id,
      ip: client.ip,
      userAgent: client.userAgent,
      role: null,
      organisationKind: organisation.kind,
      timeZone: organisation.timeZone,
      permissions: new Set(token.permissions.filter((p): p is Permission => ALL_PERMISSIONS.includes(p as Permission))),
    },
  };
}
