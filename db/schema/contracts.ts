import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { organisations, people } from "./access.ts";
import { frameworks, requirements } from "./catalog.ts";
import { vendors } from "./vendors.ts";

/**
 * Contracts with cloud vendors: owned by one agency, shareable with others;
 * their lifecycle dates (status is computed from them), the terms that drive
 * every later deadline, their files (immutable versions in the blob
 * store), and the coverage matrix that maps each catalog requirement to the
 * contract, with the history of every change.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const day = (name: string) => date(name, { mode: "string" });

export const CONTRACT_KINDS = ["master-agreement", "sla", "addendum", "amendment", "renewal"] as const;
/** The stage people move a contract through; "active" and "expired" are computed from the dates. */
export const CONTRACT_STAGES = ["draft", "negotiation", "signed", "terminated"] as const;
export const CONTRACT_FILE_STAGES = ["draft", "signed", "other"] as const;
export const COVERAGE_STATUSES = ["addressed", "partial", "missing", "not-applicable"] as const;
/** Who carries a requirement under the contract: the provider, the agency, or both (the FBI's shared-responsibility model). */
export const RESPONSIBILITIES = ["provider", "agency", "shared"] as const;

export const contracts = pgTable(
  "contracts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The owning agency: only its procurement officers change the contract. */
    agencyId: uuid("agency_id")
      .notNull()
      .references(() => organisations.id),
    vendorId: uuid("vendor_id")
      .notNull()
      .references(() => vendors.id),
    kind: text("kind", { enum: CONTRACT_KINDS }).notNull(),
    /** The contract an amendment, addendum, SLA or renewal belongs to. */
    parentId: uuid("parent_id").references((): AnyPgColumn => contracts.id),
    title: text("title").notNull(),
    /** The agency's own contract number. */
    reference: text("reference"),
    services: text("services").notNull().default(""),
    valueCents: bigint("value_cents", { mode: "number" }),
    stage: text("stage", { enum: CONTRACT_STAGES }).notNull().default("draft"),
    signedOn: day("signed_on"),
    effectiveOn: day("effective_on"),
    endsOn: day("ends_on"),
    autoRenew: boolean("auto_renew").notNull().default(false),
    renewalTermMonths: integer("renewal_term_months"),
    /** Days before the end by which notice of non-renewal must be given. */
    noticePeriodDays: integer("notice_period_days"),
    terminatedOn: day("terminated_on"),
    terminationReason: text("termination_reason"),
    createdBy: uuid("created_by").references(() => people.id),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    index("contracts_agency").on(t.agencyId),
    index("contracts_vendor").on(t.vendorId),
    index("contracts_parent").on(t.parentId),
    check("contracts_value_not_negative", sql`${t.valueCents} is null or ${t.valueCents} >= 0`),
    check("contracts_end_after_start", sql`${t.endsOn} is null or ${t.effectiveOn} is null or ${t.endsOn} >= ${t.effectiveOn}`),
    check("contracts_terminated_has_date", sql`(${t.stage} = 'terminated') = (${t.terminatedOn} is not null)`),
  ],
);

/** The terms every deadline is computed from, in one place. */
export const contractTerms = pgTable(
  "contract_terms",
  {
    contractId: uuid("contract_id")
      .primaryKey()
      .references(() => contracts.id, { onDelete: "cascade" }),
    breachNoticeHours: integer("breach_notice_hours").notNull().default(1),
    legalProcessNoticeHours: integer("legal_process_notice_hours").notNull().default(72),
    auditIntervalMonths: integer("audit_interval_months").notNull().default(12),
    minCyberInsuranceCents: bigint("min_cyber_insurance_cents", { mode: "number" }),
    availabilityCritical: numeric("availability_critical", { precision: 6, scale: 3 }),
    availabilityEssential: numeric("availability_essential", { precision: 6, scale: 3 }),
    availabilityStandard: numeric("availability_standard", { precision: 6, scale: 3 }),
    availabilityArchive: numeric("availability_archive", { precision: 6, scale: 3 }),
    locationChangeNoticeDays: integer("location_change_notice_days").notNull().default(30),
    /** Days before a merger, acquisition or restructuring takes effect by which the vendor must say so (IACP principle 9). */
    businessChangeNoticeDays: integer("business_change_notice_days").notNull().default(30),
    /** Whether the contract requires the vendor to keep a personnel roster (screening, Security Addendum, training). */
    personnelRosterRequired: boolean("personnel_roster_required").notNull().default(false),
    /** The CJIS Security Policy revision the contract cites. */
    cjisFrameworkId: uuid("cjis_framework_id").references(() => frameworks.id),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    check(
      "contract_terms_windows_positive",
      sql`${t.breachNoticeHours} > 0 and ${t.legalProcessNoticeHours} > 0 and ${t.auditIntervalMonths} > 0 and ${t.locationChangeNoticeDays} >= 0`,
    ),
    check("contract_terms_business_change_not_negative", sql`${t.businessChangeNoticeDays} >= 0`),
    check("contract_terms_insurance_not_negative", sql`${t.minCyberInsuranceCents} is null or ${t.minCyberInsuranceCents} >= 0`),
  ],
);

export const contractShares = pgTable(
  "contract_shares",
  {
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id, { onDelete: "cascade" }),
    agencyId: uuid("agency_id")
      .notNull()
      .references(() => organisations.id),
    sharedBy: uuid("shared_by").references(() => people.id),
    sharedAt: ts("shared_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.contractId, t.agencyId] }), index("contract_shares_agency").on(t.agencyId)],
);

/** The framework revisions a contract is measured against (each is frozen once cited). */
export const contractFrameworks = pgTable(
  "contract_frameworks",
  {
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id, { onDelete: "cascade" }),
    frameworkId: uuid("framework_id")
      .notNull()
      .references(() => frameworks.id),
  },
  (t) => [primaryKey({ columns: [t.contractId, t.frameworkId] })],
);

/** Immutable versions of uploaded contract files; the bytes live in the blob store under their SHA-256. */
export const contractFiles = pgTable(
  "contract_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id),
    version: integer("version").notNull(),
    stage: text("stage", { enum: CONTRACT_FILE_STAGES }).notNull(),
    filename: text("filename").notNull(),
    mediaType: text("media_type").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    note: text("note"),
    uploadedBy: uuid("uploaded_by").references(() => people.id),
    uploadedAt: ts("uploaded_at").notNull(),
  },
  (t) => [unique("contract_files_version").on(t.contractId, t.version), index("contract_files_sha256").on(t.sha256)],
);

/** One row per assessed requirement; a requirement without a row is "not yet assessed". */
export const coverageEntries = pgTable(
  "coverage_entries",
  {
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id, { onDelete: "cascade" }),
    requirementId: uuid("requirement_id")
      .notNull()
      .references(() => requirements.id),
    status: text("status", { enum: COVERAGE_STATUSES }).notNull(),
    /** Where the contract addresses it: "§7.2, Schedule B". */
    section: text("section").notNull().default(""),
    notes: text("notes").notNull().default(""),
    /** Why the requirement does not apply (required for not-applicable). */
    reason: text("reason"),
    /** Who carries it under the contract; null where the agency has not recorded it. */
    responsibility: text("responsibility", { enum: RESPONSIBILITIES }),
    updatedBy: uuid("updated_by").references(() => people.id),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.contractId, t.requirementId] }),
    check("coverage_entries_reason_when_not_applicable", sql`${t.status} <> 'not-applicable' or coalesce(${t.reason}, '') <> ''`),
    check(
      "coverage_entries_responsibility",
      sql`${t.responsibility} is null or ${t.responsibility} in ('provider', 'agency', 'shared')`,
    ),
  ],
);

/** Every change to a coverage entry: who, when, from what to what. */
export const coverageChanges = pgTable(
  "coverage_changes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id, { onDelete: "cascade" }),
    requirementId: uuid("requirement_id")
      .notNull()
      .references(() => requirements.id),
    changedBy: uuid("changed_by").references(() => people.id),
    changedAt: ts("changed_at").notNull(),
    before: jsonb("before"),
    after: jsonb("after").notNull(),
  },
  (t) => [index("coverage_changes_entry").on(t.contractId, t.requirementId, t.changedAt)],
);

export type Contract = typeof contracts.$inferSelect;
export type ContractTerms = typeof contractTerms.$inferSelect;
export type ContractFile = typeof contractFiles.$inferSelect;
export type CoverageEntry = typeof coverageEntries.$inferSelect;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];
export type Responsibility = (typeof RESPONSIBILITIES)[number];
export type ContractKind = (typeof CONTRACT_KINDS)[number];
export type ContractStage = (typeof CONTRACT_STAGES)[number];
