import { and, asc, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import { organisations } from "../../../db/schema/access.ts";
import { vendorProfiles, vendors, vendorStorageLocations } from "../../../db/schema/vendors.ts";
import {
  InvalidInput,
  isUuid,
  type ModuleContext,
  NO_ORGANISATION,
  NotFound,
  orgOf,
  requirePermission,
} from "../context.server.ts";
import { parseInput } from "../validation.server.ts";
import { organisationForNewVendor, renameVendorOrganisation } from "../access/organisations.server.ts";
import { vendorFlags } from "./flags.ts";
import { VendorIdentitySchema, VendorProfileSchema, VendorSchema } from "./vendor-form.ts";

/**
 * Vendors: the shared identity (any agency sees it; the registering agency
 * edits it) and each agency's own profile of the vendor (only that agency
 * sees or changes it). Every read and change is audited.
 */

const agencyOf = (ctx: ModuleContext) => (ctx.actor.organisationKind === "agency" ? ctx.actor.organisationId! : NO_ORGANISATION);

async function locationsOf(ctx: ModuleContext, profileIds: string[]) {
  if (profileIds.length === 0) return [];
  return ctx.db
    .select({
      profileId: vendorStorageLocations.profileId,
      dataCategory: vendorStorageLocations.dataCategory,
      country: vendorStorageLocations.country,
      region: vendorStorageLocations.region,
    })
    .from(vendorStorageLocations)
    .where(inArray(vendorStorageLocations.profileId, profileIds))
    .orderBy(asc(vendorStorageLocations.position));
}

/** The vendors of the installation, each with what the actor's agency recorded about it and its flags. */
export async function listVendors(ctx: ModuleContext, filter: { q?: string } = {}) {
  requirePermission(ctx, "vendor:read");
  const q = filter.q?.trim();
  const rows = await ctx.db
    .select({
      id: vendors.id,
      legalName: vendors.legalName,
      tradeName: vendors.tradeName,
      headquarters: vendors.headquarters,
      headquartersCountry: vendors.headquartersCountry,
      governmentBody: vendors.governmentBody,
      profileId: vendorProfiles.id,
      serviceKinds: vendorProfiles.serviceKinds,
      keyCustody: vendorProfiles.keyCustody,
      legalNoticeAddress: vendorProfiles.legalNoticeAddress,
    })
    .from(vendors)
    .leftJoin(vendorProfiles, and(eq(vendorProfiles.vendorId, vendors.id), eq(vendorProfiles.agencyId, agencyOf(ctx))))
    .where(q ? or(ilike(vendors.legalName, `%${q}%`), ilike(vendors.tradeName, `%${q}%`)) : undefined)
    .orderBy(asc(vendors.legalName));
  const locations = await locationsOf(
    ctx,
    rows.flatMap((r) => (r.profileId ? [r.profileId] : [])),
  );
  ctx.audit.record({ action: "vendor.list.read", objectType: "vendor", details: { q: q ?? null, count: rows.length } });
  return rows.map((r) => ({
    ...r,
    recorded: r.profileId !== null,
    flags: r.profileId ? flagsFor({ ...r, id: r.profileId }, locations) : [],
  }));
}

const flagsFor = (
  profile: { id: string; keyCustody: string | null; legalNoticeAddress: string | null },
  locations: Awaited<ReturnType<typeof locationsOf>>,
) =>
  vendorFlags({
    keyCustody: profile.keyCustody,
    legalNoticeAddress: profile.legalNoticeAddress,
    locations: locations.filter((l) => l.profileId === profile.id),
  });

/** The vendors the actor's agency has recorded that carry at least one flag (for the dashboard; it records its own read). */
export async function flaggedVendors(ctx: ModuleContext) {
  requirePermission(ctx, "vendor:read");
  const profiles = await ctx.db
    .select({
      id: vendorProfiles.id,
      vendorId: vendorProfiles.vendorId,
      name: vendors.legalName,
      keyCustody: vendorProfiles.keyCustody,
      legalNoticeAddress: vendorProfiles.legalNoticeAddress,
    })
    .from(vendorProfiles)
    .innerJoin(vendors, eq(vendors.id, vendorProfiles.vendorId))
    .where(eq(vendorProfiles.agencyId, agencyOf(ctx)))
    .orderBy(asc(vendors.legalName));
  const locations = await locationsOf(
    ctx,
    profiles.map((p) => p.id),
  );
  return profiles
    .map((p) => ({ vendorId: p.vendorId, name: p.name, flags: flagsFor(p, locations) }))
    .filter((p) => p.flags.length > 0);
}

/** One vendor: the shared identity and the actor's agency's own profile (null when it has none yet). */
export async function getVendor(ctx: ModuleContext, vendorId: string, options: { audit?: boolean } = {}) {
  requirePermission(ctx, "vendor:read");
  if (!isUuid(vendorId)) throw new NotFound("vendor", vendorId);
  const [vendor] = await ctx.db.select().from(vendors).where(eq(vendors.id, vendorId));
  if (!vendor) throw new NotFound("vendor", vendorId);
  const [registeredBy] = vendor.registeredBy
    ? await ctx.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, vendor.registeredBy))
    : [];
  const profile = await profileOf(ctx, vendorId, agencyOf(ctx));
  if (options.audit !== false) ctx.audit.record({ action: "vendor.read", objectType: "vendor", objectId: vendorId });
  return {
    vendor,
    registeredByName: registeredBy?.name ?? null,
    canEditIdentity: ctx.actor.permissions.has("vendor:edit") && vendor.registeredBy === ctx.actor.organisationId,
    profile,
    flags: vendorFlags(profile),
  };
}

/** An agency's profile of a vendor with its storage locations, or null. Used by contracts for conflicts. */
export async function profileOf(ctx: Pick<ModuleContext, "db">, vendorId: string, agencyId: string) {
  // The profile and its storage locations (as JSON, in their order) in one statement.
  const [row] = await ctx.db
    .select({
      profile: vendorProfiles,
      // Written out: drizzle leaves columns unqualified in a select without joins, "id" here included.
      locations: sql<LocationRow[]>`(select coalesce(json_agg(json_build_object('dataCategory', l.data_category,
          'country', l.country, 'region', l.region) order by l.position), '[]'::json)
        from vendor_storage_locations l where l.profile_id = "vendor_profiles"."id")`,
    })
    .from(vendorProfiles)
    .where(and(eq(vendorProfiles.vendorId, vendorId), eq(vendorProfiles.agencyId, agencyId)));
  if (!row) return null;
  return { ...row.profile, locations: row.locations };
}
type LocationRow = Pick<typeof vendorStorageLocations.$inferSelect, "dataCategory" | "country" | "region">;

/** What vendorFlags judges of an agency's profile of a vendor: who holds the keys, the legal-notice address, the storage locations. */
export type FlagFacts = { keyCustody: string | null; legalNoticeAddress: string | null; locations: LocationRow[] };

/**
 * The same facts as one JSON value (null when the agency has no profile of the vendor), for a caller to read in
 * its own statement: the coverage matrix reads them with the contract, rather than asking profileOf after it.
 */
export function flagFactsJson(vendorId: SQL, agencyId: SQL) {
  return sql<FlagFacts | null>`(select json_build_object('keyCustody', p.key_custody, 'legalNoticeAddress', p.legal_notice_address,
      'locations', (select coalesce(json_agg(json_build_object('dataCategory', l.data_category, 'country', l.country,
                                                               'region', l.region) order by l.position), '[]'::json)
                    from vendor_storage_locations l where l.profile_id = p.id))
    from vendor_profiles p where p.vendor_id = ${vendorId} and p.agency_id = ${agencyId})`;
}

async function legalNameTaken(ctx: ModuleContext, legalName: string, exceptId?: string) {
  const [row] = await ctx.db
    .select({ id: vendors.id })
    .from(vendors)
    .where(and(sql`lower(${vendors.legalName}) = lower(${legalName})`, exceptId ? sql`${vendors.id} <> ${exceptId}` : undefined));
  return Boolean(row);
}

/**
 * Register a vendor for the whole installation, with the actor's agency's profile.
 * A vendor organisation of the same name that has no vendor record yet (created by
 * a platform administrator for portal accounts) becomes this vendor's organisation.
 */
export async function registerVendor(ctx: ModuleContext, raw: unknown) {
  requirePermission(ctx, "vendor:edit");
  const input = parseInput(VendorSchema, raw);
  if (await legalNameTaken(ctx, input.legalName)) {
    throw new InvalidInput({
      legalName:
        "A vendor with this legal name is already registered; open it from the vendor list and add your agency's record there.",
    });
  }
  const organisation = await organisationForNewVendor(ctx, input.legalName);
  const organisationId = organisation.id;
  const [vendor] = await ctx.db
    .insert(vendors)
    .values({
      organisationId,
      legalName: input.legalName,
      tradeName: input.tradeName ?? null,
      headquarters: input.headquarters,
      headquartersCountry: input.headquartersCountry,
      governmentBody: input.governmentBody,
      registeredBy: ctx.actor.organisationId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  await writeProfile(ctx, vendor!.id, input);
  ctx.audit.record({
    action: "vendor.register",
    objectType: "vendor",
    objectId: vendor!.id,
    details: { legalName: input.legalName, organisationId, linkedExistingOrganisation: organisation.linkedExisting },
  });
  return vendor!;
}

/** Save the actor's agency's profile of a vendor, and the shared identity when the agency registered it. */
export async function updateVendor(ctx: ModuleContext, vendorId: string, raw: unknown) {
  requirePermission(ctx, "vendor:edit");
  const current = await getVendor(ctx, vendorId, { audit: false });
  const profileInput = parseInput(VendorProfileSchema, raw);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (current.canEditIdentity) {
    const identity = parseInput(VendorIdentitySchema, raw);
    if (await legalNameTaken(ctx, identity.legalName, vendorId))
      throw new InvalidInput({ legalName: "Another vendor already has this legal name." });
    for (const key of ["legalName", "tradeName", "headquarters", "headquartersCountry", "governmentBody"] as const) {
      const before = current.vendor[key] ?? null;
      const after = identity[key] ?? null;
      if (before !== after) changes[key] = { from: before, to: after };
    }
    await ctx.db
      .update(vendors)
      .set({
        legalName: identity.legalName,
        tradeName: identity.tradeName ?? null,
        headquarters: identity.headquarters,
        headquartersCountry: identity.headquartersCountry,
        governmentBody: identity.governmentBody,
        updatedAt: ctx.now,
      })
      .where(eq(vendors.id, vendorId));
    if (changes.legalName) await renameVendorOrganisation(ctx, current.vendor.organisationId, identity.legalName);
  }
  const before = current.profile;
  await writeProfile(ctx, vendorId, profileInput);
  const after = await profileOf(ctx, vendorId, agencyOf(ctx));
  for (const key of [
    "serviceKinds",
    "dataCategories",
    "keyCustody",
    "fedramp",
    "stateramp",
    "soc2",
    "securityContactName",
    "securityContactEmail",
    "securityContactPhone",
    "legalNoticeAddress",
    "legalNoticeEmail",
    "notes",
    "locations",
  ] as const) {
    const from = before ? before[key] : null;
    const to = after![key];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  ctx.audit.record({ action: "vendor.update", objectType: "vendor", objectId: vendorId, details: { changes } });
  return { changed: Object.keys(changes) };
}

async function writeProfile(ctx: ModuleContext, vendorId: string, input: ReturnType<typeof VendorProfileSchema.parse>) {
  if (ctx.actor.organisationKind !== "agency" || !ctx.actor.organisationId)
    throw new Error("only an agency keeps a vendor profile");
  const values = {
    serviceKinds: input.serviceKinds,
    dataCategories: input.dataCategories,
    keyCustody: input.keyCustody,
    fedramp: input.fedramp,
    stateramp: input.stateramp,
    soc2: input.soc2,
    securityContactName: input.securityContactName ?? null,
    securityContactEmail: input.securityContactEmail ?? null,
    securityContactPhone: input.securityContactPhone ?? null,
    legalNoticeAddress: input.legalNoticeAddress ?? null,
    legalNoticeEmail: input.legalNoticeEmail ?? null,
    notes: input.notes ?? null,
    updatedBy: ctx.actor.personId,
    updatedAt: ctx.now,
  };
  const [profile] = await ctx.db
    .insert(vendorProfiles)
    .values({ vendorId, agencyId: ctx.actor.organisationId, createdAt: ctx.now, ...values })
    .onConflictDoUpdate({ target: [vendorProfiles.vendorId, vendorProfiles.agencyId], set: values })
    .returning({ id: vendorProfiles.id });
  await ctx.db.delete(vendorStorageLocations).where(eq(vendorStorageLocations.profileId, profile!.id));
  if (input.locations.length > 0) {
    await ctx.db.insert(vendorStorageLocations).values(
      input.locations.map((l, position) => ({
        profileId: profile!.id,
        dataCategory: l.dataCategory,
        country: l.country,
        region: l.region ?? "",
        position,
      })),
    );
  }
}

/** The actor's own vendor (for a vendor representative), or null. */
export async function ownVendor(ctx: ModuleContext) {
  if (ctx.actor.organisationKind !== "vendor") return null;
  const [vendor] = await ctx.db
    .select({ id: vendors.id, legalName: vendors.legalName })
    .from(vendors)
    .where(eq(vendors.organisationId, orgOf(ctx)));
  return vendor ?? null;
}
