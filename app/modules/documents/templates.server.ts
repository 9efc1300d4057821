import type { Permission } from "../access/permissions.ts";
import { type ModuleContext, NotFound } from "../context.server.ts";
import { checkAll } from "./check.server.ts";
import { library, type Library, type TemplateDef } from "./library.server.ts";
import { accessGovernanceSource } from "./sources/access.server.ts";
import { addendumSource, managementControlSource, slaSource } from "./sources/agreements.server.ts";
import { binderSource } from "./sources/binder.server.ts";
import {
  complianceReportSource,
  gapMemoSource,
  requestLetterSource,
  rosterCertificationSource,
} from "./sources/compliance.server.ts";
import { tcoSource } from "./sources/tco.server.ts";
import type { TemplateSource } from "./sources/types.ts";

/**
 * The templates a person may use: those whose data they may read, and only
 * those that pass the same check as `npm run templates:check` — a template
 * that fails it is listed with its problems and cannot be selected.
 */

export const SOURCES: Record<string, TemplateSource> = {
  "cjis-addendum": addendumSource,
  "sla-schedule": slaSource,
  "compliance-report": complianceReportSource,
  "gap-memo": gapMemoSource,
  "evidence-request-letter": requestLetterSource,
  "roster-certification": rosterCertificationSource,
  "access-governance-report": accessGovernanceSource,
  "tco-worksheet": tcoSource,
  "audit-binder": binderSource,
  "management-control-agreement": managementControlSource,
};

let checked: { lib: Library; problems: Map<string, string[]> } | null = null;

/** The library with each template's problems, checked once per process (templates change with a release). */
export function checkedLibrary(lib: Library = library()) {
  if (checked?.lib === lib) return checked;
  const { byTemplate } = checkAll(lib);
  const problems = new Map<string, string[]>();
  for (const [id, list] of byTemplate)
    problems.set(id, [...(SOURCES[id] ? [] : ["the documents module has no data source for it"]), ...list.map((p) => p.message)]);
  checked = { lib, problems };
  return checked;
}

function permitted(ctx: ModuleContext, template: TemplateDef) {
  return template.manifest.needs.every((p) => ctx.actor.permissions.has(p as Permission));
}

function summaryOf(template: TemplateDef, problems: string[]) {
  const m = template.manifest;
  return {
    id: m.id,
    title: m.title,
    kind: m.kind,
    version: m.version,
    owner: m.owner,
    approved: m.approved,
    subject: m.subject,
    description: m.description,
    formats: m.formats,
    problems,
    usable: problems.length === 0,
  };
}

export function listTemplates(ctx: ModuleContext) {
  const { lib, problems } = checkedLibrary();
  return [...lib.templates.values()].filter((t) => permitted(ctx, t)).map((t) => summaryOf(t, problems.get(t.manifest.id) ?? []));
}

/** A template the actor may use (NotFound for an unknown one or one whose data they may not read). */
export function templateFor(ctx: ModuleContext, templateId: string) {
  const { lib, problems } = checkedLibrary();
  const template = lib.templates.get(templateId);
  if (!template || !permitted(ctx, template)) throw new NotFound("template", templateId);
  return { lib, template, source: SOURCES[templateId]!, summary: summaryOf(template, problems.get(templateId) ?? []) };
}
