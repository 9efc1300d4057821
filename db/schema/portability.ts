import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organisations, people } from "./access.ts";
import { requirements } from "./catalog.ts";
import { contracts, RESPONSIBILITIES } from "./contracts.ts";

/**
 * Agency exports: each a job that writes the agency's whole record into one ZIP in the file store,
 * encrypted like evidence, with its progress; the finished file is offered for a limited time.
 * A job that a stopped server left running is taken up again from the start (the partial file is
 * never offered). Decision 0027.
 */

export const EXPORT_STATUSES = ["queued", "running", "complete", "failed"] as const;
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const agencyExports = pgTable(
  "agency_exports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agencyId: uuid("agency_id")
      .notNull()
      .references(() => organisations.id),
    requestedBy: uuid("requested_by").references(() => people.id),
    requestedAt: ts("requested_at").notNull(),
    status: text("status", { enum: EXPORT_STATUSES }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    startedAt: ts("started_at"),
    /** Written while the job runs; a running job whose heartbeat is old was left by a stopped server. */
    heartbeatAt: ts("heartbeat_at"),
    finishedAt: ts("finished_at"),
    itemsTotal: integer("items_total"),
    itemsDone: integer("items_done").notNull().default(0),
    bytesTotal: bigint("bytes_total", { mode: "number" }),
    bytesDone: bigint("bytes_done", { mode: "number" }).notNull().default(0),
    error: text("error"),
    /** The finished ZIP: its own SHA-256 and size, and how it is sealed in the store. */
    sha256: text("sha256"),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    blobSha256: text("blob_sha256"),
    keyId: text("key_id"),
    nonce: text("nonce"),
    authTag: text("auth_tag"),
    /** The download is offered until then. */
    expiresAt: ts("expires_at"),
  },
  (t) => [
    index("agency_exports_agency").on(t.agencyId, t.requestedAt),
    check(
      "agency_exports_complete_has_file",
      sql`${t.status} <> 'complete' or (${t.sha256} is not null and ${t.blobSha256} is not null and ${t.expiresAt} is not null)`,
    ),
  ],
);

export type AgencyExport = typeof agencyExports.$inferSelect;

export const PROPOSAL_STATUSES = ["addressed", "partial", "missing", "not-applicable"] as const;
export const PROPOSAL_DECISIONS = ["accepted", "dismissed"] as const;

/**
 * Coverage entries a vendor's OSCAL component definition proposes for a contract. Nothing is applied
 * until a person with the right to change the contract accepts it; each proposal keeps the statement
 * it came from and the file it was read from.
 */
export const coverageProposals = pgTable(
  "coverage_proposals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id, { onDelete: "cascade" }),
    requirementId: uuid("requirement_id")
      .notNull()
      .references(() => requirements.id),
    status: text("status", { enum: PROPOSAL_STATUSES }).notNull(),
    responsibility: text("responsibility", { enum: RESPONSIBILITIES }),
    /** The component's statement, as the vendor wrote it. */
    statement: text("statement").notNull(),
    componentTitle: text("component_title").notNull(),
    /** The OSCAL control id the statement named. */
    controlId: text("control_id").notNull(),
    sourceFilename: text("source_filename").notNull(),
    sourceSha256: text("source_sha256").notNull(),
    proposedBy: uuid("proposed_by").references(() => people.id),
    proposedAt: ts("proposed_at").notNull(),
    decision: text("decision", { enum: PROPOSAL_DECISIONS }),
    decidedBy: uuid("decided_by").references(() => people.id),
    decidedAt: ts("decided_at"),
  },
  (t) => [index("coverage_proposals_contract").on(t.contractId, t.decision)],
);

export type CoverageProposal = typeof coverageProposals.$inferSelect;
