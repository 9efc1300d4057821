import { eq } from "drizzle-orm";
import { organisations } from "../../../../db/schema/access.ts";
import { vendors } from "../../../../db/schema/vendors.ts";
import { peopleNames } from "../../contracts/contracts.server.ts";
import { type ModuleContext, NotFound } from "../../context.server.ts";
import type { Subject } from "./types.ts";

/** Who a document is from and about: the person generating it, their agency, a vendor. */

export async function actorName(ctx: ModuleContext) {
  return ctx.actor.personId ? ((await peopleNames(ctx, [ctx.actor.personId])).get(ctx.actor.personId) ?? "") : "";
}

export async function agencyName(ctx: ModuleContext) {
  const [row] = await ctx.db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, ctx.actor.organisationId ?? ""));
  return row?.name ?? "";
}

/** A vendor the agency holds (or held) a contract with: the subject of vendor documents. */
export async function vendorSubject(ctx: ModuleContext, vendorId: string): Promise<Subject> {
  const [vendor] = await ctx.db
    .select({ id: vendors.id, legalName: vendors.legalName })
    .from(vendors)
    .where(eq(vendors.id, vendorId));
  if (!vendor) throw new NotFound("vendor", vendorId);
  return { type: "vendor", id: vendor.id, label: vendor.legalName, contractId: null, vendorId: vendor.id };
}
