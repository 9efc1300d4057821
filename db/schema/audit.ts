import { bigint, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The audit trail (decision 0026). One row per event, written by a plain insert in the same
 * transaction as the change it records. A trigger (migration 0020) puts every new event in
 * audit_pending; the sealer alone takes them from there, gives each a position in the log and
 * appends it to the Merkle tree (RFC 9162), whose signed checkpoints are also kept outside the
 * database. Triggers refuse UPDATE, DELETE and TRUNCATE on the events, the log, the tree and the
 * checkpoints. No foreign keys: an event must outlive anything it names.
 */

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
export const AUDIT_OUTCOMES = ["success", "denied", "failed"] as const;

export const auditEvents = pgTable(
  "audit_events",
  {
    /**
     * The order of writing. Events before migration 0020 are numbered 1, 2, 3 … without gaps and
     * hash-chained; later ones take numbers from a sequence (a rolled-back change leaves a gap). An
     * event's place in the log is its position in audit_log, given by the sealer.
     */
    seq: bigint("seq", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    id: uuid("id").notNull().unique(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    actorPersonId: uuid("actor_person_id"),
    actorSessionId: text("actor_session_id"),
    actorTokenId: uuid("actor_token_id"),
    /** Who, as they were known at the time (e-mail, or token name). */
    actorLabel: text("actor_label"),
    organisationId: uuid("organisation_id"),
    /** The organisation the actor acted for (a vendor representative's vendor), when it differs or is known. */
    actorOrganisationId: uuid("actor_organisation_id"),
    /**
     * Further organisations whose auditors may read the event: for a sign-in, every organisation
     * the person held a role in at that moment, and the agencies a vendor's person serves.
     */
    audience: uuid("audience").array(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    action: text("action").notNull(),
    objectType: text("object_type"),
    objectId: text("object_id"),
    outcome: text("outcome", { enum: AUDIT_OUTCOMES }).notNull(),
    details: jsonb("details").notNull().default({}),
    /** Hash-chained events (before migration 0020) only: the previous event's hash. */
    prevHash: text("prev_hash"),
    /** Chained events: SHA-256 of their content with prevHash. Later events: their RFC 9162 leaf hash. */
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_events_occurred_at").on(t.occurredAt),
    index("audit_events_actor").on(t.actorPersonId, t.occurredAt),
    index("audit_events_organisation").on(t.organisationId, t.occurredAt),
    index("audit_events_action").on(t.action, t.occurredAt),
    index("audit_events_object").on(t.objectType, t.objectId),
    index("audit_events_audience").using("gin", t.audience),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;

/** Committed events the sealer has not yet put in the log. Filled by a trigger; only the sealer deletes. */
export const auditPending = pgTable("audit_pending", {
  seq: bigint("seq", { mode: "number" }).primaryKey(),
  eventId: uuid("event_id").notNull(),
  /** The leaf hash the writer computed; null for a hash-chained event, whose leaf the sealer computes. */
  leafHash: bytea("leaf_hash"),
});

/** The log: position 0, 1, 2 … without gaps, each an event's leaf in the Merkle tree. */
export const auditLog = pgTable("audit_log", {
  position: bigint("position", { mode: "number" }).primaryKey(),
  eventId: uuid("event_id").notNull().unique(),
  leafHash: bytea("leaf_hash").notNull(),
});

/** Every complete inner node of the tree (level ≥ 1; a node covers leaves index·2^level … (index+1)·2^level − 1), for proofs. */
export const auditTreeNodes = pgTable(
  "audit_tree_nodes",
  {
    level: integer("level").notNull(),
    index: bigint("index", { mode: "number" }).notNull(),
    hash: bytea("hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.index] })],
);

/** Signed tree heads: the tree's size and root at the end of a seal, signed with the installation's Ed25519 key. */
export const auditCheckpoints = pgTable("audit_checkpoints", {
  treeSize: bigint("tree_size", { mode: "number" }).primaryKey(),
  rootHash: bytea("root_hash").notNull(),
  issuedAt: timestamp("issued_at", { withTimezone: true, precision: 3 }).notNull(),
  keyId: text("key_id").notNull(),
  /** The exact text that was signed. */
  note: text("note").notNull(),
  /** Ed25519 signature over the note's UTF-8 bytes, base64. */
  signature: text("signature").notNull(),
  /** The server copy that sealed (host:pid): not signed, kept to show the copies took turns. */
  sealedBy: text("sealed_by").notNull(),
});

export type AuditCheckpoint = typeof auditCheckpoints.$inferSelect;
