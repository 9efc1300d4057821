import { getTableColumns, sql, type SQL } from "drizzle-orm";
import { getTableConfig, type PgColumn, type PgTable } from "drizzle-orm/pg-core";
import { createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import * as access from "../../../db/schema/access.ts";
import { auditEvents } from "../../../db/schema/audit.ts";
import { evidenceKinds, frameworks, requirements } from "../../../db/schema/catalog.ts";
import * as contractsSchema from "../../../db/schema/contracts.ts";
import { documentGenerations, documentOutputs } from "../../../db/schema/documents.ts";
import * as evidence from "../../../db/schema/evidence.ts";
import { noticeAgencies, notices } from "../../../db/schema/notices.ts";
import { notificationPreferences, notifications } from "../../../db/schema/notifications.ts";
import { rosterChanges, rosterFiles, rosterPeople } from "../../../db/schema/roster.ts";
import { vendorProfiles, vendors, vendorStorageLocations } from "../../../db/schema/vendors.ts";
import { coverageProposals } from "../../../db/schema/portability.ts";

/**
 * The record types of an agency export, in the order an import inserts them (a row's references come
 * before it). Each names its table, what of it the agency owns or shares, the columns that never leave
 * (credentials), and whether its rows carry a file. Rows are read and written through the drizzle table
 * definitions, so the JSON Schema of each type is generated from the same definitions. Decision 0027.
 */

export type Scope =
  /** Rows chosen by the agency: a condition on the table. */
  | { kind: "agency"; where: (agencyId: string) => SQL }
  /** Rows other records point at (people, organizations, vendors, catalog rows), collected while exporting. */
  | { kind: "referenced"; also?: (agencyId: string) => SQL };

export type RecordType = {
  name: string;
  table: PgTable;
  scope: Scope;
  /** Columns that never leave the installation. */
  omit?: readonly string[];
  /** Where a row keeps its file: plain (stored under its SHA-256) or sealed (encrypted in the store). */
  file?: "plain" | "sealed";
  /** Catalog rows: mapped on import to the importing installation's own rows by their natural key. */
  catalog?: (row: Record<string, unknown>, lookup: (type: string, id: string) => Record<string, unknown> | undefined) => string;
};

const contractsOf = (a: string) =>
  sql`(select c.id from contracts c where c.agency_id = ${a} or c.id in (select s.contract_id from contract_shares s where s.agency_id = ${a}))`;
const itemsOf = (a: string) =>
  sql`(select i.id from evidence_items i where i.agency_id = ${a} or i.id in (select ic.item_id from evidence_item_contracts ic where ic.contract_id in ${contractsOf(a)}))`;
const vendorsUnderContract = (a: string) => sql`(select c.vendor_id from contracts c where c.id in ${contractsOf(a)})`;
const members = (a: string) => sql`(select m.person_id from memberships m where m.organisation_id = ${a})`;

const c = contractsSchema;
export const RECORD_TYPES: readonly RecordType[] = [
  {
    name: "organisations",
    table: access.organisations,
    scope: { kind: "referenced", also: (a) => sql`${access.organisations.id} = ${a}` },
  },
  {
    name: "people",
    table: access.people,
    scope: { kind: "referenced", also: (a) => sql`${access.people.id} in ${members(a)}` },
    omit: [
      "passwordHash",
      "passwordChangedAt",
      "totpSecret",
      "totpLastStep",
      "mfaEnrolledAt",
      "failedLogins",
      "firstFailedLoginAt",
    ],
  },
  {
    name: "memberships",
    table: access.memberships,
    scope: { kind: "agency", where: (a) => sql`${access.memberships.organisationId} = ${a}` },
  },
  {
    name: "directory_identities",
    table: access.directoryIdentities,
    scope: { kind: "agency", where: (a) => sql`${access.directoryIdentities.organisationId} = ${a}` },
  },
  {
    name: "catalog_frameworks",
    table: frameworks,
    scope: { kind: "referenced" },
    catalog: (r) => `${r.key}@${r.version}#${r.revision}`,
  },
  {
    name: "catalog_requirements",
    table: requirements,
    scope: { kind: "referenced" },
    catalog: (r, lookup) => {
      const f = lookup("catalog_frameworks", String(r.frameworkId));
      return `${f?.key}@${f?.version}#${f?.revision}:${r.code}`;
    },
  },
  { name: "catalog_evidence_kinds", table: evidenceKinds, scope: { kind: "referenced" }, catalog: (r) => String(r.key) },
  { name: "vendors", table: vendors, scope: { kind: "referenced" } },
  {
    name: "vendor_profiles",
    table: vendorProfiles,
    scope: { kind: "agency", where: (a) => sql`${vendorProfiles.agencyId} = ${a}` },
  },
  {
    name: "vendor_storage_locations",
    table: vendorStorageLocations,
    scope: {
      kind: "agency",
      where: (a) => sql`${vendorStorageLocations.profileId} in (select p.id from vendor_profiles p where p.agency_id = ${a})`,
    },
  },
  { name: "contracts", table: c.contracts, scope: { kind: "agency", where: (a) => sql`${c.contracts.id} in ${contractsOf(a)}` } },
  {
    name: "contract_terms",
    table: c.contractTerms,
    scope: { kind: "agency", where: (a) => sql`${c.contractTerms.contractId} in ${contractsOf(a)}` },
  },
  {
    name: "contract_shares",
    table: c.contractShares,
    scope: { kind: "agency", where: (a) => sql`${c.contractShares.contractId} in ${contractsOf(a)}` },
  },
  {
    name: "contract_frameworks",
    table: c.contractFrameworks,
    scope: { kind: "agency", where: (a) => sql`${c.contractFrameworks.contractId} in ${contractsOf(a)}` },
  },
  {
    name: "contract_files",
    table: c.contractFiles,
    scope: { kind: "agency", where: (a) => sql`${c.contractFiles.contractId} in ${contractsOf(a)}` },
    file: "plain",
  },
  {
    name: "coverage_entries",
    table: c.coverageEntries,
    scope: { kind: "agency", where: (a) => sql`${c.coverageEntries.contractId} in ${contractsOf(a)}` },
  },
  {
    name: "coverage_changes",
    table: c.coverageChanges,
    scope: { kind: "agency", where: (a) => sql`${c.coverageChanges.contractId} in ${contractsOf(a)}` },
  },
  {
    name: "coverage_proposals",
    table: coverageProposals,
    scope: { kind: "agency", where: (a) => sql`${coverageProposals.contractId} in ${contractsOf(a)}` },
  },
  {
    name: "evidence_items",
    table: evidence.evidenceItems,
    scope: { kind: "agency", where: (a) => sql`${evidence.evidenceItems.id} in ${itemsOf(a)}` },
  },
  {
    name: "evidence_item_contracts",
    table: evidence.evidenceItemContracts,
    scope: { kind: "agency", where: (a) => sql`${evidence.evidenceItemContracts.itemId} in ${itemsOf(a)}` },
  },
  {
    name: "evidence_item_requirements",
    table: evidence.evidenceItemRequirements,
    scope: { kind: "agency", where: (a) => sql`${evidence.evidenceItemRequirements.itemId} in ${itemsOf(a)}` },
  },
  {
    name: "evidence_versions",
    table: evidence.evidenceVersions,
    scope: { kind: "agency", where: (a) => sql`${evidence.evidenceVersions.itemId} in ${itemsOf(a)}` },
  },
  {
    name: "evidence_files",
    table: evidence.evidenceFiles,
    scope: {
      kind: "agency",
      where: (a) =>
        sql`${evidence.evidenceFiles.versionId} in (select v.id from evidence_versions v where v.item_id in ${itemsOf(a)})`,
    },
    file: "sealed",
  },
  {
    name: "notices",
    table: notices,
    scope: {
      kind: "agency",
      where: (a) => sql`${notices.id} in (select na.notice_id from notice_agencies na where na.agency_id = ${a})`,
    },
  },
  {
    name: "notice_agencies",
    table: noticeAgencies,
    scope: { kind: "agency", where: (a) => sql`${noticeAgencies.agencyId} = ${a}` },
  },
  {
    name: "roster_files",
    table: rosterFiles,
    scope: { kind: "agency", where: (a) => sql`${rosterFiles.vendorId} in ${vendorsUnderContract(a)}` },
    file: "sealed",
  },
  {
    name: "roster_people",
    table: rosterPeople,
    scope: { kind: "agency", where: (a) => sql`${rosterPeople.vendorId} in ${vendorsUnderContract(a)}` },
  },
  {
    name: "roster_changes",
    table: rosterChanges,
    scope: { kind: "agency", where: (a) => sql`${rosterChanges.vendorId} in ${vendorsUnderContract(a)}` },
  },
  {
    name: "document_generations",
    table: documentGenerations,
    scope: { kind: "agency", where: (a) => sql`${documentGenerations.agencyId} = ${a}` },
  },
  {
    name: "document_outputs",
    table: documentOutputs,
    scope: {
      kind: "agency",
      where: (a) => sql`${documentOutputs.generationId} in (select g.id from document_generations g where g.agency_id = ${a})`,
    },
    file: "sealed",
  },
  {
    name: "notifications",
    table: notifications,
    scope: { kind: "agency", where: (a) => sql`${notifications.personId} in ${members(a)}` },
  },
  {
    name: "notification_preferences",
    table: notificationPreferences,
    scope: { kind: "agency", where: (a) => sql`${notificationPreferences.personId} in ${members(a)}` },
  },
  {
    name: "deprovisioning_records",
    table: access.deprovisioningRecords,
    scope: {
      kind: "agency",
      where: (a) =>
        sql`(${access.deprovisioningRecords.organisationId} = ${a} or ${access.deprovisioningRecords.personId} in ${members(a)})`,
    },
  },
  {
    name: "access_reviews",
    table: access.accessReviews,
    scope: { kind: "agency", where: (a) => sql`${access.accessReviews.organisationId} = ${a}` },
  },
  {
    name: "access_review_items",
    table: access.accessReviewItems,
    scope: {
      kind: "agency",
      where: (a) =>
        sql`${access.accessReviewItems.reviewId} in (select r.id from access_reviews r where r.organisation_id = ${a})`,
    },
  },
  {
    name: "audit_events",
    table: auditEvents,
    scope: {
      kind: "agency",
      where: (a) => sql`(${auditEvents.organisationId} = ${a} or ${auditEvents.actorOrganisationId} = ${a})`,
    },
  },
];

export const recordType = (name: string) => RECORD_TYPES.find((t) => t.name === name);

/** The table's columns by their key (the name records use), without those that never leave. */
export function exportedColumns(type: RecordType): [key: string, column: PgColumn][] {
  return Object.entries(getTableColumns(type.table)).filter(([key]) => !type.omit?.includes(key)) as [string, PgColumn][];
}

/** The primary-key columns, in order: a single column pages by key, several by offset. */
export function primaryKeyOf(type: RecordType): PgColumn[] {
  const config = getTableConfig(type.table);
  const single = config.columns.filter((col) => col.primary);
  return single.length > 0 ? single : (config.primaryKeys[0]?.columns ?? config.columns.slice(0, 1));
}

/** Which record types a table's foreign keys point at, by the referring column's key. */
export function referencesOf(type: RecordType): { key: string; target: string }[] {
  const byName = new Map(exportedColumns(type).map(([key, col]) => [col.name, key]));
  const out: { key: string; target: string }[] = [];
  for (const fk of getTableConfig(type.table).foreignKeys) {
    const ref = fk.reference();
    const target = RECORD_TYPES.find((t) => t.table === ref.foreignTable);
    const key = byName.get(ref.columns[0]!.name);
    if (target && key && ref.columns.length === 1) out.push({ key, target: target.name });
  }
  return out;
}

/** A row as a record: its exported columns, JSON values (times in UTC, ISO 8601). */
export function toRecord(type: RecordType, row: Record<string, unknown>) {
  const record: Record<string, unknown> = {};
  for (const [key] of exportedColumns(type)) {
    const value = row[key];
    record[key] = value instanceof Date ? value.toISOString() : value === undefined ? null : value;
  }
  return record;
}

/** A record as a row to insert: times back to dates. */
export function fromRecord(type: RecordType, record: Record<string, unknown>) {
  const row: Record<string, unknown> = {};
  for (const [key, column] of exportedColumns(type)) {
    if (!(key in record)) continue;
    const value = record[key];
    row[key] = column.columnType === "PgTimestamp" && typeof value === "string" ? new Date(value) : value;
  }
  return row;
}

/** The JSON Schema (2020-12) of a record type, generated from its drizzle table through drizzle-zod. */
export function recordSchema(type: RecordType) {
  const mask = Object.fromEntries((type.omit ?? []).map((k) => [k, true] as const));
  const schema = createSelectSchema(type.table).omit(mask as never);
  return {
    ...z.toJSONSchema(schema, {
      unrepresentable: "any",
      override: (ctx) => {
        const def = (ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def;
        if (def.type === "date") {
          ctx.jsonSchema.type = "string";
          ctx.jsonSchema.format = "date-time";
        }
      },
    }),
    $id: `https://custody.example/schemas/agency-export/1/${type.name}.schema.json`,
    title: `Custody agency export: ${type.name}`,
    description: `One line of records/${type.name}.jsonl (the ${getTableConfig(type.table).name} table).`,
  };
}
