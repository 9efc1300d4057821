import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { checkAll } from "../../app/modules/documents/check.server.ts";
import { readForm } from "../../app/modules/documents/form.server.ts";
import { loadLibrary } from "../../app/modules/documents/library.server.ts";
import { clausesOf } from "../../app/modules/documents/model.ts";
import { addendumModel } from "../support/documents.ts";
import { projectRoot } from "../support/server.ts";

/** The template library: what `npm run templates:check` refuses, and how numbering and references behave. */

const shipped = path.join(projectRoot, "templates");
const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the library with one file changed, as a careless edit would change it. */
function libraryWith(file: string, change: (text: string) => string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "custody-templates-"));
  copies.push(dir);
  cpSync(shipped, dir, { recursive: true });
  const target = path.join(dir, file);
  const before = readFileSync(target, "utf8");
  const after = change(before);
  expect(after, `the change to ${file} changed nothing`).not.toBe(before);
  writeFileSync(target, after);
  return dir;
}

const problemsOf = (dir: string) => {
  const { library, byTemplate } = checkAll(loadLibrary(dir));
  return [...library, ...[...byTemplate.values()].flat()].map((p) => p.message);
};

describe("templates:check", () => {
  it("passes the ten shipped templates and their clause library", () => {
    const library = loadLibrary(shipped);
    expect([...library.templates.keys()].sort()).toEqual([
      "access-governance-report",
      "audit-binder",
      "cjis-addendum",
      "compliance-report",
      "evidence-request-letter",
      "gap-memo",
      "management-control-agreement",
      "roster-certification",
      "sla-schedule",
      "tco-worksheet",
    ]);
    expect(problemsOf(shipped)).toEqual([]);
  });

  it("fails on an undefined variable, naming it", () => {
    const dir = libraryWith("clauses/legal-process-notice.md", (t) =>
      t.replace(":var[legalProcessNoticeHours]", ":var[legalProcesNoticeHours]"),
    );
    expect(problemsOf(dir)).toContain("undefined variable “legalProcesNoticeHours”: the schema has no such field");
  });

  it("fails on an unknown clause", () => {
    const dir = libraryWith("cjis-addendum/body.md", (t) =>
      t.replace("::clause{id=cost optional}", "::clause{id=costs optional}"),
    );
    expect(problemsOf(dir)).toContain("unknown clause “costs”: there is no templates/clauses/costs.md");
  });

  it("fails on a cross-reference to a clause the template does not have", () => {
    const dir = libraryWith("clauses/remedies.md", (t) => t.replace(":ref[incident-notice]", ":ref[breach-notice]"));
    expect(problemsOf(dir)).toContain(
      "broken cross-reference in clause “remedies”: “breach-notice” is not a clause of this template",
    );
  });

  it("fails on a defined term used but never defined, and on one defined but never used", () => {
    const undefinedTerm = libraryWith("clauses/precedence.md", (t) =>
      t.replace("concerns :term[Agency Data]", "concerns :term[Agency Records]"),
    );
    expect(problemsOf(undefinedTerm)).toContain(
      "undefined term “Agency Records”: no clause defines it with :dfn[Agency Records]",
    );
    const unusedTerm = libraryWith("clauses/definition-security-incident.md", (t) =>
      t.replace(":dfn[Security Incident]", ":dfn[Security Event]"),
    );
    expect(problemsOf(unusedTerm)).toEqual(
      expect.arrayContaining([
        "unused defined term “Security Event”: it is defined but never used with :term[Security Event]",
        "undefined term “Security Incident”: no clause defines it with :dfn[Security Incident]",
      ]),
    );
  });

  it("fails on a CJIS citation by a section number of 5.11–5.19, asking for the control identifier", () => {
    const inText = libraryWith("clauses/personnel-screening.md", (t) =>
      t.replace("at the level the CJIS Security Policy sets", "at the level CJIS Security Policy 5.12.1 sets"),
    );
    expect(problemsOf(inText)).toContain(
      "cites CJIS Security Policy section 5.12.1 by number, which is Custody's unverified reading of the policy's numbering: cite the control identifier (such as CP-9 or PS-3) instead",
    );
    const inRequirements = libraryWith("clauses/personnel-screening.md", (t) =>
      t.replace("cjis-policy@6.0:PS-3,", "cjis-policy@6.0:5.12,"),
    );
    expect(problemsOf(inRequirements)).toContain(
      "requirement cjis-policy@6.0:5.12 names a CJIS policy area by its section number, which is Custody's unverified reading: name the control identifier instead",
    );
  });

  it("fails when the text of a locked clause changed, or when a template makes it optional", () => {
    const changed = libraryWith("clauses/cjis-security-addendum.md", (t) =>
      t.replace("in its entirety and without change", "in substance"),
    );
    expect(problemsOf(changed).some((m) => m.startsWith("locked clause “cjis-security-addendum” changed"))).toBe(true);
    const optional = libraryWith("cjis-addendum/body.md", (t) =>
      t.replace("::clause{id=cjis-security-addendum}", "::clause{id=cjis-security-addendum optional}"),
    );
    expect(problemsOf(optional)).toContain(
      "clause “cjis-security-addendum” is locked and must be taken whole; it cannot be optional",
    );
  });

  it("fails when the addendum no longer covers every IACP principle and provision", () => {
    const dir = libraryWith("cjis-addendum/body.md", (t) => t.replace("::clause{id=successors}\n", ""));
    expect(problemsOf(dir)).toEqual(
      expect.arrayContaining([
        "promises to cover iacp-provisions@2015 but no clause addresses 12",
        "promises to cover iacp-principles@2015 but no clause addresses 9",
      ]),
    );
  });

  it("runs as npm run templates:check, exiting 1 with the problem when a template is broken and 0 when none is", async () => {
    const run = promisify(execFile);
    const ok = await run("npx", ["tsx", "scripts/templates-check.ts"], { cwd: projectRoot });
    expect(ok.stdout).toContain("10 templates, 38 clauses: no problems");
    const dir = libraryWith("clauses/portability.md", (t) => t.replace(":var[exportFormats]", ":var[formats]"));
    const failed = await run("npx", ["tsx", "scripts/templates-check.ts", "--dir", dir], { cwd: projectRoot }).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain("[cjis-addendum] undefined variable “formats”");
  });
});

describe("numbering and cross-references", () => {
  it("number articles 1, clauses 1.1 and list items (a), and resolve every reference to the number it points at", () => {
    const model = addendumModel();
    const clauses = clausesOf(model);
    const numberOf = (id: string) => clauses.find((c) => c.id === id)!.number;
    expect(numberOf("definition-service")).toBe("1.1");
    expect(numberOf("definition-cji")).toBe("1.2");
    expect(numberOf("cjis-security-addendum")).toBe("2.2");
    expect(numberOf("no-data-mining")).toBe("3.4");
    const remedies = clauses.find((c) => c.id === "remedies")!;
    expect(remedies.text).toContain(
      `a breach of section ${numberOf("cjis-security-addendum")}, section ${numberOf("data-ownership")}, section ${numberOf("no-data-mining")} or section ${numberOf("incident-notice")}`,
    );
    expect(clauses.find((c) => c.id === "service-levels")!.text).toMatch(/\(a\) critical services.*99\.99%.*\n\(b\) essential/s);
  });

  it("renumber the clauses after one that is left out, and keep every reference pointing at the same clause", () => {
    const whole = clausesOf(addendumModel());
    const without = clausesOf(addendumModel({ excluded: ["separable-storage"] }));
    expect(without.map((c) => c.id)).not.toContain("separable-storage");
    const numberIn = (list: typeof whole, id: string) => list.find((c) => c.id === id)!.number;
    expect(numberIn(whole, "no-data-mining")).toBe("3.4");
    expect(numberIn(without, "no-data-mining")).toBe("3.3");
    const remedies = without.find((c) => c.id === "remedies")!.text;
    expect(remedies).toContain("section 2.2, section 3.1, section 3.3 or section 4.1");
    const features = without.find((c) => c.id === "feature-changes")!;
    expect(features.number).toBe("3.5");
    expect(features.text).toContain("meet section 3.3 and the CJIS Security Policy");
  });

  it("include the personnel clauses whenever provider staff can reach unencrypted CJI or its keys, and only then", () => {
    const ids = (values: Record<string, unknown>) => clausesOf(addendumModel({}, values)).map((c) => c.id);
    const none = { keyCustody: "agency", providerStaffAccess: false, personnelRoster: false };
    expect(ids(none)).not.toContain("personnel-screening");
    expect(ids(none)).not.toContain("personnel-roster");
    for (const reach of [{ keyCustody: "provider" }, { providerStaffAccess: true }, { personnelRoster: true }]) {
      expect(ids({ ...none, ...reach })).toEqual(expect.arrayContaining(["personnel-screening", "personnel-roster"]));
    }
  });

  it("use the chosen alternative wording, and number the agency's own clauses after the library's", () => {
    const model = addendumModel({
      wordings: { "audit-rights": "third-party" },
      agencyClauses: [{ title: "Retention of video", text: "The Provider keeps video for the periods the Agency sets." }],
    });
    const clauses = clausesOf(model);
    expect(clauses.find((c) => c.id === "audit-rights")).toMatchObject({ wording: "third-party" });
    expect(clauses.find((c) => c.id === "audit-rights")!.text).toContain(
      "the report of an independent assessor, acceptable to the Agency",
    );
    expect(clauses.at(-1)).toMatchObject({ id: "agency-1", number: "9.1", title: "Retention of video" });
  });
});

describe("locked clauses", () => {
  it("refuse another wording for a locked clause, and keep it in the document even when the form leaves it out", () => {
    const library = loadLibrary(shipped);
    const template = library.templates.get("cjis-addendum")!;
    const read = readForm(library, template, { clauses: "shown", include: [], "w.cjis-security-addendum": "shortened" });
    expect(read.errors["w.cjis-security-addendum"]).toBe(
      "“FBI CJIS Security Addendum” is locked: it is taken whole, in its one wording.",
    );
    expect(read.choices.excluded).not.toContain("cjis-security-addendum");
    expect(read.choices.excluded).toEqual(expect.arrayContaining(["separable-storage", "feature-changes", "cost"]));
  });
});
