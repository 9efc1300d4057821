import type { z } from "zod";
import { catalogData } from "../../../db/catalog/index.ts";
import { type AgencyClause, type Choices, fieldMeta } from "./assemble.server.ts";
import { directivesIn, type Library, type TemplateDef } from "./library.server.ts";
import type { ClauseChoice, FormField } from "./model.ts";

/**
 * The generation form of a template, described from its zod schema and its
 * body (which clauses are optional, which offer alternative wordings), and
 * the posted form read back into values and clause choices. Nothing here
 * decides what is valid: the template's schema does.
 */

export const MAX_AGENCY_CLAUSES = 10;

function shapeOf(template: TemplateDef) {
  return (template.module?.variables.shape ?? {}) as Record<string, z.ZodType>;
}

/** Every clause directive of the body, in order, with whether the template lets it be left out. */
export function clauseSlots(template: TemplateDef) {
  return directivesIn(template.body, "leafDirective", "clause").map(({ attributes }) => ({
    id: attributes.id ?? "",
    optional: "optional" in attributes,
  }));
}

/** The condition (:::if) each conditional clause sits in, so the form says whether the answers include it. */
function clauseConditions(template: TemplateDef) {
  const out = new Map<string, Record<string, string | null | undefined>>();
  for (const node of template.body) {
    if (node.type !== "containerDirective" || node.name !== "if") continue;
    for (const { attributes } of directivesIn(node.children as typeof template.body, "leafDirective", "clause"))
      out.set(attributes.id ?? "", node.attributes ?? {});
  }
  return out;
}

/** For each optional clause, the promised requirements (manifest `covers`) that no other clause of the template addresses. */
function soleCovers(library: Library, template: TemplateDef) {
  const slots = clauseSlots(template);
  const promised = (ref: string) => template.manifest.covers.some((f) => ref.startsWith(`${f}:`));
  const addressedBy = new Map<string, string[]>();
  for (const slot of slots)
    for (const ref of library.clauses.get(slot.id)?.requirements ?? [])
      if (promised(ref)) addressedBy.set(ref, [...(addressedBy.get(ref) ?? []), slot.id]);
  return new Map(
    slots
      .filter((s) => s.optional)
      .map((s) => [s.id, [...addressedBy].filter(([, ids]) => ids.length === 1 && ids[0] === s.id).map(([ref]) => ref)]),
  );
}

/** Each catalog requirement's title, by "framework@version:code" (the form names what a clause addresses). */
const titles = new Map<string, string>(
  catalogData.frameworks.flatMap((f) =>
    f.requirements.map((r): [string, string] => [`${f.key}@${f.version}:${r.code}`, r.title]),
  ),
);

/** A requirement a clause addresses, as a person reads it: "IACP principle 3 (Ownership of agency data)". */
function requirementName(ref: string) {
  const [framework, code] = ref.split(":");
  const key = framework!.split("@")[0];
  const name =
    key === "iacp-provisions"
      ? `IACP provision ${code}`
      : key === "iacp-principles"
        ? `IACP principle ${code}`
        : key === "cjis-addendum"
          ? code === "CERT"
            ? "the CJIS Security Addendum's certification"
            : `CJIS Security Addendum section ${code}`
          : `CJIS ${code}`;
  const title = titles.get(ref);
  return title && code !== "CERT" ? `${name} (${title})` : name;
}

export function describeForm(library: Library, template: TemplateDef, values: Record<string, unknown>, choices: Choices) {
  const fields: FormField[] = Object.entries(shapeOf(template)).map(([name, schema]) => {
    const meta = fieldMeta(schema);
    const value = values[name];
    return {
      name,
      label: meta.label,
      hint: meta.hint,
      input: meta.input,
      options: meta.options ? Object.entries(meta.options).map(([v, label]) => ({ value: v, label })) : undefined,
      value: value === undefined || value === null ? "" : Array.isArray(value) ? value.join("\n") : String(value),
      checked: value === true,
    };
  });
  const excluded = new Set(choices.excluded);
  const conditions = clauseConditions(template);
  const sole = soleCovers(library, template);
  const predicates = template.module?.predicates ?? {};
  const clauses: ClauseChoice[] = clauseSlots(template).flatMap(({ id, optional }) => {
    const clause = library.clauses.get(id);
    if (!clause) return [];
    const condition = conditions.get(id);
    const applies = !condition
      ? null
      : condition.var
        ? values[condition.var] === true
        : condition.when
          ? Boolean(predicates[condition.when]?.(values))
          : false;
    return [
      {
        id,
        title: clause.title,
        optional,
        locked: clause.locked,
        wordings: clause.wordings.map((w) => ({ name: w.name, label: w.label })),
        wording: choices.wordings[id] ?? clause.wordings[0]!.name,
        included: !excluded.has(id),
        // In words a person reads ("IACP principle 3", "CJIS IR-6"), never the catalog's keys.
        requirements: clause.requirements.map(requirementName),
        applies,
        soleCover: (sole.get(id) ?? []).map(requirementName),
      },
    ];
  });
  const agencyClauses = [...choices.agencyClauses];
  while (agencyClauses.length < Math.min(MAX_AGENCY_CLAUSES, choices.agencyClauses.length + 2))
    agencyClauses.push({ title: "", text: "" });
  return {
    fields,
    clauses,
    agencyClauses,
    acceptsAgencyClauses: directivesIn(template.body, "leafDirective", "agency-clauses").length > 0,
  };
}

/** The posted form as candidate values (for the schema to judge) and clause choices (judged here). */
export function readForm(library: Library, template: TemplateDef, form: Record<string, string | string[]>) {
  const errors: Record<string, string> = {};
  const text = (name: string) => {
    const v = form[name];
    return typeof v === "string" ? v : "";
  };
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shapeOf(template))) {
    const meta = fieldMeta(schema);
    const raw = text(`v.${name}`).trim();
    if (meta.input === "checkbox") values[name] = raw === "on" || raw === "true";
    else if (meta.input === "number") {
      // People write "$5,000,000" and "99.9%": the figure is what counts.
      const figure = raw.replace(/[,$%\s]/g, "");
      values[name] = raw === "" ? undefined : figure !== "" && Number.isFinite(Number(figure)) ? Number(figure) : raw;
    } else if (meta.input === "lines")
      values[name] =
        raw === ""
          ? undefined
          : raw
              .split(/\r?\n/)
              .map((l) => l.trim())
              .filter(Boolean);
    else values[name] = raw === "" ? undefined : raw;
  }

  const slots = clauseSlots(template);
  const shown = text("clauses") === "shown";
  const included = new Set(Array.isArray(form.include) ? form.include : []);
  const excluded = shown ? slots.filter((s) => s.optional && !included.has(s.id)).map((s) => s.id) : [];
  const wordings: Record<string, string> = {};
  for (const slot of slots) {
    const clause = library.clauses.get(slot.id);
    const chosen = text(`w.${slot.id}`);
    if (!clause || !chosen) continue;
    if (!clause.wordings.some((w) => w.name === chosen)) {
      errors[`w.${slot.id}`] = clause.locked
        ? `“${clause.title}” is locked: it is taken whole, in its one wording.`
        : `Choose one of the wordings the library offers for “${clause.title}”.`;
    } else wordings[slot.id] = chosen;
  }
  for (const id of Array.isArray(form.include) ? form.include : []) {
    if (!slots.some((s) => s.id === id)) errors.clauses = `“${id}” is not a clause of this template.`;
  }

  const titles = Array.isArray(form.agencyTitle) ? form.agencyTitle : [];
  const texts = Array.isArray(form.agencyText) ? form.agencyText : [];
  const agencyClauses: AgencyClause[] = [];
  for (let i = 0; i < Math.max(titles.length, texts.length); i += 1) {
    const title = (titles[i] ?? "").trim();
    const body = (texts[i] ?? "").trim();
    if (!title && !body) continue;
    if (!title) errors[`agency.${i}`] = "Give this clause a title.";
    else if (!body) errors[`agency.${i}`] = "Write the text of this clause, or clear its title.";
    else if (title.length > 200) errors[`agency.${i}`] = "Keep the title under 200 characters.";
    else if (body.length > 4000) errors[`agency.${i}`] = "Keep the clause under 4,000 characters.";
    agencyClauses.push({ title, text: body });
  }
  if (agencyClauses.length > MAX_AGENCY_CLAUSES)
    errors["agency.0"] = `At most ${MAX_AGENCY_CLAUSES} clauses of the agency's own.`;

  const final = template.manifest.kind === "agreement" ? text("final") === "on" : true;
  return { values, choices: { excluded, wordings, agencyClauses } satisfies Choices, final, errors };
}

/** The schema's verdict on the values, as messages keyed by form field. */
export function validateValues(template: TemplateDef, values: Record<string, unknown>) {
  const result = template.module!.variables.safeParse(values);
  if (result.success) return { ok: true as const, values: result.data as Record<string, unknown> };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const name = `v.${String(issue.path[0] ?? "")}`;
    errors[name] ??= issue.message;
  }
  return { ok: false as const, errors };
}
