import { describe, expect, it } from "vitest";
import { catalogData } from "../../db/catalog/index.ts";
import { validateCatalog } from "../../db/catalog/load.ts";
import { britishSpellings } from "../../app/modules/us-english.ts";

const data = validateCatalog(catalogData);
const framework = (key: string) => data.frameworks.find((f) => f.key === key)!;
const codes = (key: string, kind?: string) =>
  framework(key)
    .requirements.filter((r) => !kind || r.kind === kind)
    .map((r) => r.code);

describe("the requirement catalog data", () => {
  it("holds the 12 IACP principles and the 13 sample contract provisions", () => {
    expect(codes("iacp-principles", "principle")).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
    expect(codes("iacp-provisions", "provision")).toEqual(Array.from({ length: 13 }, (_, i) => String(i + 1)));
  });

  it("holds all 20 policy areas of CJIS Security Policy v6.0, dated 2024-12-27", () => {
    const cjis = framework("cjis-policy");
    expect(cjis.version).toBe("6.0");
    expect(cjis.published).toBe("2024-12-27");
    expect(codes("cjis-policy", "policy-area")).toEqual(Array.from({ length: 20 }, (_, i) => `5.${i + 1}`));
  });

  it("holds every CJIS control a cloud contract must speak to, each under its policy area", () => {
    const required = [
      "AC-2",
      "AC-2(2)",
      "AC-2(3)",
      "AC-2(4)",
      "AC-2(13)",
      "AC-7",
      "AC-8",
      "AC-11",
      "AC-12",
      "AT-2",
      "AT-4",
      "AU-2",
      "AU-3",
      "AU-6",
      "AU-8",
      "AU-9",
      "AU-11",
      "CA-2",
      "CM-12",
      "IA-2",
      "IA-4",
      "IA-5",
      "IA-11",
      "IR-6",
      "MP-6",
      "PS-3",
      "PS-4",
      "PS-7",
      "RA-5",
      "SA-4",
      "SA-9",
      "SA-22",
      "SC-8",
      "SC-10",
      "SC-12",
      "SC-13",
      "SC-28",
      "SI-2",
      "SR-8",
    ];
    const present = codes("cjis-policy");
    expect(present).toEqual(expect.arrayContaining(required));
    const byCode = new Map(framework("cjis-policy").requirements.map((r) => [r.code, r]));
    for (const code of required) {
      const r = byCode.get(code)!;
      const family = code.split("-")[0]!;
      const area = r.kind === "control-enhancement" ? byCode.get(byCode.get(r.parent!)!.parent!)! : byCode.get(r.parent!)!;
      expect(area.kind, code).toBe("policy-area");
      expect(area.title, code).toContain(`(${family})`);
      // The control identifier, which is certain, comes before the section number, which for 5.11–5.19 is our reading.
      expect(r.citation, code).toMatch(
        new RegExp(`^CJIS Security Policy v6\\.0, ${code.replace(/[()]/g, "\\$&")} \\(section ${area.code.replace(".", "\\.")}`),
      );
      expect(r.citation.includes("not yet checked against its text"), code).toBe(/^5\.1[1-9]$/.test(area.code));
    }
  });

  it("gives the figures auditors check for the controls that have one", () => {
    const figure = (code: string) => framework("cjis-policy").requirements.find((r) => r.code === code)!.figure;
    expect(figure("AC-7")).toMatch(/5 consecutive failures within 15 minutes/);
    expect(figure("AC-2(3)")).toMatch(/90 days/);
    expect(figure("AC-11")).toMatch(/30 minutes/);
    expect(figure("IR-6")).toMatch(/1 hour/);
    expect(figure("AU-11")).toMatch(/1 year/);
    expect(figure("SC-13")).toMatch(/2026-09-21/);
    expect(figure("RA-5")).toMatch(/15 days, high 30, medium 60, low 90/);
  });

  it("holds the CJIS Security Addendum's sections and the contractor-employee certification", () => {
    expect(codes("cjis-addendum", "addendum-section")).toEqual(["1.00", "2.00", "3.00", "4.00", "5.00", "6.00"]);
    expect(codes("cjis-addendum", "certification")).toEqual(["CERT"]);
  });

  it("cites a source section for every entry, naming its document", () => {
    for (const f of data.frameworks) {
      for (const r of f.requirements) {
        expect(r.citation.length, `${f.key}:${r.code}`).toBeGreaterThan(10);
        expect(r.citation, `${f.key}:${r.code}`).toMatch(/IACP Guiding Principles|CJIS Security Policy v6\.0/);
      }
    }
  });

  it("links every provision to a principle it serves, and every principle to the CJIS requirements", () => {
    const from = (prefix: string) => new Set(data.crosswalk.filter((l) => l.from.startsWith(prefix)).map((l) => l.from));
    const provisionsLinkedToPrinciples = new Set(
      data.crosswalk.filter((l) => l.from.startsWith("iacp-provisions") && l.to.startsWith("iacp-principles")).map((l) => l.from),
    );
    expect(provisionsLinkedToPrinciples.size).toBe(13);
    const principlesLinkedToCjis = new Set(
      data.crosswalk.filter((l) => l.from.startsWith("iacp-principles") && l.to.startsWith("cjis-")).map((l) => l.from),
    );
    expect(principlesLinkedToCjis.size).toBe(12);
    expect(from("cjis-addendum").size).toBeGreaterThan(0);
    for (const l of data.crosswalk) expect(["equivalent", "subset", "superset", "intersects"]).toContain(l.relationship);
  });

  it("defines the evidence vocabulary later features build on, each kind linked to requirements", () => {
    expect(data.evidenceKinds.map((k) => k.key)).toEqual([
      "third-party-audit-report",
      "independent-assessment",
      "cyber-insurance-certificate",
      "breach-notice",
      "legal-process-notice",
      "data-location-change-notice",
      "business-change-notice",
      "personnel-roster",
      "fingerprint-check-attestation",
      "training-record",
      "fips-validation-certificate",
      "key-custody-attestation",
      "availability-report",
      "deletion-certificate",
      "vulnerability-scan-summary",
    ]);
    for (const kind of data.evidenceKinds) expect(kind.supports.length, kind.key).toBeGreaterThan(0);
  });

  it("is rejected, with every problem listed, when a reference points nowhere", () => {
    const broken = {
      ...catalogData,
      crosswalk: [
        ...catalogData.crosswalk,
        {
          from: "iacp-principles@2015:1",
          to: "cjis-policy@6.0:XX-99",
          relationship: "subset" as const,
          rationale: "A bad link for the test.",
        },
      ],
      evidenceKinds: [
        ...catalogData.evidenceKinds,
        {
          key: "nothing",
          name: "Nothing",
          description: "A kind that supports a requirement that does not exist.",
          supports: ["cjis-policy@5.9:AC-2"],
        },
      ],
    };
    expect(() => validateCatalog(broken)).toThrow(
      /cjis-policy@6\.0:XX-99 is not in the catalog[\s\S]*cjis-policy@5\.9:AC-2 is not in the catalog/,
    );
  });
});

describe("the catalog's own drafting", () => {
  it("is written in US English: no British spelling in any title, summary or note", () => {
    const texts: string[] = [];
    const walk = (value: unknown) => {
      if (typeof value === "string") texts.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") Object.values(value).forEach(walk);
    };
    walk(catalogData);
    const found = texts.flatMap((t) => britishSpellings(t).map((b) => `${b.found} → ${b.use}`));
    expect([...new Set(found)]).toEqual([]);
  });
});

describe("the catalog, complete for cloud contracts", () => {
  const cjis = catalogData.frameworks.find((f) => f.key === "cjis-policy")!;
  const codes = new Set(cjis.requirements.map((r) => r.code));

  it("holds every control a cloud contract must cite, in our own summaries with their citation", () => {
    for (const code of [
      "AC-3",
      "AC-6",
      "SC-7",
      "CA-3",
      "CA-9",
      "PS-5",
      "AU-12",
      "CP-9",
      "CP-10",
      "PE-2",
      "PE-3",
      "PE-6",
      "SA-9(5)",
      "5.1.1.4",
    ]) {
      expect(codes, code).toContain(code);
      const r = cjis.requirements.find((x) => x.code === code)!;
      expect(r.citation).toContain(code);
      expect(r.summary.length).toBeGreaterThan(80);
    }
    expect(cjis.requirements.find((r) => r.code === "SA-9(5)")).toMatchObject({ kind: "control-enhancement", parent: "SA-9" });
  });

  it("records provisions 9 and 11 as narrower than principles 6 and 8, and links what was missing", () => {
    const rel = (from: string, to: string) =>
      catalogData.crosswalk.find((l) => l.from === from && l.to === to)?.relationship ?? null;
    expect(rel("iacp-provisions@2015:9", "iacp-principles@2015:6")).toBe("subset");
    expect(rel("iacp-provisions@2015:11", "iacp-principles@2015:8")).toBe("subset");
    for (const [from, to] of [
      ["iacp-principles@2015:1", "cjis-addendum@6.0:3.00"],
      ["iacp-principles@2015:10", "cjis-policy@6.0:PS-7"],
      ["iacp-principles@2015:10", "cjis-addendum@6.0:CERT"],
      ["iacp-principles@2015:8", "cjis-policy@6.0:SC-28"],
      ["iacp-principles@2015:8", "cjis-policy@6.0:SA-9(5)"],
      ["iacp-principles@2015:9", "cjis-policy@6.0:CP-9"],
      ["iacp-provisions@2015:10", "cjis-policy@6.0:SA-4"],
      ["iacp-provisions@2015:11", "cjis-policy@6.0:AU-2"],
      ["iacp-provisions@2015:4", "cjis-policy@6.0:5.1.2"],
    ])
      expect(rel(from!, to!), `${from} → ${to}`).not.toBeNull();
  });

  it("says which edition it holds, that v6.1 exists, and when each priority becomes auditable", () => {
    expect(cjis.description).toContain("version 6.0 as published on 2024-12-27");
    expect(cjis.description).toContain("cjis_security_policy_v6-1_20260625.pdf");
    expect(cjis.description).toContain("2027-09-30");
  });
});

describe("the IACP summaries, read against the source", () => {
  const summary = (key: string, code: string) =>
    catalogData.frameworks.find((f) => f.key === key)!.requirements.find((r) => r.code === code)!.summary;

  it("neither add to nor drop from what each provision and principle says", () => {
    expect(summary("iacp-provisions", "1")).not.toMatch(/derived/);
    expect(summary("iacp-provisions", "2")).toMatch(/capturing, maintaining/);
    expect(summary("iacp-provisions", "2")).toMatch(/sharing with third parties/);
    expect(summary("iacp-provisions", "2")).toMatch(/related services/);
    expect(summary("iacp-provisions", "3")).toMatch(/Security Addendum/);
    expect(summary("iacp-provisions", "3")).toMatch(/limits/);
    expect(summary("iacp-provisions", "5")).not.toMatch(/written instructions/);
    expect(summary("iacp-provisions", "9")).not.toMatch(/agency's choice/);
    expect(summary("iacp-provisions", "10")).toMatch(/maximum extent practicable/);
    expect(summary("iacp-provisions", "10")).toMatch(/security/);
    expect(summary("iacp-provisions", "10")).not.toMatch(/at any time/);
    expect(summary("iacp-principles", "4")).toMatch(/authorization and notice/);
    expect(summary("iacp-principles", "9")).toMatch(/continuity/);
    expect(summary("iacp-principles", "9")).not.toBe(summary("iacp-provisions", "12"));
  });
});
