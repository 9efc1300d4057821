import { z } from "zod";
import { CJIS_PRIORITIES, FRAMEWORK_KINDS, RELATIONSHIPS, REQUIREMENT_KINDS } from "../schema/catalog.ts";

/**
 * The shape of the catalog data files. Everything here is our own drafting:
 * summaries paraphrase the source and cite it by name and section number.
 */

const text = (min = 1) => z.string().trim().min(min);

/** A reference to a requirement: "<framework key>@<version>:<code>", e.g. "cjis-policy@6.0:AC-2(3)". */
export const RequirementRef = z.string().regex(/^[a-z0-9-]+@[^:]+:.+$/, {
  message: "must look like framework@version:code",
});
export type RequirementRef = z.infer<typeof RequirementRef>;

export const RequirementData = z.object({
  code: text(),
  kind: z.enum(REQUIREMENT_KINDS),
  /** Code of the parent requirement in the same framework (area of a control, control of an enhancement). */
  parent: text().optional(),
  title: text(),
  summary: text(40),
  citation: text(),
  figure: text().optional(),
  priority: z.enum(CJIS_PRIORITIES).optional(),
});
export type RequirementData = z.infer<typeof RequirementData>;

export const FrameworkData = z.object({
  key: z.string().regex(/^[a-z0-9-]+$/),
  version: text(),
  kind: z.enum(FRAMEWORK_KINDS),
  title: text(),
  shortTitle: text(),
  publisher: text(),
  published: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { message: "must be YYYY, YYYY-MM or YYYY-MM-DD" }),
  citation: text(),
  description: text(40),
  requirements: z.array(RequirementData).min(1),
});
export type FrameworkData = z.infer<typeof FrameworkData>;

export const CrosswalkData = z.object({
  from: RequirementRef,
  to: RequirementRef,
  relationship: z.enum(RELATIONSHIPS),
  rationale: text(10),
});
export type CrosswalkData = z.infer<typeof CrosswalkData>;

export const EvidenceKindData = z.object({
  key: z.string().regex(/^[a-z0-9-]+$/),
  name: text(),
  description: text(40),
  renewalMonths: z.number().int().positive().optional(),
  eventDriven: z.boolean().default(false),
  /** Filed by the vendor as a notice (breach, legal process …) rather than requested as evidence. */
  notice: z.boolean().default(false),
  supports: z.array(RequirementRef).min(1),
});
export type EvidenceKindData = z.input<typeof EvidenceKindData>;

export const CatalogData = z.object({
  frameworks: z.array(FrameworkData).min(1),
  crosswalk: z.array(CrosswalkData),
  evidenceKinds: z.array(EvidenceKindData),
});
export type CatalogData = z.input<typeof CatalogData>;
export type ParsedCatalogData = z.output<typeof CatalogData>;
