import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { organisations, people } from "./access.ts";
import { evidenceKinds, requirements } from "./catalog.ts";
import { contracts } from "./contracts.ts";
import { vendors } from "./vendors.ts";

/**
 * Vendor evidence. An item is one piece of evidence an agency holds or has asked
 * for (this year's insurance certificate, the 2026 SOC 2 report); each
 * submission of it is an immutable version with its files and the submitter's
 * attestation; a reviewer's decision is written onto the version once. The
 * item's status follows its newest version; "expired" is computed from the
 * accepted version's expiry date, never stored.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const day = (name: string) => date(name, { mode: "string" });

export const EVIDENCE_STATUSES = [
  "requested",
  "submitted",
  "under-review",
  "accepted",
  "rejected",
  "superseded",
  "cancelled",
] as const;
export const VERSION_STATUSES = ["submitted", "under-review", "accepted", "rejected", "superseded"] as const;

export const evidenceItems = pgTable(
  "evidence_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The agency that asked for it or recorded it: only it (and agencies it shares the contract with) sees the item. */
    agencyId: uuid("agency_id")
      .notNull()
      .references(() => organisations.id),
    vendorId: uuid("vendor_id")
      .notNull()
      .references(() => vendors.id),
    kindId: uuid("kind_id")
      .notNull()
      .references(() => evidenceKinds.id),
    title: text("title").notNull(),
    status: text("status", { enum: EVIDENCE_STATUSES }).notNull(),
    /** When a request is answered late it shows as overdue; null for evidence recorded without a request. */
    dueOn: day("due_on"),
    /** What the vendor is asked to provide: the vendor sees this. */
    instructions: text("instructions").notNull().default(""),
    /** The agency's own notes: never shown to the vendor. */
    internalNotes: text("internal_notes").notNull().default(""),
    /** A recurring request: the next one is created, due this many months on, when this one is accepted. */
    recurrenceMonths: integer("recurrence_months"),
    /** The item this one follows in a recurring series; accepting this one supersedes that one. */
    previousId: uuid("previous_id").references((): AnyPgColumn => evidenceItems.id),
    /** Copied from the accepted version so the register can filter and sort without reading versions. */
    currentVersion: integer("current_version").notNull().default(0),
    expiresOn: day("expires_on"),
    /** The flags of the newest version (below the insurance minimum, FIPS 140-2 …), for the register. */
    flags: text("flags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    requestedBy: uuid("requested_by").references(() => people.id),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    index("evidence_items_agency_status").on(t.agencyId, t.status),
    /** The register's default order, read straight from the index. */
    index("evidence_items_agency_updated").on(t.agencyId, t.updatedAt.desc().nullsFirst(), t.id),
    /** The register's charts (status by vendor, expiries by month), counted from the index alone. */
    index("evidence_items_agency_chart").on(t.agencyId, t.vendorId, t.status, t.expiresOn, t.dueOn),
    index("evidence_items_agency_expires").on(t.agencyId, t.expiresOn),
    index("evidence_items_vendor").on(t.vendorId, t.status),
    index("evidence_items_previous").on(t.previousId),
    check("evidence_items_recurrence_positive", sql`${t.recurrenceMonths} is null or ${t.recurrenceMonths} between 1 and 120`),
  ],
);

/** The contracts an item supports. */
export const evidenceItemContracts = pgTable(
  "evidence_item_contracts",
  {
    itemId: uuid("item_id")
      .notNull()
      .references(() => evidenceItems.id, { onDelete: "cascade" }),
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.contractId] }), index("evidence_item_contracts_contract").on(t.contractId)],
);

/** The requirements an item supports (pre-filled from the kind's catalog links). */
export const evidenceItemRequirements = pgTable(
  "evidence_item_requirements",
  {
    itemId: uuid("item_id")
      .notNull()
      .references(() => evidenceItems.id, { onDelete: "cascade" }),
    requirementId: uuid("requirement_id")
      .notNull()
      .references(() => requirements.id),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.requirementId] }),
    index("evidence_item_requirements_requirement").on(t.requirementId),
  ],
);

/** One submission of an item: its dates, its kind-specific fields, its attestation and, once, its review. */
export const evidenceVersions = pgTable(
  "evidence_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    itemId: uuid("item_id")
      .notNull()
      .references(() => evidenceItems.id),
    version: integer("version").notNull(),
    status: text("status", { enum: VERSION_STATUSES }).notNull(),
    issuedOn: day("issued_on"),
    validFrom: day("valid_from"),
    expiresOn: day("expires_on"),
    /** The kind's own fields (carrier, amounts, auditor, opinion, FIPS standard …), validated by the kind's schema. */
    fields: jsonb("fields").notNull(),
    flags: text("flags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    submittedBy: uuid("submitted_by").references(() => people.id),
    submittedAt: ts("submitted_at").notNull(),
    /** The source address the submission came from. */
    submittedFrom: text("submitted_from"),
    /** Which side submitted it: the vendor through the portal, or the agency recording what it received. */
    submittedByOrganisationKind: text("submitted_by_kind", { enum: ["vendor", "agency"] }).notNull(),
    attestationName: text("attestation_name"),
    attestationTitle: text("attestation_title"),
    attestationStatement: text("attestation_statement"),
    reviewStartedBy: uuid("review_started_by").references(() => people.id),
    reviewStartedAt: ts("review_started_at"),
    decidedBy: uuid("decided_by").references(() => people.id),
    decidedAt: ts("decided_at"),
    /** Why it was rejected (the vendor sees it), or the reviewer's note on acceptance. */
    decisionReason: text("decision_reason"),
  },
  (t) => [
    unique("evidence_versions_version").on(t.itemId, t.version),
    check("evidence_versions_rejection_has_reason", sql`${t.status} <> 'rejected' or coalesce(${t.decisionReason}, '') <> ''`),
    check("evidence_versions_dates", sql`${t.expiresOn} is null or ${t.validFrom} is null or ${t.expiresOn} >= ${t.validFrom}`),
  ],
);

/**
 * What a stored, encrypted file is: its name, type and size, the SHA-256 of its plaintext (what
 * the submitter attested to), the SHA-256 of the ciphertext the store keeps it under, and the key,
 * nonce and tag that open it. Evidence files and signed roster pages share it.
 */
export const sealedFileColumns = () => ({
  filename: text("filename").notNull(),
  mediaType: text("media_type").notNull(),
  sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
  sha256: text("sha256").notNull(),
  blobSha256: text("blob_sha256").notNull(),
  keyId: text("key_id").notNull(),
  nonce: text("nonce").notNull(),
  authTag: text("auth_tag").notNull(),
});

/**
 * The files of a version. The bytes are encrypted (AES-256-GCM) before they
 * reach the blob store; the store keys them by the SHA-256 of the ciphertext,
 * the record keeps the SHA-256 of the plaintext (what the submitter attested
 * to) with the nonce and tag needed to open them.
 */
export const evidenceFiles = pgTable(
  "evidence_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    versionId: uuid("version_id")
      .notNull()
      .references(() => evidenceVersions.id),
    ...sealedFileColumns(),
    uploadedAt: ts("uploaded_at").notNull(),
  },
  (t) => [index("evidence_files_version").on(t.versionId), index("evidence_files_blob").on(t.blobSha256)],
);

export type EvidenceItem = typeof evidenceItems.$inferSelect;
export type EvidenceVersion = typeof evidenceVersions.$inferSelect;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];
