import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { seedDemo } from "../../app/demo/seed.server.ts";
import { createApiToken } from "../../app/modules/access/tokens.server.ts";
import { listContracts } from "../../app/modules/contracts/contracts.server.ts";
import { getCoverageEntry, getMatrix, setCoverage } from "../../app/modules/contracts/coverage.server.ts";
import {
  decideProposals,
  pendingProposals,
  proposeFromComponentDefinition,
} from "../../app/modules/portability/oscal-import.server.ts";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { InvalidInput, NotFound } from "../../app/modules/context.server.ts";
import { catalogFileName } from "../../app/modules/portability/oscal-common.ts";
import { oscalCatalog } from "../../app/modules/portability/oscal-catalog.server.ts";
import { oscalComponentDefinition } from "../../app/modules/portability/oscal-component.server.ts";
import { oscalAssessmentResults, oscalPoam } from "../../app/modules/portability/oscal-contract.server.ts";
import { loader as apiLoader } from "../../app/routes/api/oscal.ts";
import { loader as contractOscalLoader } from "../../app/routes/contracts.oscal.tsx";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { evidenceItems } from "../../db/schema/evidence.ts";
import { appContext, signIn, testSecrets } from "../support/accounts.ts";
import { as } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";
import { oscalErrors, oscalSchemasPresent } from "../support/oscal.ts";
import { loaderArgs, thrownStatus } from "../support/routes.ts";
import { eq } from "drizzle-orm";

/**
 * The requirement catalog, a vendor's services and a contract's coverage exported in NIST OSCAL 1.0.6,
 * from the demo installation's records, each checked against NIST's own JSON Schema.
 */

let handle: DatabaseHandle;
let context: AppContext;
const clock = { now: new Date("2026-11-23T15:00:00.000Z") };
let officer: ProvisionedAccount;
let legal: ProvisionedAccount;
let stranger: ProvisionedAccount;
let contractId: string;
let accounts: ProvisionedAccount[];
let vendorId: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  context = appContext(handle.db, clock);
  accounts = await seedDemo(handle.db, testSecrets, clock.now, context.blobs);
  const find = (role: string, org: string) => accounts.find((a) => a.role === role && a.organisation === org)!;
  officer = find("cjis-officer", "Riverside Police Department");
  legal = find("legal", "Riverside Police Department");
  stranger = find("cjis-officer", "Harbor City Police Department");
  const contracts = await as(handle.db, officer, clock.now, (ctx) => listContracts(ctx));
  const evidenceContract = contracts.find((c) => c.vendorName === "EvidenceCloud Inc." && c.stage === "signed")!;
  contractId = evidenceContract.id;
  vendorId = evidenceContract.vendorId;
}, 60_000);
afterAll(async () => {
  await handle?.close();
});

const schemaIt = oscalSchemasPresent ? it : it.skip;

describe("OSCAL catalogs", () => {
  schemaIt("exports every framework of the catalog as an OSCAL catalog NIST's schema accepts, in our own words", async () => {
    for (const f of catalogData.frameworks) {
      const { document, fileName } = await as(handle.db, officer, clock.now, (ctx) => oscalCatalog(ctx, f.key, f.version));
      expect(oscalErrors("catalog", document), `${f.key}@${f.version}`).toEqual([]);
      expect(fileName).toBe(catalogFileName(f.key, f.version));
      const controls = allControls((document as { catalog: Catalog }).catalog);
      // Every requirement but the policy areas (they are the groups) is a control, each id once.
      expect(controls.length).toBe(f.requirements.filter((r) => r.kind !== "policy-area").length);
      expect(new Set(controls.map((c) => c.id)).size).toBe(controls.length);
      // The statement is our own summary, citing the source by section.
      for (const r of f.requirements.filter((x) => x.kind !== "policy-area")) {
        const control = controls.find((c) => c.props.some((p) => p.name === "label" && p.value === r.code))!;
        expect(control.parts.find((p) => p.name === "statement")!.prose).toBe(r.summary);
        expect(control.links[0]!.text).toBe(r.citation);
      }
    }
  });

  schemaIt("turns the crosswalk into links that name a control of the other catalog, in both directions", async () => {
    const catalogs = new Map<string, Control[]>();
    const ids = new Map<string, string[]>();
    for (const f of catalogData.frameworks) {
      const { document, fileName } = await as(handle.db, officer, clock.now, (ctx) => oscalCatalog(ctx, f.key, f.version));
      const catalog = (document as { catalog: Catalog }).catalog;
      // Policy areas are groups; they carry links as controls do.
      catalogs.set(fileName, [...allControls(catalog), ...((catalog.groups ?? []) as unknown as Control[])]);
      // A link may name a control or a group (a CJIS policy area).
      ids.set(fileName, [...allControls(catalog).map((c) => c.id), ...(catalog.groups ?? []).map((g) => g.id)]);
    }
    let links = 0;
    for (const [fileName, controls] of catalogs) {
      for (const c of controls) {
        for (const l of c.links.filter((x) => x.rel !== "reference")) {
          const [file, id] = l.href.split("#");
          expect(ids.get(file || fileName)?.includes(id!), `${fileName}#${c.id} → ${l.href}`).toBe(true);
          links += 1;
        }
      }
    }
    // Each crosswalk pair is a link from each end.
    expect(links).toBe(catalogData.crosswalk.length * 2);
  });

  it("answers 404 for a framework the catalog does not hold", async () => {
    await expect(as(handle.db, officer, clock.now, (ctx) => oscalCatalog(ctx, "cjis-policy", "9.9"))).rejects.toBeInstanceOf(
      NotFound,
    );
  });
});

describe("OSCAL assessment results and plan of action for a contract", () => {
  schemaIt(
    "gives each assessed requirement a finding and each accepted piece of evidence an observation with its SHA-256 and reviewer",
    async () => {
      const { document } = await as(handle.db, officer, clock.now, (ctx) => oscalAssessmentResults(ctx, contractId));
      expect(oscalErrors("assessment-results", document)).toEqual([]);
      const ar = (document as { "assessment-results": AssessmentResults })["assessment-results"];
      const matrix = await as(handle.db, officer, clock.now, (ctx) => getMatrix(ctx, contractId, {}));
      const rows = matrix.sections.flatMap((s) => s.rows);
      const assessed = rows.filter((r) => r.status !== "unassessed");
      const result = ar.results[0]!;
      expect(result.findings?.length ?? 0).toBe(assessed.length);
      // What was not assessed is said before anything else, with its count.
      const notAssessed = rows.length - assessed.length;
      expect(ar.metadata.remarks).toMatch(
        notAssessed === 0
          ? /Every requirement/
          : new RegExp(`^${notAssessed} of ${rows.length} requirements have not been assessed`),
      );
      expect(result.description.startsWith(ar.metadata.remarks!)).toBe(true);
      for (const r of assessed) {
        const finding = result.findings!.find(
          (f) => f.props?.some((p) => p.name === "coverage-status") && f.title.startsWith(r.label),
        )!;
        expect(finding.target.status.state).toBe(
          r.status === "addressed" || r.status === "not-applicable" ? "satisfied" : "not-satisfied",
        );
      }
      const accepted = await handle.db.select().from(evidenceItems).where(eq(evidenceItems.status, "accepted"));
      const evidenceObservations = (result.observations ?? []).filter((o) => o.title.startsWith("Accepted evidence"));
      expect(evidenceObservations.length).toBeGreaterThan(0);
      for (const o of evidenceObservations) {
        expect(accepted.some((a) => o.title === `Accepted evidence: ${a.title}`)).toBe(true);
        expect(o.origins?.[0]?.actors[0]?.type).toBe("party");
        const withFile = o["relevant-evidence"]!.filter((e) => e.props);
        for (const e of withFile) expect(e.props!.find((p) => p.name === "sha256")!.value).toMatch(/^[0-9a-f]{64}$/);
      }
      // The reviewer is named among the parties.
      const partyNames = (ar.metadata.parties ?? []).map((p) => p.name);
      expect(partyNames).toContain("Riverside Police Department");
      expect(partyNames.length).toBeGreaterThan(1);
    },
  );

  schemaIt("keeps every UUID the same from one export of the same contract to the next", async () => {
    const first = await as(handle.db, officer, clock.now, (ctx) => oscalAssessmentResults(ctx, contractId));
    const later = new Date(clock.now.getTime() + 86_400_000);
    const second = await as(handle.db, officer, later, (ctx) => oscalAssessmentResults(ctx, contractId));
    const uuids = (d: unknown) => JSON.stringify(d).match(/"(uuid|observation-uuid|party-uuids|actor-uuid)":\s*"[^"]+"/g);
    expect(uuids(second.document)).toEqual(uuids(first.document));
    const poam1 = await as(handle.db, officer, clock.now, (ctx) => oscalPoam(ctx, contractId));
    const poam2 = await as(handle.db, officer, later, (ctx) => oscalPoam(ctx, contractId));
    expect(uuids(poam2.document)).toEqual(uuids(poam1.document));
  });

  schemaIt(
    "lists every missing or partial requirement and every conflict in the plan of action, each with its due date or the reason it has none",
    async () => {
      const { document } = await as(handle.db, officer, clock.now, (ctx) => oscalPoam(ctx, contractId));
      expect(oscalErrors("plan-of-action-and-milestones", document)).toEqual([]);
      const poam = (document as { "plan-of-action-and-milestones": Poam })["plan-of-action-and-milestones"];
      const matrix = await as(handle.db, officer, clock.now, (ctx) => getMatrix(ctx, contractId, {}));
      const open = matrix.sections.flatMap((s) => s.rows).filter((r) => r.status === "missing" || r.status === "partial");
      expect(poam["poam-items"].length).toBe(open.length + matrix.conflicts.length || 1);
      for (const item of poam["poam-items"]) {
        const due = item.props?.find((p) => p.name === "due-date")?.value;
        const reason = item.props?.find((p) => p.name === "due-reason")?.value;
        if (open.length + matrix.conflicts.length > 0) expect(reason).toBeTruthy();
        if (due) expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      for (const r of open) expect(poam["poam-items"].some((i) => i.title.startsWith(r.label))).toBe(true);
    },
  );

  it("does not export another agency's contract (404, as its page does)", async () => {
    await expect(as(handle.db, stranger, clock.now, (ctx) => oscalAssessmentResults(ctx, contractId))).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(as(handle.db, stranger, clock.now, (ctx) => oscalPoam(ctx, contractId))).rejects.toBeInstanceOf(NotFound);
  });

  it("refuses the download to a role without export:read (legal staff) and writes it to the audit trail", async () => {
    const cookie = (await signIn(handle.db, legal, clock.now)).cookie;
    const refused = await thrownStatus(
      contractOscalLoader(loaderArgs(context, `/contracts/${contractId}/poam.oscal.json`, { contractId }, { cookie })),
    );
    expect(refused.status).toBe(403);
    const officerCookie = (await signIn(handle.db, officer, clock.now)).cookie;
    const response = await contractOscalLoader(
      loaderArgs(context, `/contracts/${contractId}/poam.oscal.json`, { contractId }, { cookie: officerCookie }),
    );
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="custody-poam-.+\.json"$/);
    expect(Object.keys(await response.json())).toEqual(["plan-of-action-and-milestones"]);
  });
});

describe("OSCAL component definition of a vendor", () => {
  schemaIt(
    "describes each live contract with the vendor as a service implementing what the contract addresses, and says who carries it is not recorded",
    async () => {
      const { document } = await as(handle.db, officer, clock.now, (ctx) => oscalComponentDefinition(ctx, vendorId));
      expect(oscalErrors("component-definition", document)).toEqual([]);
      const cd = (document as { "component-definition": ComponentDefinition })["component-definition"];
      const component = cd.components!.find((c) => c.props.some((p) => p.name === "contract-id" && p.value === contractId))!;
      const matrix = await as(handle.db, officer, clock.now, (ctx) => getMatrix(ctx, contractId, {}));
      const addressed = matrix.sections.flatMap((s) => s.rows).filter((r) => r.status === "addressed" || r.status === "partial");
      const implemented = (component["control-implementations"] ?? []).flatMap((i) => i["implemented-requirements"]);
      expect(implemented.length).toBe(addressed.length);
      for (const r of implemented) {
        expect(r.props.find((p) => p.name === "responsibility")!.value).toBe("not-recorded");
        expect(r.description).toMatch(/Who carries it \(provider, agency or both\) was not recorded/);
        expect(r["responsible-roles"]).toBeUndefined();
      }
    },
  );

  schemaIt("names who carries a requirement once the agency records it on the coverage entry", async () => {
    const buyer = accounts.find((a) => a.role === "procurement-officer" && a.organisation === "Riverside Police Department")!;
    const matrix = await as(handle.db, buyer, clock.now, (ctx) => getMatrix(ctx, contractId, {}));
    const [first, second] = matrix.sections.flatMap((s) => s.rows).filter((r) => r.status === "addressed");
    await as(handle.db, buyer, clock.now, (ctx) =>
      setCoverage(ctx, contractId, [first!.id], { status: "addressed", section: first!.section, responsibility: "shared" }),
    );
    await as(handle.db, buyer, clock.now, (ctx) =>
      setCoverage(ctx, contractId, [second!.id], { status: "addressed", section: second!.section, responsibility: "provider" }),
    );
    const { document } = await as(handle.db, officer, clock.now, (ctx) => oscalComponentDefinition(ctx, vendorId));
    expect(oscalErrors("component-definition", document)).toEqual([]);
    const implemented = (document as { "component-definition": ComponentDefinition })["component-definition"]
      .components!.flatMap((c) => c["control-implementations"] ?? [])
      .flatMap((i) => i["implemented-requirements"]);
    const shared = implemented.find((r) => r.description.includes("Carried by the provider and the agency together"))!;
    expect(shared["responsible-roles"]).toEqual([{ "role-id": "provider" }, { "role-id": "agency" }]);
    const provider = implemented.find((r) => r.props.some((p) => p.name === "responsibility" && p.value === "provider"))!;
    expect(provider["responsible-roles"]).toEqual([{ "role-id": "provider" }]);
  });
});

describe("the OSCAL API", () => {
  schemaIt("answers a token scoped to export:read with the same documents, and refuses one without it", async () => {
    const { token } = await as(handle.db, officer, clock.now, (ctx) =>
      createApiToken(ctx, { name: "State CSA exchange", permissions: ["export:read"], days: 30 }),
    );
    const paths = [
      "catalogs/cjis-policy/6.0",
      `contracts/${contractId}/assessment-results`,
      `contracts/${contractId}/poam`,
      `vendors/${vendorId}/component-definition`,
    ];
    const models = ["catalog", "assessment-results", "plan-of-action-and-milestones", "component-definition"] as const;
    for (const [i, p] of paths.entries()) {
      const response = await apiLoader(loaderArgs(context, `/api/v1/oscal/${p}`, { "*": p }, { bearer: token }));
      expect(response.status, p).toBe(200);
      const body = await response.json();
      expect(oscalErrors(models[i]!, body), p).toEqual([]);
    }
    const { token: narrow } = await as(handle.db, officer, clock.now, (ctx) =>
      createApiToken(ctx, { name: "Catalog reader", permissions: ["catalog:read"], days: 30 }),
    );
    const refused = await thrownStatus(
      apiLoader(loaderArgs(context, `/api/v1/oscal/${paths[1]}`, { "*": paths[1]! }, { bearer: narrow })),
    );
    expect(refused.status).toBe(403);
    const unknown = await apiLoader(
      loaderArgs(context, "/api/v1/oscal/contracts/x/ssp", { "*": "contracts/x/ssp" }, { bearer: token }),
    );
    expect(unknown.status).toBe(404);
  });
});

describe("importing a vendor's OSCAL component definition", () => {
  const buyer = () => accounts.find((a) => a.role === "procurement-officer" && a.organisation === "Riverside Police Department")!;
  const vendorDocument = {
    "component-definition": {
      uuid: "8b5f0c7e-2d1a-4c3b-9e8f-1a2b3c4d5e6f",
      metadata: {
        title: "EvidenceCloud service",
        "last-modified": "2026-11-01T00:00:00Z",
        version: "3",
        "oscal-version": "1.0.6",
      },
      components: [
        {
          uuid: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
          type: "service",
          title: "EvidenceCloud storage",
          description: "Hosted storage for body-worn camera video.",
          "control-implementations": [
            {
              uuid: "11111111-2222-4333-8444-555555555555",
              source: "custody-catalog-cjis-policy-6.0.json",
              description: "Against Custody's CJIS catalog.",
              "implemented-requirements": [
                {
                  uuid: "21111111-2222-4333-8444-555555555555",
                  "control-id": "ac-2",
                  description: "Accounts are created only from the agency's approved requests and reviewed every quarter.",
                },
                {
                  uuid: "31111111-2222-4333-8444-555555555555",
                  "control-id": "ia-2",
                  description: "Multi-factor sign-in for every user; the agency enrols its own people.",
                  props: [{ name: "implementation-status", value: "partial" }],
                  "responsible-roles": [{ "role-id": "provider" }, { "role-id": "customer" }],
                },
                {
                  uuid: "41111111-2222-4333-8444-555555555555",
                  "control-id": "xx-99",
                  description: "Something Custody does not know.",
                },
              ],
            },
            {
              uuid: "51111111-2222-4333-8444-555555555555",
              source: "https://example.org/NIST_SP-800-53_rev5_catalog.json",
              description: "Against NIST SP 800-53.",
              "implemented-requirements": [
                {
                  uuid: "61111111-2222-4333-8444-555555555555",
                  "control-id": "ac-7",
                  description: "Five failed sign-ins in fifteen minutes lock the account until an administrator releases it.",
                },
              ],
            },
          ],
        },
      ],
    },
  };
  const spool = (text: string, filename = "evidencecloud-component.json") => {
    const spoolPath = path.join(mkdtempSync(path.join(os.tmpdir(), "custody-oscal-")), filename);
    writeFileSync(spoolPath, text);
    return {
      spoolPath,
      filename,
      size: Buffer.byteLength(text),
      sha256: createHash("sha256").update(text).digest("hex"),
      declaredType: "application/json",
    };
  };
  const entries = async () =>
    (await as(handle.db, buyer(), clock.now, (ctx) => getMatrix(ctx, contractId, {}))).sections.flatMap((s) => s.rows);

  schemaIt(
    "proposes an entry for each statement it can match, changes nothing until one is accepted, and names what it could not match",
    async () => {
      expect(oscalErrors("component-definition", vendorDocument)).toEqual([]);
      const before = await entries();
      const file = spool(JSON.stringify(vendorDocument));
      const result = await as(handle.db, buyer(), clock.now, (ctx) => proposeFromComponentDefinition(ctx, contractId, file));
      expect(result).toMatchObject({ proposed: 3, repeated: 0, unmatched: ["xx-99"] });
      expect(await entries()).toEqual(before);
      // The same file again proposes nothing new.
      const again = await as(handle.db, buyer(), clock.now, (ctx) =>
        proposeFromComponentDefinition(ctx, contractId, spool(JSON.stringify(vendorDocument))),
      );
      expect(again).toMatchObject({ proposed: 0, repeated: 3 });
      const { proposals } = await as(handle.db, buyer(), clock.now, (ctx) => pendingProposals(ctx, contractId));
      expect(proposals.map((p) => [p.label, p.status, p.responsibility])).toEqual([
        ["CJIS AC-2", "addressed", null],
        ["CJIS AC-7", "addressed", null],
        ["CJIS IA-2", "partial", "shared"],
      ]);
      // Accept one: it is written as a coverage change citing the vendor's file; dismiss another: nothing changes.
      const ia2 = proposals.find((p) => p.label === "CJIS IA-2")!;
      const ac7 = proposals.find((p) => p.label === "CJIS AC-7")!;
      await as(handle.db, buyer(), clock.now, (ctx) => decideProposals(ctx, contractId, { ids: [ia2.id], decision: "accept" }));
      await as(handle.db, buyer(), clock.now, (ctx) => decideProposals(ctx, contractId, { ids: [ac7.id], decision: "dismiss" }));
      const after = await entries();
      const ia2Row = after.find((r) => r.id === ia2.requirementId)!;
      expect([ia2Row.status, ia2Row.section, ia2Row.responsibility]).toEqual([
        "partial",
        "Vendor component “EvidenceCloud storage”",
        "shared",
      ]);
      const entry = await as(handle.db, buyer(), clock.now, (ctx) => getCoverageEntry(ctx, contractId, ia2.requirementId));
      expect(entry.requirement.notes).toContain(file.sha256);
      expect(after.find((r) => r.id === ac7.requirementId)).toEqual(before.find((r) => r.id === ac7.requirementId));
      // Accept all that wait: the last one.
      const all = await as(handle.db, buyer(), clock.now, (ctx) =>
        decideProposals(ctx, contractId, { ids: "all", decision: "accept" }),
      );
      expect(all.decided).toBe(1);
      expect((await as(handle.db, buyer(), clock.now, (ctx) => pendingProposals(ctx, contractId))).proposals).toEqual([]);
    },
  );

  it("refuses a file that is not JSON, or JSON that is not a component definition, with a message for the file field", async () => {
    const refuse = (text: string) =>
      as(handle.db, buyer(), clock.now, (ctx) => proposeFromComponentDefinition(ctx, contractId, spool(text))).then(
        () => null,
        (e: unknown) => (e instanceof InvalidInput ? e.fieldErrors : Promise.reject(e)),
      );
    expect(await refuse("%PDF-1.4 not json")).toEqual({ file: expect.stringMatching(/^The file is not JSON/) });
    expect(await refuse(JSON.stringify({ catalog: {} }))).toEqual({
      file: expect.stringMatching(/^This is not an OSCAL component definition/),
    });
  });

  it("does not let another agency read proposals into a contract it does not own (404)", async () => {
    const otherBuyer = accounts.find(
      (a) => a.role === "procurement-officer" && a.organisation !== "Riverside Police Department",
    )!;
    await expect(
      as(handle.db, otherBuyer, clock.now, (ctx) =>
        proposeFromComponentDefinition(ctx, contractId, spool(JSON.stringify(vendorDocument))),
      ),
    ).rejects.toBeInstanceOf(NotFound);
  });
});

type Prop = { name: string; value: string };
type Control = {
  id: string;
  props: Prop[];
  links: { href: string; rel: string; text: string }[];
  parts: { name: string; prose: string }[];
  controls?: Control[];
};
type Catalog = { groups?: { id: string; links: Control["links"]; controls?: Control[] }[]; controls?: Control[] };
function allControls(catalog: Catalog): Control[] {
  const flat = (cs: Control[] = []): Control[] => cs.flatMap((c) => [c, ...flat(c.controls)]);
  return [...(catalog.groups ?? []).flatMap((g) => flat(g.controls)), ...flat(catalog.controls)];
}
type AssessmentResults = {
  metadata: { remarks?: string; parties?: { name: string }[] };
  results: {
    description: string;
    findings?: { title: string; props?: Prop[]; target: { status: { state: string } } }[];
    observations?: {
      title: string;
      origins?: { actors: { type: string }[] }[];
      "relevant-evidence"?: { description: string; props?: Prop[] }[];
    }[];
  }[];
};
type Poam = { "poam-items": { title: string; props?: Prop[] }[] };
type ComponentDefinition = {
  components?: {
    props: Prop[];
    "control-implementations"?: {
      "implemented-requirements": { props: Prop[]; description: string; "responsible-roles"?: { "role-id": string }[] }[];
    }[];
  }[];
};
