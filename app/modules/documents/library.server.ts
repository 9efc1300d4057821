import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Root, RootContent } from "mdast";
import remarkDirective from "remark-directive";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { templateModules, type TemplateModule } from "../../../templates/index.ts";

/**
 * The template system's files, read from `templates/`: the clause library and
 * one folder per template (manifest.yaml, schema.ts, body.md). Markdown with
 * directives is parsed by remark; nothing in a template is ever evaluated —
 * conditions name a boolean variable or a predicate written in schema.ts.
 */

const TEMPLATES_DIR = path.resolve(process.env.TEMPLATES_DIR ?? "templates");

const semver = z.string().regex(/^\d+\.\d+\.\d+$/, { message: "must be a semantic version such as 1.2.0" });
const requirementRef = z.string().regex(/^[a-z0-9-]+@[^:]+:.+$/, { message: "must look like framework@version:code" });

export const Manifest = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(3),
  kind: z.enum(["agreement", "report"]),
  version: semver,
  owner: z.string().min(2),
  approved: z.iso.date(),
  /** What the document is generated for. */
  subject: z.enum(["contract", "vendor", "agency"]),
  description: z.string().min(20),
  /** Output formats; the audit binder is PDF only. */
  formats: z.array(z.enum(["docx", "pdf"])).min(1),
  /** Data tables and charts the body may place (filled by the documents module, never typed in). */
  sources: z.array(z.string()).default([]),
  /** Catalog requirements (framework@version, every requirement of it) the clauses must cover between them. */
  covers: z.array(z.string().regex(/^[a-z0-9-]+@[^:]+$/)).default([]),
  /** Role permissions needed beyond document:generate to read the data the document shows. */
  needs: z.array(z.string()).default([]),
});
export type Manifest = z.infer<typeof Manifest>;

const ClauseFront = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  version: semver,
  title: z.string().min(3),
  requirements: z.array(requirementRef).default([]),
  locked: z.boolean().default(false),
});

export type Wording = { name: string; label: string; nodes: RootContent[] };
export type ClauseDef = z.infer<typeof ClauseFront> & { file: string; wordings: Wording[]; textSha256: string };
export type TemplateDef = { manifest: Manifest; dir: string; body: RootContent[]; module: TemplateModule | undefined };
export type Library = {
  clauses: Map<string, ClauseDef>;
  templates: Map<string, TemplateDef>;
  lockedPrints: Record<string, { version: string; sha256: string }>;
  loadErrors: { file: string; message: string }[];
};

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ["yaml"]).use(remarkDirective);

export function parseMarkdown(source: string): { front: unknown; nodes: RootContent[] } {
  const tree = processor.parse(source) as Root;
  const yamlNode = tree.children.find((n) => n.type === "yaml");
  return { front: yamlNode ? parseYaml(yamlNode.value) : null, nodes: tree.children.filter((n) => n.type !== "yaml") };
}

/** The fingerprint of a clause's text: its body after the front matter, with line endings and edges normalised. */
export function clauseTextSha256(source: string) {
  const body = source
    .replace(/\r\n/g, "\n")
    .replace(/^---\n[\s\S]*?\n---\n/, "")
    .trim();
  return createHash("sha256").update(body).digest("hex");
}

function issues(error: z.ZodError) {
  return error.issues.map((i) => `${i.path.join(".") || "(file)"} ${i.message}`).join("; ");
}

function loadClause(file: string, loadErrors: Library["loadErrors"]): ClauseDef | null {
  const source = readFileSync(file, "utf8");
  const { front, nodes } = parseMarkdown(source);
  const parsed = ClauseFront.safeParse(front);
  if (!parsed.success) {
    loadErrors.push({ file, message: `front matter: ${issues(parsed.error)}` });
    return null;
  }
  const containers = nodes.filter((n) => n.type === "containerDirective" && n.name === "wording");
  let wordings: Wording[];
  if (containers.length === 0) {
    wordings = [{ name: "standard", label: "Standard wording", nodes }];
  } else {
    if (containers.length !== nodes.length)
      loadErrors.push({ file, message: "a clause with alternative wordings holds nothing outside its :::wording blocks" });
    wordings = containers.map((c) => {
      const attrs = c.type === "containerDirective" ? (c.attributes ?? {}) : {};
      return {
        name: attrs.name ?? "",
        label: attrs.label ?? attrs.name ?? "",
        nodes: c.type === "containerDirective" ? (c.children as RootContent[]) : [],
      };
    });
    for (const w of wordings)
      if (!/^[a-z0-9-]+$/.test(w.name))
        loadErrors.push({ file, message: `wording name “${w.name}” must be lower-case letters, digits and hyphens` });
  }
  if (path.basename(file, ".md") !== parsed.data.id)
    loadErrors.push({ file, message: `the file is named ${path.basename(file)} but its id is ${parsed.data.id}` });
  return { ...parsed.data, file, wordings, textSha256: clauseTextSha256(source) };
}

export function loadLibrary(dir = TEMPLATES_DIR): Library {
  const loadErrors: Library["loadErrors"] = [];
  const clauses = new Map<string, ClauseDef>();
  const clauseDir = path.join(dir, "clauses");
  for (const name of readdirSync(clauseDir)
    .filter((n) => n.endsWith(".md"))
    .sort()) {
    const clause = loadClause(path.join(clauseDir, name), loadErrors);
    if (clause) clauses.set(clause.id, clause);
  }
  let lockedPrints: Library["lockedPrints"] = {};
  try {
    lockedPrints = JSON.parse(readFileSync(path.join(clauseDir, "locked.json"), "utf8"));
  } catch (error) {
    loadErrors.push({ file: path.join(clauseDir, "locked.json"), message: `cannot be read: ${(error as Error).message}` });
  }
  const templates = new Map<string, TemplateDef>();
  for (const name of readdirSync(dir).sort()) {
    const folder = path.join(dir, name);
    if (name === "clauses" || !statSync(folder).isDirectory()) continue;
    const manifestFile = path.join(folder, "manifest.yaml");
    let manifestRaw: unknown;
    let bodySource: string;
    try {
      manifestRaw = parseYaml(readFileSync(manifestFile, "utf8"));
      bodySource = readFileSync(path.join(folder, "body.md"), "utf8");
    } catch (error) {
      loadErrors.push({ file: folder, message: `manifest.yaml and body.md must both be readable: ${(error as Error).message}` });
      continue;
    }
    const manifest = Manifest.safeParse(manifestRaw);
    if (!manifest.success) {
      loadErrors.push({ file: manifestFile, message: issues(manifest.error) });
      continue;
    }
    if (manifest.data.id !== name)
      loadErrors.push({ file: manifestFile, message: `the folder is ${name} but the manifest's id is ${manifest.data.id}` });
    templates.set(manifest.data.id, {
      manifest: manifest.data,
      dir: folder,
      body: parseMarkdown(bodySource).nodes,
      module: templateModules[manifest.data.id],
    });
  }
  return { clauses, templates, lockedPrints, loadErrors };
}

/** Every directive of a kind in some Markdown (a template body), at any depth, in order. */
export function directivesIn(nodes: RootContent[], type: "leafDirective" | "containerDirective", name: string) {
  const out: { attributes: Record<string, string | null | undefined> }[] = [];
  const visit = (node: RootContent) => {
    if (node.type === type && node.name === name) out.push({ attributes: node.attributes ?? {} });
    if ("children" in node) (node.children as RootContent[]).forEach(visit);
  };
  nodes.forEach(visit);
  return out;
}

let cached: Library | null = null;
/** The library of the running server, read once (templates change with a release, not at run time). */
export function library() {
  cached ??= loadLibrary();
  return cached;
}

/** Serve another library from now on (tests show what the server does with a broken one). */
export function replaceLibrary(lib: Library | null) {
  cached = lib;
}
