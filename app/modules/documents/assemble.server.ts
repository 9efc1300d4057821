import type { ListItem as MdListItem, PhrasingContent, RootContent } from "mdast";
import type { z } from "zod";
import type { FieldMeta } from "../../../templates/index.ts";
import type { Library, TemplateDef } from "./library.server.ts";
import { formatCount, formatLongDay, formatNumber, formatPercent, formatUsd } from "../format.ts";
import { type Block, type ChartBlock, type DocumentModel, type Inline, type ListItem, type TableBlock } from "./model.ts";

/**
 * Template + clause library + validated inputs → one document model. Numbers
 * (1, 1.1, (a)) are given once, here, after conditions and exclusions, and
 * every cross-reference is resolved against them, so a removed clause moves
 * the numbers of the others and every reference to them follows.
 */

export type AgencyClause = { title: string; text: string };
export type Choices = { excluded: string[]; wordings: Record<string, string>; agencyClauses: AgencyClause[] };
/** Paragraphs a source writes from the records (a document's opening, stating what was and was not assessed). */
export type TextBlock = { t: "paras"; paragraphs: string[] };
export type SourceData = Record<string, TableBlock | ChartBlock | TextBlock>;

/** A problem a person can fix in the form; field names the form field it belongs to. */
export class AssemblyProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export function fieldMeta(schema: z.ZodType): FieldMeta {
  return (schema.meta() ?? { label: "value", input: "text" }) as FieldMeta;
}

const listFormat = new Intl.ListFormat("en-US", { style: "long", type: "conjunction" });

export function formatValue(meta: FieldMeta, value: unknown): string {
  if (value === undefined || value === null || value === "") return "";
  // A bracketed placeholder ("[Governing law]") stands for a value still to be agreed.
  if (typeof value === "string" && /^\[.*\]$/.test(value)) return value;
  if (meta.input === "select" && meta.options) return meta.options[String(value)] ?? String(value);
  switch (meta.format) {
    case "money":
      return formatUsd(Number(value));
    case "date":
      return formatLongDay(String(value));
    case "percent":
      return formatPercent(Number(value));
    case "list":
      return listFormat.format((value as string[]).map(String));
    case "address":
      // An address keeps its lines: each renderer breaks the line where the person did.
      return String(value)
        .split(/\r?\n/)
        .map((l) => l.replace(/[ \t]+/g, " ").trim())
        .filter(Boolean)
        .join("\n");
  }
  if (meta.unit && typeof value === "number") return formatCount(value, meta.unit);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return formatNumber(value);
  // A value sits inside a sentence: line breaks (an address typed on several lines) become spaces.
  return String(value)
    .replace(/\s*\n\s*/g, ", ")
    .replace(/[ \t]+/g, " ");
}

const letters = (n: number) => `(${String.fromCharCode(97 + (n % 26))}${n >= 26 ? String(Math.floor(n / 26)) : ""})`;
const roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"];

type Planned =
  | { p: "heading"; level: 1 | 2 | 3; number: string | null; text: string }
  | { p: "nodes"; nodes: RootContent[] }
  | { p: "clause"; id: string; number: string }
  | { p: "agency"; index: number; number: string }
  | { p: "source"; name: string }
  | { p: "signatures"; vars: string[] };

type Input = {
  library: Library;
  template: TemplateDef;
  values: Record<string, unknown>;
  choices: Choices;
  sources: SourceData;
  final: boolean;
  inputsSha256: string;
  generatedAt: Date;
};

export function assemble(input: Input): DocumentModel {
  const { library, template, values, choices, sources } = input;
  const shape = template.module?.variables.shape ?? {};
  const excluded = new Set(choices.excluded);
  const predicates = template.module?.predicates ?? {};

  // Pass 1: what is in the document, in order, with its number.
  const plan: Planned[] = [];
  let article = 0;
  let inArticle = 0;
  let topLevel = 0;
  const numbers = new Map<string, string>();
  const nextClauseNumber = () => (article > 0 ? `${article}.${++inArticle}` : `${++topLevel}`);
  const walk = (nodes: RootContent[]) => {
    for (const node of nodes) {
      if (node.type === "heading") {
        const text = plainText(node.children);
        if (node.depth === 1) plan.push({ p: "heading", level: 1, number: null, text });
        else if (node.depth === 2) {
          article += 1;
          inArticle = 0;
          plan.push({ p: "heading", level: 2, number: String(article), text });
        } else plan.push({ p: "heading", level: 3, number: null, text });
      } else if (node.type === "leafDirective" && node.name === "clause") {
        const id = node.attributes?.id ?? "";
        if (excluded.has(id)) continue;
        const number = nextClauseNumber();
        numbers.set(id, number);
        plan.push({ p: "clause", id, number });
      } else if (node.type === "containerDirective" && node.name === "if") {
        const attrs = node.attributes ?? {};
        const holds = attrs.var ? values[attrs.var] === true : attrs.when ? Boolean(predicates[attrs.when]?.(values)) : false;
        if (holds) walk(node.children as RootContent[]);
      } else if (node.type === "leafDirective" && node.name === "agency-clauses") {
        if (choices.agencyClauses.length === 0) continue;
        article += 1;
        inArticle = 0;
        plan.push({ p: "heading", level: 2, number: String(article), text: "Additional terms of the Agency" });
        choices.agencyClauses.forEach((_, index) => plan.push({ p: "agency", index, number: nextClauseNumber() }));
      } else if (node.type === "leafDirective" && (node.name === "table" || node.name === "chart" || node.name === "text")) {
        plan.push({ p: "source", name: node.attributes?.source ?? "" });
      } else if (node.type === "leafDirective" && node.name === "signatures") {
        plan.push({ p: "signatures", vars: (node.attributes?.for ?? "").split(/\s+/).filter(Boolean) });
      } else {
        const last = plan.at(-1);
        if (last?.p === "nodes") last.nodes.push(node);
        else plan.push({ p: "nodes", nodes: [node] });
      }
    }
  };
  walk(template.body);

  // Pass 2: the blocks, with variables filled and references resolved.
  const converter = new Converter(shape, values, numbers);
  const blocks: Block[] = [];
  for (const item of plan) {
    switch (item.p) {
      case "heading":
        blocks.push({ t: "heading", level: item.level, number: item.number, text: item.text, anchor: null });
        break;
      case "nodes":
        blocks.push(...converter.blocks(item.nodes));
        break;
      case "clause": {
        const clause = library.clauses.get(item.id);
        if (!clause) throw new AssemblyProblem("clauses", `The template names a clause “${item.id}” the library does not have.`);
        const wordingName = choices.wordings[item.id];
        const wording = clause.wordings.find((w) => w.name === wordingName) ?? clause.wordings[0]!;
        converter.clauseId = item.id;
        blocks.push({
          t: "clause",
          id: clause.id,
          version: clause.version,
          number: item.number,
          title: clause.title,
          locked: clause.locked,
          requirements: clause.requirements,
          wording: clause.wordings.length > 1 ? wording.name : null,
          origin: "library",
          blocks: converter.blocks(wording.nodes),
        });
        break;
      }
      case "agency": {
        const added = choices.agencyClauses[item.index]!;
        blocks.push({
          t: "clause",
          id: `agency-${item.index + 1}`,
          version: "1.0.0",
          number: item.number,
          title: added.title,
          locked: false,
          requirements: [],
          wording: null,
          origin: "agency",
          blocks: added.text
            .split(/\n\s*\n/)
            .map((p) => p.replace(/\s+/g, " ").trim())
            .filter(Boolean)
            .map((text): Block => ({ t: "para", inlines: [{ t: "text", text }] })),
        });
        break;
      }
      case "source": {
        const data = sources[item.name];
        if (!data) throw new Error(`source ${item.name} was not provided for ${template.manifest.id}`);
        if (data.t === "paras")
          blocks.push(...data.paragraphs.map((text): Block => ({ t: "para", inlines: [{ t: "text", text }] })));
        else blocks.push(data);
        break;
      }
      case "signatures":
        blocks.push({
          t: "signatures",
          parties: item.vars.map((name) => ({
            organisation: String(values[name] ?? ""),
            role: signatoryRole(fieldMeta(shape[name] as z.ZodType).label),
          })),
        });
        break;
    }
  }
  const title = blocks.find((b) => b.t === "heading" && b.level === 1);
  return {
    templateId: template.manifest.id,
    templateVersion: template.manifest.version,
    kind: template.manifest.kind,
    title: title?.t === "heading" ? title.text : template.manifest.title,
    subtitle: String(values.subtitle ?? ""),
    language: "en-US",
    final: input.final,
    inputsSha256: input.inputsSha256,
    generatedAt: input.generatedAt.toISOString(),
    blocks,
  };
}

/** "Agency (legal name)" signs "For the Agency". */
function signatoryRole(label: string) {
  return `For the ${label.replace(/\s*\(.*\)\s*$/, "")}`;
}

function plainText(nodes: PhrasingContent[]): string {
  return nodes.map((n) => ("value" in n ? n.value : "children" in n ? plainText(n.children as PhrasingContent[]) : "")).join("");
}

class Converter {
  clauseId = "";
  constructor(
    private readonly shape: Record<string, unknown>,
    private readonly values: Record<string, unknown>,
    private readonly numbers: Map<string, string>,
  ) {}

  blocks(nodes: RootContent[]): Block[] {
    const out: Block[] = [];
    for (const node of nodes) {
      if (node.type === "paragraph") out.push({ t: "para", inlines: this.inlines(node.children) });
      else if (node.type === "list")
        out.push({
          t: "list",
          ordered: Boolean(node.ordered),
          items: node.children.flatMap((item, i) => this.item(item, i, Boolean(node.ordered), 0)),
        });
      else if (node.type === "heading")
        out.push({ t: "heading", level: 3, number: null, text: plainText(node.children), anchor: null });
    }
    return out;
  }

  private item(item: MdListItem, index: number, ordered: boolean, depth: number): ListItem[] {
    const label = ordered ? (depth === 0 ? letters(index) : `(${roman[index] ?? index + 1})`) : "•";
    const own: ListItem = { label, inlines: [] };
    const nested: ListItem[] = [];
    for (const child of item.children) {
      if (child.type === "paragraph") own.inlines.push(...this.inlines(child.children));
      else if (child.type === "list")
        nested.push(...child.children.flatMap((c, i) => this.item(c, i, Boolean(child.ordered), depth + 1)));
    }
    return [own, ...nested.map((n) => ({ ...n, label: `${label}${n.label}` }))];
  }

  inlines(nodes: PhrasingContent[], marks: { strong?: boolean; em?: boolean } = {}): Inline[] {
    const out: Inline[] = [];
    for (const node of nodes) {
      switch (node.type) {
        case "text":
          out.push({ t: "text", text: node.value.replace(/\s*\n\s*/g, " "), ...marks });
          break;
        case "inlineCode":
          out.push({ t: "text", text: node.value, ...marks });
          break;
        case "break":
          out.push({ t: "text", text: " " });
          break;
        case "strong":
          out.push(...this.inlines(node.children, { ...marks, strong: true }));
          break;
        case "emphasis":
          out.push(...this.inlines(node.children, { ...marks, em: true }));
          break;
        case "link":
          out.push({ t: "link", href: node.url, text: plainText(node.children) });
          break;
        case "textDirective": {
          const label = plainText(node.children as PhrasingContent[]).trim();
          if (node.name === "var") {
            const schema = this.shape[label] as z.ZodType | undefined;
            const meta = schema ? fieldMeta(schema) : null;
            const text = meta ? formatValue(meta, this.values[label]) : "";
            out.push(
              meta?.format === "url" && /^https?:\/\//.test(text)
                ? { t: "link", href: text, text }
                : { t: "var", name: label, text },
            );
          } else if (node.name === "term") out.push({ t: "term", text: label });
          else if (node.name === "dfn") out.push({ t: "dfn", text: label });
          else if (node.name === "ref") {
            const number = this.numbers.get(label);
            if (!number)
              throw new AssemblyProblem(
                "clauses",
                `Clause “${this.clauseId}” refers to “${label}”, which is not in this document. Keep “${label}”, or remove the clause that refers to it.`,
              );
            out.push({ t: "ref", target: label, text: `section ${number}` });
          }
          break;
        }
      }
    }
    return out;
  }
}
