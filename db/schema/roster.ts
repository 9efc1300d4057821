import { sql } from "drizzle-orm";
import { type AnyPgColumn, boolean, check, date, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organisations, people } from "./access.ts";
import { sealedFileColumns } from "./evidence.ts";
import { vendors } from "./vendors.ts";

/**
 * The vendor's personnel with access to unencrypted CJI (CJIS Security Policy
 * v6.0 PS-3, AT-2, SA-9 and the Security Addendum). One roster per vendor: the
 * people are facts about the vendor, the same for every agency it serves. The
 * vendor proposes each change in the portal; a CJIS officer of an agency that
 * contracts with the vendor approves it, and only then does the roster change.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const day = (name: string) => date(name, { mode: "string" });

/** A signed Security Addendum certification page, encrypted at rest like evidence files. */
export const rosterFiles = pgTable(
  "roster_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    vendorId: uuid("vendor_id")
      .notNull()
      .references(() => vendors.id),
    ...sealedFileColumns(),
    uploadedBy: uuid("uploaded_by").references(() => people.id),
    uploadedAt: ts("uploaded_at").notNull(),
  },
  (t) => [index("roster_files_blob").on(t.blobSha256)],
);

export const rosterPeople = pgTable(
  "roster_people",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    vendorId: uuid("vendor_id")
      .notNull()
      .references(() => vendors.id),
    fullName: text("full_name").notNull(),
    jobRole: text("job_role").notNull(),
    unescortedAccess: boolean("unescorted_access").notNull(),
    fingerprintCheckedOn: day("fingerprint_checked_on"),
    fingerprintAgency: text("fingerprint_agency"),
    addendumSignedOn: day("addendum_signed_on"),
    addendumFileId: uuid("addendum_file_id").references(() => rosterFiles.id),
    trainedOn: day("trained_on"),
    /** The day the person left the vendor or the assignment. */
    leftOn: day("left_on"),
    /** The day their access to CJI ended. */
    accessEndedOn: day("access_ended_on"),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [index("roster_people_vendor").on(t.vendorId)],
);

export const ROSTER_CHANGE_STATUSES = ["pending", "approved", "rejected", "withdrawn"] as const;

/** A proposed change to the roster: the whole record as the vendor wants it, and the decision on it. */
export const rosterChanges = pgTable(
  "roster_changes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    vendorId: uuid("vendor_id")
      .notNull()
      .references(() => vendors.id),
    /** Null when the change adds a person; set on approval to the person it created. */
    personId: uuid("person_id").references((): AnyPgColumn => rosterPeople.id),
    kind: text("kind", { enum: ["add", "update"] }).notNull(),
    proposed: jsonb("proposed").notNull(),
    addendumFileId: uuid("addendum_file_id").references(() => rosterFiles.id),
    note: text("note").notNull().default(""),
    status: text("status", { enum: ROSTER_CHANGE_STATUSES }).notNull().default("pending"),
    proposedBy: uuid("proposed_by").references(() => people.id),
    proposedFrom: text("proposed_from"),
    proposedAt: ts("proposed_at").notNull(),
    decidedBy: uuid("decided_by").references(() => people.id),
    decidedByAgencyId: uuid("decided_by_agency_id").references(() => organisations.id),
    decidedAt: ts("decided_at"),
    decisionReason: text("decision_reason"),
  },
  (t) => [
    index("roster_changes_vendor_status").on(t.vendorId, t.status),
    check("roster_changes_rejection_has_reason", sql`${t.status} <> 'rejected' or coalesce(${t.decisionReason}, '') <> ''`),
  ],
);

export type RosterPerson = typeof rosterPeople.$inferSelect;
export type RosterChange = typeof rosterChanges.$inferSelect;
export type RosterFile = typeof rosterFiles.$inferSelect;
