import { relations } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

/**
 * The requirement catalog: frameworks (a published document at a version),
 * their requirements, the crosswalk between requirements, and the evidence
 * vocabulary. Loaded from db/catalog/ by the seeder; never edited by users.
 */

export const FRAMEWORK_KINDS = ["principles", "contract-provisions", "security-policy", "addendum"] as const;
export const REQUIREMENT_KINDS = [
  "principle",
  "provision",
  "policy-area",
  "control",
  "control-enhancement",
  "addendum-section",
  "certification",
] as const;
export const RELATIONSHIPS = ["equivalent", "subset", "superset", "intersects"] as const;
export const CJIS_PRIORITIES = ["existing", "P1", "P2", "P3", "P4"] as const;

export const frameworks = pgTable(
  "catalog_frameworks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Stable identifier of the document, e.g. "cjis-policy". */
    key: text("key").notNull(),
    /** The source document's own version, e.g. "6.0". */
    version: text("version").notNull(),
    /** Our catalog edition of that version; a new one is added instead of rewriting a frozen one. */
    revision: integer("revision").notNull().default(1),
    kind: text("kind", { enum: FRAMEWORK_KINDS }).notNull(),
    title: text("title").notNull(),
    shortTitle: text("short_title").notNull(),
    publisher: text("publisher").notNull(),
    /** Publication date as precise as the source gives it: "2015", "2024-12", "2024-12-27". */
    published: text("published").notNull(),
    /** How to cite the source document itself. */
    citation: text("citation").notNull(),
    description: text("description").notNull(),
    contentHash: text("content_hash").notNull(),
    /** Display order among frameworks, from the order of the catalog data. */
    position: integer("position").notNull().default(0),
    /** Set when a contract first cites this revision; the seeder never rewrites it afterwards. */
    frozenAt: timestamp("frozen_at", { withTimezone: true, precision: 3 }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    unique("catalog_frameworks_key_version_revision").on(t.key, t.version, t.revision),
    check("catalog_frameworks_revision_positive", sql`${t.revision} >= 1`),
  ],
);

export const requirements = pgTable(
  "catalog_requirements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    frameworkId: uuid("framework_id")
      .notNull()
      .references(() => frameworks.id, { onDelete: "cascade" }),
    /** Identifier within the framework: "4", "AC-2(3)", "5.5", "3.01". */
    code: text("code").notNull(),
    kind: text("kind", { enum: REQUIREMENT_KINDS }).notNull(),
    parentId: uuid("parent_id").references((): AnyPgColumn => requirements.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    /** Our own summary of what the requirement asks. */
    summary: text("summary").notNull(),
    /** Where in the source it comes from: "CJIS Security Policy v6.0, 5.5 AC-7". */
    citation: text("citation").notNull(),
    /** The figure a contract or audit checks, when the requirement has one. */
    figure: text("figure"),
    /** CJIS v6.0 priority marking, when the source gives one. */
    priority: text("priority", { enum: CJIS_PRIORITIES }),
    sortOrder: integer("sort_order").notNull(),
  },
  (t) => [
    unique("catalog_requirements_framework_code").on(t.frameworkId, t.code),
    index("catalog_requirements_parent").on(t.parentId),
  ],
);

export const crosswalk = pgTable(
  "catalog_crosswalk",
  {
    fromId: uuid("from_id")
      .notNull()
      .references(() => requirements.id, { onDelete: "cascade" }),
    toId: uuid("to_id")
      .notNull()
      .references(() => requirements.id, { onDelete: "cascade" }),
    /** Read "from IS <relationship> OF to": subset means from is narrower than to. */
    relationship: text("relationship", { enum: RELATIONSHIPS }).notNull(),
    rationale: text("rationale").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.fromId, t.toId] }),
    index("catalog_crosswalk_to").on(t.toId),
    check("catalog_crosswalk_not_self", sql`${t.fromId} <> ${t.toId}`),
  ],
);

export const evidenceKinds = pgTable("catalog_evidence_kinds", {
  id: uuid("id").primaryKey().defaultRandom(),
  key: text("key").notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  /** How often a fresh one is normally needed, in months; null when event-driven. */
  renewalMonths: integer("renewal_months"),
  /** Whether it is filed when something happens (a notice) rather than on a schedule. */
  eventDriven: boolean("event_driven").notNull().default(false),
  sortOrder: integer("sort_order").notNull(),
});

export const evidenceKindRequirements = pgTable(
  "catalog_evidence_kind_requirements",
  {
    evidenceKindId: uuid("evidence_kind_id")
      .notNull()
      .references(() => evidenceKinds.id, { onDelete: "cascade" }),
    requirementId: uuid("requirement_id")
      .notNull()
      .references(() => requirements.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.evidenceKindId, t.requirementId] }),
    index("catalog_evidence_kind_requirements_requirement").on(t.requirementId),
  ],
);

/**
 * One row naming the catalog's current edition: a new random value each time the loader writes the
 * catalog. A server copy keeps the catalog rows it has read in memory under this value and reads them
 * again when it changes (app/modules/catalog/cache.server.ts); a random value, not a counter, so two
 * databases never share one.
 */
export const catalogState = pgTable(
  "catalog_state",
  {
    id: integer("id").primaryKey().default(1),
    edition: uuid("edition").notNull().defaultRandom(),
  },
  (t) => [check("catalog_state_single_row", sql`${t.id} = 1`)],
);

export const frameworksRelations = relations(frameworks, ({ many }) => ({
  requirements: many(requirements),
}));

export const requirementsRelations = relations(requirements, ({ one }) => ({
  framework: one(frameworks, { fields: [requirements.frameworkId], references: [frameworks.id] }),
  parent: one(requirements, { fields: [requirements.parentId], references: [requirements.id] }),
}));

export type Framework = typeof frameworks.$inferSelect;
export type Requirement = typeof requirements.$inferSelect;
export type CrosswalkLink = typeof crosswalk.$inferSelect;
export type EvidenceKind = typeof evidenceKinds.$inferSelect;
export type Relationship = (typeof RELATIONSHIPS)[number];
export type RequirementKind = (typeof REQUIREMENT_KINDS)[number];
export type FrameworkKind = (typeof FRAMEWORK_KINDS)[number];
