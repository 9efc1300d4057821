import path from "node:path";
import type { Nodes, RootContent } from "mdast";
import { catalogData } from "../../../db/catalog/index.ts";
import type { z } from "zod";
import { britishSpellings } from "../us-english.ts";
import { directivesIn, type Library, type TemplateDef } from "./library.server.ts";

const dedupe = <T extends { found: string }>(items: T[]) => [...new Map(items.map((i) => [i.found.toLowerCase(), i])).values()];

/**
 * What `npm run templates:check` enforces, and what the server checks before
 * it offers a template: every variable defined by the schema, every clause in
 * the library, every cross-reference to a clause of the same template, every
 * defined term defined once and used, every locked clause unchanged, and the
 * requirements the template promises to cover covered.
 */

export type Problem = { template: string | null; file: string; message: string };

const LEAF = new Set(["clause", "table", "chart", "text", "signatures", "agency-clauses"]);
const CONTAINER_IN_BODY = new Set(["if"]);
const TEXT = new Set(["var", "term", "dfn", "ref"]);

type Found = { vars: string[]; terms: string[]; dfns: string[]; refs: string[]; unknown: string[]; prose: string[] };

/** Capitalised words after "the" that name something other than a defined term: the parties and proper names. */
const PROPER_NAMES = new Set(["Agency", "Provider", "CJIS", "FBI", "IACP", "United", "SHA", "Commonwealth", "State"]);

function children(node: Nodes): Nodes[] {
  return "children" in node ? (node.children as Nodes[]) : [];
}

function label(node: Nodes) {
  return children(node)
    .map((c) => ("value" in c ? c.value : ""))
    .join("")
    .trim();
}

/** Variables, terms, references and unknown directives in some Markdown nodes. */
function scan(nodes: RootContent[], containers: Set<string>): Found {
  const found: Found = { vars: [], terms: [], dfns: [], refs: [], unknown: [], prose: [] };
  const visit = (node: Nodes) => {
    if (node.type === "text") found.prose.push(node.value);
    if (node.type === "textDirective") {
      if (!TEXT.has(node.name)) found.unknown.push(`:${node.name}`);
      else if (node.name === "var") found.vars.push(label(node));
      else if (node.name === "term") found.terms.push(label(node));
      else if (node.name === "dfn") found.dfns.push(label(node));
      else if (node.name === "ref") found.refs.push(label(node));
      return;
    }
    if (node.type === "leafDirective" && !LEAF.has(node.name)) found.unknown.push(`::${node.name}`);
    if (node.type === "containerDirective" && !containers.has(node.name)) found.unknown.push(`:::${node.name}`);
    children(node).forEach(visit);
  };
  nodes.forEach((n) => visit(n as Nodes));
  return found;
}

const catalogCodes = new Map(catalogData.frameworks.map((f) => [`${f.key}@${f.version}`, f.requirements.map((r) => r.code)]));

export function checkTemplate(lib: Library, template: TemplateDef): Problem[] {
  const problems: Problem[] = [];
  const id = template.manifest.id;
  const say = (message: string, file = path.join(template.dir, "body.md")) => problems.push({ template: id, file, message });
  const module = template.module;
  if (!module) say(`no schema: templates/index.ts does not register ${id}`, path.join(template.dir, "schema.ts"));
  const shape = module?.variables.shape ?? {};
  const predicates = module?.predicates ?? {};

  const body = scan(template.body, CONTAINER_IN_BODY);
  for (const name of body.unknown) say(`unknown directive ${name}`);
  const all: Found = { ...body };

  const used = directivesIn(template.body, "leafDirective", "clause").map((d) => ({
    id: d.attributes.id ?? "",
    optional: "optional" in d.attributes,
  }));
  const usedIds = new Set(used.map((u) => u.id));
  const covered = new Set<string>();
  for (const { id: clauseId, optional } of used) {
    const clause = lib.clauses.get(clauseId);
    if (!clause) {
      say(`unknown clause “${clauseId}”: there is no templates/clauses/${clauseId}.md`);
      continue;
    }
    if (clause.locked && optional) say(`clause “${clauseId}” is locked and must be taken whole; it cannot be optional`);
    clause.requirements.forEach((r) => covered.add(r));
    for (const wording of clause.wordings) {
      const found = scan(wording.nodes, new Set());
      for (const name of found.unknown) problems.push({ template: id, file: clause.file, message: `unknown directive ${name}` });
      all.vars.push(...found.vars);
      all.terms.push(...found.terms);
      all.dfns.push(...found.dfns);
      all.prose.push(...found.prose);
      all.refs.push(...found.refs.map((r) => `${r}\u0000${clauseId}`));
    }
  }
  if (used.length !== usedIds.size) say("a clause appears more than once");

  for (const name of new Set(all.vars)) if (!(name in shape)) say(`undefined variable “${name}”: the schema has no such field`);
  for (const ref of new Set(all.refs)) {
    const [target, from] = ref.split("\u0000");
    if (!usedIds.has(target!))
      say(`broken cross-reference${from ? ` in clause “${from}”` : ""}: “${target}” is not a clause of this template`);
  }
  // US English in every word a reader sees: the body, the clauses, their titles and the form's labels.
  const readable = [
    ...all.prose,
    ...used.map((u) => lib.clauses.get(u.id)?.title ?? ""),
    template.manifest.title,
    template.manifest.description,
    ...Object.values(shape).flatMap((field) => {
      const meta = (field as z.ZodType).meta() as { label?: string; hint?: string } | undefined;
      return [meta?.label ?? "", meta?.hint ?? ""];
    }),
  ];
  for (const { found, use } of dedupe(readable.flatMap(britishSpellings)))
    say(`British spelling “${found}”: write “${use}” (US English)`);
  // CJIS requirements are cited by control identifier; the section numbers 5.11–5.19 are our unverified reading (decision 0005).
  for (const section of new Set(readable.flatMap((t) => [...t.matchAll(UNVERIFIED_SECTION)].map((m) => m[1]!))))
    say(
      `cites CJIS Security Policy section ${section} by number, which is Custody's unverified reading of the policy's numbering: cite the control identifier (such as CP-9 or PS-3) instead`,
    );
  const defined = new Set(all.dfns);
  // A capitalised "the Service" in plain text reads as a defined term: it must be one, written :term[Service].
  for (const word of new Set(all.prose.flatMap((t) => [...t.matchAll(/\bthe ([A-Z][a-z]+)\b/g)].map((m) => m[1]!))))
    if (!PROPER_NAMES.has(word) && !defined.has(word))
      say(
        `“the ${word}” is written as a defined term but no clause defines it: define it with :dfn[${word}] and write it as :term[${word}]`,
      );
  const usedTerms = new Set(all.terms);
  for (const term of usedTerms) if (!defined.has(term)) say(`undefined term “${term}”: no clause defines it with :dfn[${term}]`);
  for (const term of defined)
    if (!usedTerms.has(term)) say(`unused defined term “${term}”: it is defined but never used with :term[${term}]`);

  for (const { attributes } of directivesIn(template.body, "containerDirective", "if")) {
    if (attributes.var) {
      const field = shape[attributes.var] as { def?: { type?: string } } | undefined;
      if (!field) say(`condition on undefined variable “${attributes.var}”`);
      else if (field.def?.type !== "boolean") say(`condition on “${attributes.var}”, which is not a yes/no variable`);
    } else if (attributes.when) {
      if (!(attributes.when in predicates))
        say(`condition on unknown predicate “${attributes.when}”: schema.ts does not define it`);
    } else say(":::if needs var=<yes/no variable> or when=<predicate>");
  }
  for (const kind of ["table", "chart", "text"] as const) {
    for (const { attributes } of directivesIn(template.body, "leafDirective", kind)) {
      if (!template.manifest.sources.includes(attributes.source ?? ""))
        say(`::${kind} names source “${attributes.source ?? ""}”, which the manifest does not list`);
    }
  }
  // A document that summarises coverage states what was assessed before it summarises anything (truth before polish).
  const COVERAGE_SOURCES = ["summary", "coverage", "gaps"];
  if (template.manifest.sources.some((s) => COVERAGE_SOURCES.includes(s))) {
    const order = template.body.flatMap((node) =>
      node.type === "leafDirective" && ["table", "text", "chart"].includes(node.name)
        ? [`${node.name}:${node.attributes?.source ?? ""}`]
        : [],
    );
    const opening = order.indexOf("text:opening");
    if (opening < 0 || order.slice(0, opening).length > 0)
      say("summarizes coverage without first stating what was assessed: place ::text{source=opening} before every table");
  }
  for (const { attributes } of directivesIn(template.body, "leafDirective", "signatures")) {
    if (!(attributes.for ?? "").trim()) say(`a signature block must name its parties: ::signatures{for="<variable> <variable>"}`);
    for (const name of (attributes.for ?? "").split(/\s+/).filter(Boolean))
      if (!(name in shape)) say(`signature block names undefined variable “${name}”`);
  }
  for (const framework of template.manifest.covers) {
    const codes = catalogCodes.get(framework);
    if (!codes) {
      say(`covers unknown framework ${framework}`, path.join(template.dir, "manifest.yaml"));
      continue;
    }
    const missing = codes.filter((code) => !covered.has(`${framework}:${code}`));
    if (missing.length > 0)
      say(
        `promises to cover ${framework} but no clause addresses ${missing.join(", ")}`,
        path.join(template.dir, "manifest.yaml"),
      );
  }
  return problems;
}

/** A CJIS citation by a section number of policy areas 5.11–5.19 ("CJIS Security Policy 5.13.1"). */
const UNVERIFIED_SECTION = /CJIS[^.;:]{0,60}?\b(5\.1[1-9](?:\.\d+)*)\b/g;

/** Problems of the library itself: unreadable files, unknown requirements, locked clauses whose text changed. */
export function checkLibrary(lib: Library): Problem[] {
  const problems: Problem[] = lib.loadErrors.map((e) => ({ template: null, file: e.file, message: e.message }));
  for (const clause of lib.clauses.values()) {
    for (const ref of clause.requirements) {
      const [framework, code] = [ref.slice(0, ref.indexOf(":")), ref.slice(ref.indexOf(":") + 1)];
      if (!catalogCodes.get(framework)?.includes(code))
        problems.push({ template: null, file: clause.file, message: `requirement ${ref} is not in the catalog` });
      else if (framework.startsWith("cjis-policy@") && /^5\.1[1-9](\.|$)/.test(code))
        problems.push({
          template: null,
          file: clause.file,
          message: `requirement ${ref} names a CJIS policy area by its section number, which is Custody's unverified reading: name the control identifier instead`,
        });
    }
    const print = lib.lockedPrints[clause.id];
    if (clause.locked) {
      if (!print)
        problems.push({
          template: null,
          file: clause.file,
          message: `locked clause “${clause.id}” has no fingerprint in clauses/locked.json`,
        });
      else if (print.version !== clause.version || print.sha256 !== clause.textSha256) {
        problems.push({
          template: null,
          file: clause.file,
          message: `locked clause “${clause.id}” changed: its text no longer matches the fingerprint of version ${print.version} in clauses/locked.json. A locked clause is taken whole; restore its text.`,
        });
      }
      if (clause.wordings.length > 1)
        problems.push({
          template: null,
          file: clause.file,
          message: `locked clause “${clause.id}” cannot offer alternative wordings`,
        });
    } else if (print) {
      problems.push({
        template: null,
        file: clause.file,
        message: `clause “${clause.id}” has a lock fingerprint but is not marked locked`,
      });
    }
  }
  return problems;
}

export function checkAll(lib: Library) {
  const library = checkLibrary(lib);
  const byTemplate = new Map<string, Problem[]>();
  for (const template of lib.templates.values()) byTemplate.set(template.manifest.id, checkTemplate(lib, template));
  // A library problem in a clause a template uses makes that template unusable too.
  for (const template of lib.templates.values()) {
    const files = new Set(
      directivesIn(template.body, "leafDirective", "clause").map((d) => lib.clauses.get(d.attributes.id ?? "")?.file),
    );
    byTemplate
      .get(template.manifest.id)!
      .push(...library.filter((p) => files.has(p.file)).map((p) => ({ ...p, template: template.manifest.id })));
  }
  return { library, byTemplate };
}
