import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { britishSpellings } from "../../app/modules/us-english.ts";
import { projectRoot } from "../support/server.ts";

/**
 * US English in every word of the interface a person reads: page titles, labels, hints, messages
 * and table headings (Developers' guide, non-negotiable 9). The source is read as TypeScript, so
 * only text is judged — JSX text, string and template literals — and never a name in the code, a
 * SQL statement (a `sql` tagged template names tables) or a URL path, which stay as they are.
 */

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Text a person may read: not an identifier-like key ("organisation", "platform:organisations"), not a path. */
const readable = (text: string) => !/^[a-z0-9_:.\-/]*$/.test(text) && !/^\/|^admin\//.test(text.trim());

function textsOf(file: string) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: { line: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source) === "sql") return;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    let text: string | null = null;
    if (ts.isJsxText(node)) text = node.text;
    else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) text = node.text;
    if (text !== null && readable(text))
      out.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe("the interface's wording", () => {
  it("is in US English on every page, label, hint and message", () => {
    const files = ["app", "server"].flatMap((dir) => filesUnder(path.join(projectRoot, dir)));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) =>
      textsOf(file).flatMap(({ line, text }) =>
        britishSpellings(text).map((b) => `${path.relative(projectRoot, file)}:${line}: “${b.found}” → “${b.use}”`),
      ),
    );
    expect(found).toEqual([]);
  });
});
