import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getFramework,
  getPrincipleCrosswalk,
  getRequirement,
  inverse,
  latestVersion,
  listEvidenceKinds,
  listFrameworks,
} from "../../app/modules/catalog/catalog.server.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { AuditRecorder, systemActor } from "../../app/modules/audit/audit.server.ts";
import { createTestDatabase } from "../support/database.ts";

let handle: DatabaseHandle;
let ctx: { db: DatabaseHandle["db"]; audit: AuditRecorder };
beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  ctx = { db: handle.db, audit: new AuditRecorder(systemActor("test")) };
});
afterAll(async () => {
  await handle.close();
});

describe("the catalog module", () => {
  it("lists the four frameworks in catalog order with their counts", async () => {
    const list = await listFrameworks(ctx);
    expect(list.map((f) => `${f.key}@${f.version}`)).toEqual([
      "iacp-principles@2015",
      "iacp-provisions@2015",
      "cjis-policy@6.0",
      "cjis-addendum@6.0",
    ]);
    const cjis = list.find((f) => f.key === "cjis-policy")!;
    expect(cjis.counts).toEqual({ "policy-area": 20, control: 49, "control-enhancement": 5 });
    expect(list.every((f) => f.latest)).toBe(true);
  });

  it("finds the newest version of a framework, and nothing for an unknown one", async () => {
    expect(await latestVersion(ctx, "cjis-policy")).toBe("6.0");
    expect(await latestVersion(ctx, "no-such-framework")).toBeNull();
  });

  it("groups CJIS requirements under their 20 policy areas, enhancements with their control", async () => {
    const detail = (await getFramework(ctx, { key: "cjis-policy", version: "6.0" }))!;
    expect(detail.groups).toHaveLength(20);
    const access = detail.groups.find((g) => g.heading?.code === "5.5")!;
    expect(access.items.map((r) => r.code)).toEqual([
      "AC-2",
      "AC-2(2)",
      "AC-2(3)",
      "AC-2(4)",
      "AC-2(13)",
      "AC-3",
      "AC-6",
      "AC-7",
      "AC-8",
      "AC-11",
      "AC-12",
    ]);
  });

  it("filters requirements by text, keeping only the areas with a match", async () => {
    const detail = (await getFramework(ctx, { key: "cjis-policy", version: "6.0", query: "fingerprint" }))!;
    const codes = detail.groups.flatMap((g) => g.items.map((r) => r.code));
    expect(codes).toEqual(["PS-3"]);
    expect(detail.groups.map((g) => g.heading?.code)).toEqual(["5.12"]);
    // Both PS-3 and the summary of policy area 5.12 itself mention fingerprints.
    expect(detail.matched).toBe(2);
    const byCode = (await getFramework(ctx, { key: "cjis-policy", version: "6.0", query: "ac-2(13" }))!;
    expect(byCode.groups.flatMap((g) => g.items.map((r) => r.code))).toEqual(["AC-2(13)"]);
  });

  it("treats filter text literally, so % and _ match only themselves", async () => {
    const detail = (await getFramework(ctx, { key: "cjis-policy", version: "6.0", query: "%" }))!;
    expect(detail.matched).toBe(0);
  });

  it("shows the crosswalk from both ends, inverting subset and superset when read backwards", async () => {
    const principle1 = (await getRequirement(ctx, { key: "iacp-principles", version: "2015", code: "1" }))!;
    const toSa9 = principle1.crosswalk.find((l) => l.other.code === "SA-9")!;
    expect(toSa9).toMatchObject({ relationship: "superset", direction: "outgoing" });

    const sa9 = (await getRequirement(ctx, { key: "cjis-policy", version: "6.0", code: "SA-9" }))!;
    const fromPrinciple1 = sa9.crosswalk.find((l) => l.other.frameworkKey === "iacp-principles" && l.other.code === "1")!;
    expect(fromPrinciple1).toMatchObject({ relationship: "subset", direction: "incoming" });
    expect(fromPrinciple1.rationale).toBe(toSa9.rationale);
    expect(inverse("intersects")).toBe("intersects");
  });

  it("records each read for the audit trail: the framework or requirement, by id", async () => {
    const audit = new AuditRecorder(systemActor("test"));
    const read = (await getRequirement({ db: handle.db, audit }, { key: "cjis-policy", version: "6.0", code: "IR-6" }))!;
    await getPrincipleCrosswalk({ db: handle.db, audit });
    await handle.db.transaction((tx) => audit.flush(tx));
    const { auditEvents } = await import("../../db/schema/audit.ts");
    const events = await handle.db.select().from(auditEvents);
    expect(events.map((e) => [e.action, e.objectId])).toEqual([
      ["catalog.requirement.read", read.requirement.id],
      ["catalog.crosswalk.read", expect.any(String)],
    ]);
  });

  it("gives a requirement its parent, its children and the evidence that can satisfy it", async () => {
    const ac2 = (await getRequirement(ctx, { key: "cjis-policy", version: "6.0", code: "AC-2" }))!;
    expect(ac2.parent!.code).toBe("5.5");
    expect(ac2.children.map((c) => c.code)).toEqual(["AC-2(2)", "AC-2(3)", "AC-2(4)", "AC-2(13)"]);
    const ps3 = (await getRequirement(ctx, { key: "cjis-policy", version: "6.0", code: "PS-3" }))!;
    expect(ps3.evidence.map((e) => e.key)).toEqual(["personnel-roster", "fingerprint-check-attestation"]);
  });

  it("answers null for a requirement or version that does not exist", async () => {
    expect(await getRequirement(ctx, { key: "cjis-policy", version: "6.0", code: "ZZ-9" })).toBeNull();
    expect(await getRequirement(ctx, { key: "cjis-policy", version: "5.9", code: "AC-2" })).toBeNull();
    expect(await getFramework(ctx, { key: "cjis-policy", version: "6.0", revision: 7 })).toBeNull();
  });

  it("reads the crosswalk from the principles: provisions that serve each, and its CJIS requirements", async () => {
    const cw = (await getPrincipleCrosswalk(ctx))!;
    expect(cw.rows).toHaveLength(12);
    const audit = cw.rows.find((r) => r.principle.code === "6")!;
    expect(audit.provisions.map((p) => p.code)).toEqual(["9"]);
    expect(audit.controls.map((c) => c.code)).toEqual(expect.arrayContaining(["SA-9", "CA-2", "AU-6", "5.1.2"]));
  });

  it("lists the evidence vocabulary in order, with the requirements each kind supports", async () => {
    const kinds = await listEvidenceKinds(ctx);
    expect(kinds).toHaveLength(15);
    expect(kinds[0]!.key).toBe("third-party-audit-report");
    const fips = kinds.find((k) => k.key === "fips-validation-certificate")!;
    expect(fips.supports.map((s) => s.code)).toEqual(["10", "SC-8", "SC-13", "SC-28"]);
    expect(kinds.find((k) => k.key === "breach-notice")!.eventDriven).toBe(true);
  });
});
