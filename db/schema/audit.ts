import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The audit trail. One row per event, numbered without gaps, each carrying the
 * SHA-256 of its content chained to the previous event's hash. A trigger
 * (migration 0002) refuses UPDATE, DELETE and TRUNCATE. No foreign keys: an
 * event must outlive anything it names.
 */
export const AUDIT_OUTCOMES = ["success", "denied", "failed"] as const;

export const auditEvents = pgTable(
  "audit_events",
  {
    /** 1, 2, 3 … without gaps: a missing number is a deleted event. */
    seq: bigint("seq", { mode: "number" }).primaryKey(),
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
    prevHash: text("prev_hash").notNull(),
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
