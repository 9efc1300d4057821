import { and, eq, sql } from "drizzle-orm";
import { evidenceItems } from "../../../db/schema/evidence.ts";
import { isUuid, type ModuleContext, NO_ORGANISATION, NotFound, orgOf } from "../context.server.ts";

/**
 * Who sees which evidence. An agency sees the items it asked for or recorded,
 * and those supporting a contract another agency shared with it (read-only,
 * without the owner's internal notes). A vendor representative sees only the
 * items asked of their own vendor, through the portal. Anything else is 404.
 */
export function visibleToAgency(ctx: ModuleContext) {
  const org = ctx.actor.organisationKind === "agency" ? orgOf(ctx) : NO_ORGANISATION;
  return sql`(${evidenceItems.agencyId} = ${org} or ${evidenceItems.id} in (
    select ic.item_id from evidence_item_contracts ic join contract_shares s on s.contract_id = ic.contract_id where s.agency_id = ${org}))`;
}

export function visibleToVendor(ctx: ModuleContext) {
  const org = ctx.actor.organisationKind === "vendor" ? orgOf(ctx) : NO_ORGANISATION;
  return sql`${evidenceItems.vendorId} in (select v.id from vendors v where v.organisation_id = ${org})`;
}

/** One item as the agency side may see it; NotFound otherwise. */
export async function agencyItem(ctx: ModuleContext, itemId: string, options: { forUpdate?: boolean } = {}) {
  if (!isUuid(itemId)) throw new NotFound("evidence-item", itemId);
  const query = ctx.db
    .select()
    .from(evidenceItems)
    .where(and(eq(evidenceItems.id, itemId), visibleToAgency(ctx)));
  const [item] = options.forUpdate ? await query.for("update") : await query;
  if (!item) throw new NotFound("evidence-item", itemId);
  return { item, owned: item.agencyId === ctx.actor.organisationId };
}

/** One item as its vendor may see it; NotFound otherwise. */
export async function vendorItem(ctx: ModuleContext, itemId: string, options: { forUpdate?: boolean } = {}) {
  if (!isUuid(itemId)) throw new NotFound("evidence-item", itemId);
  const query = ctx.db
    .select()
    .from(evidenceItems)
    .where(and(eq(evidenceItems.id, itemId), visibleToVendor(ctx)));
  const [item] = options.forUpdate ? await query.for("update") : await query;
  if (!item) throw new NotFound("evidence-item", itemId);
  return item;
}
