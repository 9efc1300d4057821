import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations, people } from "./access.ts";

/**
 * Cloud service providers. The vendor itself (legal name, headquarters) is
 * reference data shared by the whole installation and tied to the vendor's
 * organisation, through which its representatives reach the portal. What an
 * agency records about a vendor (services bought, where the data is stored,
 * who holds the keys, claimed assessments, contacts) is that agency's own
 * profile of it.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const KEY_CUSTODY = ["agency", "provider", "none"] as const;
export const FEDRAMP_LEVELS = ["none", "li-saas", "low", "moderate", "high"] as const;
export const STATERAMP_LEVELS = ["none", "low", "low-plus", "moderate", "high"] as const;
export const SOC2_TYPES = ["none", "type-1", "type-2"] as const;

export const vendors = pgTable(
  "vendors",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The vendor's organisation: its representatives' memberships hang off it. */
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    legalName: text("legal_name").notNull(),
    tradeName: text("trade_name"),
    /** City and state or province of the headquarters. */
    headquarters: text("headquarters").notNull(),
    /** ISO 3166-1 alpha-2. */
    headquartersCountry: text("headquarters_country").notNull(),
    /**
     * A government body (a county IT department, a state hosting center) rather than a private contractor: it signs
     * a management control agreement instead of the CJIS Security Addendum (CJIS Security Policy 5.1.1.4).
     */
    governmentBody: boolean("government_body").notNull().default(false),
    /** The agency that registered the vendor; only it edits the shared identity. */
    registeredBy: uuid("registered_by").references(() => organisations.id),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("vendors_organisation").on(t.organisationId),
    uniqueIndex("vendors_legal_name").on(sql`lower(${t.legalName})`),
  ],
);

export const vendorProfiles = pgTable(
  "vendor_profiles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    vendorId: uuid("vendor_id")
      .notNull()
      .references(() => vendors.id),
    /** The agency whose record this is. */
    agencyId: uuid("agency_id")
      .notNull()
      .references(() => organisations.id),
    serviceKinds: text("service_kinds")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    dataCategories: text("data_categories")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    keyCustody: text("key_custody", { enum: KEY_CUSTODY }),
    fedramp: text("fedramp", { enum: FEDRAMP_LEVELS }).notNull().default("none"),
    stateramp: text("stateramp", { enum: STATERAMP_LEVELS }).notNull().default("none"),
    soc2: text("soc2", { enum: SOC2_TYPES }).notNull().default("none"),
    securityContactName: text("security_contact_name"),
    securityContactEmail: text("security_contact_email"),
    securityContactPhone: text("security_contact_phone"),
    /** Where breach and legal-process notices must come from (and be sent to). */
    legalNoticeAddress: text("legal_notice_address"),
    legalNoticeEmail: text("legal_notice_email"),
    notes: text("notes"),
    updatedBy: uuid("updated_by").references(() => people.id),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("vendor_profiles_vendor_agency").on(t.vendorId, t.agencyId),
    index("vendor_profiles_agency").on(t.agencyId),
  ],
);

export const vendorStorageLocations = pgTable(
  "vendor_storage_locations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    profileId: uuid("profile_id")
      .notNull()
      .references(() => vendorProfiles.id, { onDelete: "cascade" }),
    dataCategory: text("data_category").notNull(),
    /** ISO 3166-1 alpha-2. */
    country: text("country").notNull(),
    region: text("region").notNull().default(""),
    position: integer("position").notNull(),
  },
  (t) => [index("vendor_storage_locations_profile").on(t.profileId)],
);

export type Vendor = typeof vendors.$inferSelect;
export type VendorProfile = typeof vendorProfiles.$inferSelect;
export type VendorStorageLocation = typeof vendorStorageLocations.$inferSelect;
