import { type AnyPgColumn, boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organisations, people } from "./access.ts";
import { contracts } from "./contracts.ts";
import { sealedFileColumns } from "./evidence.ts";
import { vendors } from "./vendors.ts";

/**
 * Generated documents are records: which template and version produced them,
 * from which inputs (kept whole, with their SHA-256), for which contract or
 * vendor, by whom and when, and the files produced (sealed like evidence,
 * each with its SHA-256). A trigger refuses any change or deletion.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const GENERATION_SUBJECTS = ["contract", "vendor", "agency"] as const;
export const OUTPUT_FORMATS = ["docx", "pdf"] as const;

export const documentGenerations = pgTable(
  "document_generations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The agency that generated it and owns it. */
    agencyId: uuid("agency_id")
      .notNull()
      .references(() => organisations.id),
    templateId: text("template_id").notNull(),
    templateVersion: text("template_version").notNull(),
    templateTitle: text("template_title").notNull(),
    kind: text("kind", { enum: ["agreement", "report"] }).notNull(),
    subjectType: text("subject_type", { enum: GENERATION_SUBJECTS }).notNull(),
    contractId: uuid("contract_id").references(() => contracts.id),
    vendorId: uuid("vendor_id").references(() => vendors.id),
    subjectLabel: text("subject_label").notNull(),
    /** Variables, clause choices and the data tables, exactly as used. */
    inputs: jsonb("inputs").notNull(),
    inputsSha256: text("inputs_sha256").notNull(),
    /** The document model every format was drawn from (preview and clause diff read it). */
    model: jsonb("model").notNull(),
    final: boolean("final").notNull(),
    /** The generation of the same template for the same subject before this one. */
    previousId: uuid("previous_id").references((): AnyPgColumn => documentGenerations.id),
    generatedBy: uuid("generated_by").references(() => people.id),
    generatedAt: ts("generated_at").notNull(),
  },
  (t) => [
    index("document_generations_agency").on(t.agencyId, t.generatedAt),
    index("document_generations_subject").on(t.templateId, t.contractId, t.vendorId, t.generatedAt),
  ],
);

export const documentOutputs = pgTable(
  "document_outputs",
  {
    generationId: uuid("generation_id")
      .notNull()
      .references(() => documentGenerations.id),
    format: text("format", { enum: OUTPUT_FORMATS }).notNull(),
    ...sealedFileColumns(),
  },
  (t) => [primaryKey({ columns: [t.generationId, t.format] }), index("document_outputs_blob").on(t.blobSha256)],
);

export type DocumentGeneration = typeof documentGenerations.$inferSelect;
export type DocumentOutput = typeof documentOutputs.$inferSelect;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
