import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { projectRoot } from "./server.ts";

/**
 * NIST's own JSON Schemas for OSCAL 1.0.6, kept outside the project (../shared/oscal-1.0.6, or
 * OSCAL_SCHEMA_DIR). Where they are absent (a user's own clone) the OSCAL schema tests skip with a
 * one-line notice; under CI they are required, as the browser is.
 */
export const OSCAL_SCHEMA_DIR = process.env.OSCAL_SCHEMA_DIR ?? path.resolve(projectRoot, "..", "shared", "oscal-1.0.6");
export const oscalSchemasPresent = existsSync(path.join(OSCAL_SCHEMA_DIR, "oscal_catalog_schema.json"));
if (!oscalSchemasPresent) {
  if (process.env.CI) throw new Error(`The OSCAL 1.0.6 schemas are required under CI and are not in ${OSCAL_SCHEMA_DIR}.`);
  console.warn(`Skipping the OSCAL schema checks: NIST's OSCAL 1.0.6 schemas are not in ${OSCAL_SCHEMA_DIR}.`);
}

const FILES = {
  catalog: "oscal_catalog_schema.json",
  "component-definition": "oscal_component_schema.json",
  "assessment-results": "oscal_assessment-results_schema.json",
  "plan-of-action-and-milestones": "oscal_poam_schema.json",
} as const;
export type OscalModel = keyof typeof FILES;

const compiled = new Map<OscalModel, ValidateFunction>();
// ajv-formats is a CommonJS module: its function is the default export's default under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** The schema's complaints about a document, as readable lines (none when it is valid). */
export function oscalErrors(model: OscalModel, document: unknown): string[] {
  let validate = compiled.get(model);
  if (!validate) {
    // Ajv 8 with its default unicodeRegExp (the token patterns use \p{L}); strict off for NIST's draft-07 keywords.
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(path.join(OSCAL_SCHEMA_DIR, FILES[model]), "utf8")));
    compiled.set(model, validate);
  }
  if (validate(document)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
}
