import { and, eq, gt, inArray, isNull, or } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { memberships, organisations } from "../../../db/schema/access.ts";
import { vendorProfiles, vendors } from "../../../db/schema/vendors.ts";

/**
 * Who may read an event about a person's own account — a sign-in, a failed attempt, a lockout, a
 * sign-out (CJIS Security Policy v6.0 AU-2, AU-3): every organisation the person holds a role in
 * at that moment or held one in within the last 90 days (an attempt on a former member's account
 * is what an agency auditor looks for), and, for a vendor's people, every agency that records
 * that vendor (the agencies its portal users serve).
 */
export const FORMER_MEMBER_DAYS = 90;

export async function audienceOf(db: Queryable, personId: string | null | undefined, now: Date): Promise<string[]> {
  if (!personId) return [];
  const since = new Date(now.getTime() - FORMER_MEMBER_DAYS * 86_400_000);
  const held = await db
    .selectDistinct({ id: organisations.id, kind: organisations.kind })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(
      and(
        eq(memberships.personId, personId),
        or(isNull(memberships.endedAt), gt(memberships.endedAt, since)),
        // The platform's own events are already the platform administrator's.
        inArray(organisations.kind, ["agency", "vendor"]),
      ),
    );
  const vendorOrgs = held.filter((o) => o.kind === "vendor").map((o) => o.id);
  const served =
    vendorOrgs.length === 0
      ? []
      : await db
          .selectDistinct({ id: vendorProfiles.agencyId })
          .from(vendorProfiles)
          .innerJoin(vendors, eq(vendors.id, vendorProfiles.vendorId))
          .where(inArray(vendors.organisationId, vendorOrgs));
  return [...new Set([...held.map((o) => o.id), ...served.map((s) => s.id)])].sort();
}
