import type { Permission } from "../access/permissions.ts";
import { requirePermission, type ModuleContext } from "../context.server.ts";

/**
 * The context an export reads through. Holding export:read lets a person or token take
 * the agency's records out in a standard format, so the export may read what it writes: contracts,
 * vendor records, evidence and the catalog. Tenancy is untouched: the same module functions run, with the
 * same scoping by the actor's organisation and shares. Decision 0027.
 */
const READS: Permission[] = ["catalog:read", "vendor:read", "contract:read", "evidence:read"];

export function exportReader(ctx: ModuleContext): ModuleContext {
  requirePermission(ctx, "export:read");
  return { ...ctx, actor: { ...ctx.actor, permissions: new Set([...ctx.actor.permissions, ...READS]) } };
}
