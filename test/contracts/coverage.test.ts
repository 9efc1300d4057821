import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { InvalidInput, NotFound } from "../../app/modules/context.server.ts";
import { createContract, updateContract } from "../../app/modules/contracts/contracts.server.ts";
import {
  coverageOf,
  getCoverageEntry,
  getGapReport,
  getMatrix,
  getMatrixForPage,
  setCoverage,
} from "../../app/modules/contracts/coverage.server.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { coverageEntries } from "../../db/schema/contracts.ts";
import { appContext, makeAccount, seedOrganisations, signIn } from "../support/accounts.ts";
import { loaderArgs } from "../support/routes.ts";
import { loader as gapsCsvLoader } from "../../app/routes/contracts.gaps-csv.tsx";
import { assessmentLine } from "../../app/modules/contracts/gap-words.ts";
import { as, contractInput, vendorInput } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";

let handle: DatabaseHandle;
const now = new Date("2026-11-23T15:00:00.000Z");
let buyer: ProvisionedAccount;
let cjisB: ProvisionedAccount;
let buyerB: ProvisionedAccount;
let agencyBId: string;
let vendorId: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  const orgs = await seedOrganisations(handle.db);
  buyer = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", now);
  cjisB = await makeAccount(handle.db, orgs.agencyB.id, "cjis-officer", now);
  buyerB = await makeAccount(handle.db, orgs.agencyB.id, "procurement-officer", now);
  agencyBId = orgs.agencyB.id;
  vendorId = (await as(handle.db, buyer, now, (ctx) => registerVendor(ctx, vendorInput()))).id;
});
afterAll(async () => {
  await handle?.close();
});

async function newContract(overrides: Record<string, unknown> = {}) {
  const contract = await as(handle.db, buyer, now, (ctx) => createContract(ctx, contractInput(vendorId, overrides)));
  const matrix = await as(handle.db, buyer, now, (ctx) => getMatrix(ctx, contract.id));
  const id = (key: string, code: string) =>
    matrix.sections.find((s) => s.framework.key === key)!.rows.find((r) => r.code === code)!.id;
  return { contract, matrix, id };
}

/** A vendor whose record agency A flags: the provider holds the keys, no legal-notice address, data stored in Germany. */
const flaggedVendor = () =>
  as(handle.db, buyer, now, (ctx) =>
    registerVendor(
      ctx,
      vendorInput({
        keyCustody: "provider",
        legalNoticeAddress: "",
        locations: [{ dataCategory: "bwc-video", country: "DE", region: "Frankfurt" }],
      }),
    ),
  );

describe("the coverage matrix", () => {
  it("lists every principle, provision and CJIS control of the catalog, all not yet assessed at first", async () => {
    const { matrix } = await newContract();
    expect(matrix.sections.map((s) => [s.framework.key, s.rows.length])).toEqual([
      ["iacp-principles", 12],
      ["iacp-provisions", 13],
      ["cjis-policy", 54],
    ]);
    expect(matrix.figures.contract).toMatchObject({ total: 79, unassessed: 79, addressed: 0 });
    expect(matrix.sections[2]!.rows.find((r) => r.code === "AC-7")!.area).toEqual({
      code: "5.5",
      title: expect.stringContaining("Access"),
    });
  });

  it("shows which principle and CJIS controls provision 9 (audit) contributes to when it is marked addressed", async () => {
    const { contract, id } = await newContract();
    const result = await as(handle.db, buyer, now, (ctx) =>
      setCoverage(ctx, contract.id, [id("iacp-provisions", "9")], { status: "addressed", section: "§7.2, Schedule B" }),
    );
    expect(result.changed).toBe(1);
    expect(result.contributes).toContain("IACP principle 6");
    expect(result.contributes).toEqual(expect.arrayContaining(["CJIS SA-9", "CJIS CA-2", "CJIS 5.1.2"]));
    const principle = await as(handle.db, buyer, now, (ctx) => getCoverageEntry(ctx, contract.id, id("iacp-principles", "6")));
    expect(principle.fromProvisions).toEqual({ status: "addressed", count: 1 });
    expect(principle.contributes.find((c) => c.label === "IACP provision 9")?.status).toBe("addressed");
  });

  it("draws the catalog as last loaded: a crosswalk link removed by a new catalog load leaves the next matrix at once", async () => {
    const { contract } = await newContract();
    const linksOf = async (code: string) => {
      const m = await as(handle.db, buyer, now, (ctx) => getMatrix(ctx, contract.id));
      return m.sections.find((s) => s.framework.key === "iacp-provisions")!.rows.find((r) => r.code === code)!.links;
    };
    // The first matrix reads the catalog rows and keeps them; the second is drawn from what was kept.
    expect((await linksOf("9")).map((l) => l.label)).toContain("IACP principle 6");
    expect((await linksOf("9")).map((l) => l.label)).toContain("IACP principle 6");
    const without = {
      ...catalogData,
      crosswalk: catalogData.crosswalk.filter((l) => !(l.from === "iacp-provisions@2015:9" && l.to === "iacp-principles@2015:6")),
    };
    try {
      expect((await loadCatalog(handle.db, without)).crosswalk.removed).toBe(1);
      expect((await linksOf("9")).map((l) => l.label)).not.toContain("IACP principle 6");
    } finally {
      await loadCatalog(handle.db, catalogData);
    }
    expect((await linksOf("9")).map((l) => l.label)).toContain("IACP principle 6");
  });

  it("summarizes a principle from its provisions: all addressed, some, none", async () => {
    const { contract, id } = await newContract();
    // Principle 5 (no data mining) is served by provisions 2, 5, 6, 7 and 8.
    const principle = id("iacp-principles", "5");
    const provisions = (
      await as(handle.db, buyer, now, (ctx) => getCoverageEntry(ctx, contract.id, principle))
    ).contributes.filter((c) => c.kind === "provision");
    expect(provisions.length).toBeGreaterThan(1);
    await as(handle.db, buyer, now, (ctx) => setCoverage(ctx, contract.id, [provisions[0]!.id], { status: "missing" }));
    expect((await as(handle.db, buyer, now, (ctx) => getCoverageEntry(ctx, contract.id, principle))).fromProvisions!.status).toBe(
      "missing",
    );
    await as(handle.db, buyer, now, (ctx) =>
      setCoverage(ctx, contract.id, [provisions[1]!.id], { status: "addressed", section: "§3" }),
    );
    expect((await as(handle.db, buyer, now, (ctx) => getCoverageEntry(ctx, contract.id, principle))).fromProvisions!.status).toBe(
      "partial",
    );
    await as(handle.db, buyer, now, (ctx) =>
      setCoverage(
        ctx,
        contract.id,
        provisions.map((p) => p.id),
        { status: "addressed", section: "§3" },
      ),
    );
    expect((await as(handle.db, buyer, now, (ctx) => getCoverageEntry(ctx, contract.id, principle))).fromProvisions!.status).toBe(
      "addressed",
    );
  });

  it("keeps the history of every change: who, when, from what to what", async () => {
    const { contract, id } = await newContract();
    const control = id("cjis-policy", "IR-6");
    await as(handle.db, buyer, now, (ctx) =>
      setCoverage(ctx, contract.id, [control], { status: "missing", notes: "No breach clause" }),
    );
    const later = new Date(now.getTime() + 60_000);
    await as(handle.db, buyer, later, (ctx) =>
      setCoverage(ctx, contract.id, [control], { status: "partial", section: "§11", notes: "Four hours, not one" }),
    );
    await as(handle.db, buyer, later, (ctx) =>
      setCoverage(ctx, contract.id, [control], { status: "partial", section: "§11", notes: "Four hours, not one" }),
    );
    const entry = await as(handle.db, cjisB, now, (ctx) => getCoverageEntry(ctx, contract.id, control).catch((e: unknown) => e));
    expect(entry).toBeInstanceOf(NotFound); // not shared with B
    const { history } = await as(handle.db, buyer, later, (ctx) => getCoverageEntry(ctx, contract.id, control));
    expect(history.map((h) => [h.before, h.after, h.changedByName])).toEqual([
      [
        { status: "missing", section: "", notes: "No breach clause", reason: null, responsibility: null },
        { status: "partial", section: "§11", notes: "Four hours, not one", reason: null, responsibility: null },
        buyer.name,
      ],
      [null, { status: "missing", section: "", notes: "No breach clause", reason: null, responsibility: null }, buyer.name],
    ]);
  });

  it("sets several requirements at once, keeping each one's own notes", async () => {
    const { contract, id } = await newContract();
    const codes = ["AC-2", "AC-7", "IA-2"].map((c) => id("cjis-policy", c));
    await as(handle.db, buyer, now, (ctx) =>
      setCoverage(ctx, contract.id, [codes[0]!], { status: "missing", notes: "Own note" }),
    );
    const result = await as(handle.db, buyer, now, (ctx) =>
      setCoverage(ctx, contract.id, codes, { status: "addressed", section: "Schedule C" }),
    );
    expect(result).toMatchObject({ changed: 3, unchanged: 0 });
    const rows = await handle.db.select().from(coverageEntries).where(eq(coverageEntries.contractId, contract.id));
    expect(rows.map((r) => [r.status, r.section, r.notes]).sort()).toEqual([
      ["addressed", "Schedule C", ""],
      ["addressed", "Schedule C", ""],
      ["addressed", "Schedule C", "Own note"],
    ]);
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, contract.id), eq(auditEvents.action, "contract.coverage.bulk-set")));
    expect((event!.details as { requirements: string[] }).requirements.sort()).toEqual(["AC-2", "AC-7", "IA-2"]);
  });

  it("records who carries a requirement, keeps it through a bulk change that does not name it, and drops it when the requirement does not apply", async () => {
    const { contract, id } = await newContract();
    const [ac2, ac7, ia2] = ["AC-2", "AC-7", "IA-2"].map((c) => id("cjis-policy", c));
    await as(handle.db, buyer, now, (ctx) =>
      setCoverage(ctx, contract.id, [ac2!], { status: "addressed", section: "§4", responsibility: "shared" }),
    );
    await as(handle.db, buyer, now, (ctx) => setCoverage(ctx, contract.id, [ac2!, ac7!], { status: "partial", section: "§5" }));
    await as(handle.db, buyer, now, (ctx) =>
      setCoverage(ctx, contract.id, [ia2!], { status: "not-applicable", reason: "No user accounts", responsibility: "agency" }),
    );
    const rows = await handle.db.select().from(coverageEntries).where(eq(coverageEntries.contractId, contract.id));
    const of = (rid: string) => rows.find((r) => r.requirementId === rid)!;
    expect([of(ac2!).status, of(ac2!).responsibility]).toEqual(["partial", "shared"]);
    expect(of(ac7!).responsibility).toBeNull();
    expect(of(ia2!).responsibility).toBeNull();
    const entry = await as(handle.db, buyer, now, (ctx) => getCoverageEntry(ctx, contract.id, ac2!));
    expect(entry.requirement.responsibility).toBe("shared");
    await expect(
      as(handle.db, buyer, now, (ctx) =>
        setCoverage(ctx, contract.id, [ac7!], { status: "addressed", section: "§6", responsibility: "the vendor" }),
      ),
    ).rejects.toMatchObject({ fieldErrors: { responsibility: "Choose the provider, the agency or both." } });
  });

  it("refuses not applicable without a reason, addressed without a section, and requirements of no matrix; nothing changes", async () => {
    const { contract, id } = await newContract();
    const errors = async (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => (e instanceof InvalidInput ? e.fieldErrors : Promise.reject(e)),
      );
    expect(
      await errors(
        as(handle.db, buyer, now, (ctx) =>
          setCoverage(ctx, contract.id, [id("cjis-policy", "AC-7")], { status: "not-applicable" }),
        ),
      ),
    ).toEqual({ reason: "Say why this requirement does not apply to the contract." });
    expect(
      await errors(
        as(handle.db, buyer, now, (ctx) => setCoverage(ctx, contract.id, [id("cjis-policy", "AC-7")], { status: "addressed" })),
      ),
    ).toEqual({ section: expect.stringContaining("contract section") });
    expect(await errors(as(handle.db, buyer, now, (ctx) => setCoverage(ctx, contract.id, [], { status: "missing" })))).toEqual({
      requirementIds: "Choose at least one requirement.",
    });
    expect(
      await errors(
        as(handle.db, buyer, now, (ctx) =>
          setCoverage(ctx, contract.id, ["00000000-0000-4000-8000-000000000000"], { status: "missing" }),
        ),
      ),
    ).toEqual({ requirementIds: "Choose requirements of this contract's matrix." });
    expect(
      await errors(
        as(handle.db, buyer, now, (ctx) => setCoverage(ctx, contract.id, [id("cjis-policy", "AC-7")], { status: "done" })),
      ),
    ).toEqual({ status: "Choose a status." });
    expect(await handle.db.select().from(coverageEntries).where(eq(coverageEntries.contractId, contract.id))).toEqual([]);
  });

  it("counts per framework, per principle and per contract, leaving not-applicable requirements out of the percentage", async () => {
    const { contract, id } = await newContract();
    await as(handle.db, buyer, now, (ctx) =>
      setCoverage(ctx, contract.id, [id("iacp-provisions", "9"), id("iacp-provisions", "10")], {
        status: "addressed",
        section: "§7",
      }),
    );
    await as(handle.db, buyer, now, (ctx) =>
      setCoverage(ctx, contract.id, [id("iacp-provisions", "11")], {
        status: "not-applicable",
        reason: "No evidentiary data in this service",
      }),
    );
    await as(handle.db, buyer, now, (ctx) => setCoverage(ctx, contract.id, [id("iacp-provisions", "12")], { status: "missing" }));
    const matrix = await as(handle.db, buyer, now, (ctx) => getMatrix(ctx, contract.id));
    expect(matrix.sections[1]!.counts).toEqual({
      addressed: 2,
      partial: 0,
      missing: 1,
      "not-applicable": 1,
      unassessed: 9,
      total: 13,
    });
    expect(matrix.figures.contract).toMatchObject({ addressed: 2, "not-applicable": 1, total: 79 });
    expect(matrix.figures.percent).toBe(Math.round((2 * 100) / 64));
    expect(matrix.figures.perPrinciple.find((p) => p.code === "6")!.counts.addressed).toBeGreaterThanOrEqual(1);
    const counts = await coverageOf(handle.db ? { db: handle.db } : (null as never), [contract.id]);
    expect(counts.get(contract.id)).toEqual(matrix.figures.contract);
    const missingOnly = await as(handle.db, buyer, now, (ctx) => getMatrix(ctx, contract.id, { status: "missing" }));
    expect(missingOnly.sections.flatMap((s) => s.rows.map((r) => r.code))).toEqual(["12"]);
  });

  it("lists every missing or partial requirement in the gap report with the provision that would close it", async () => {
    const { contract, id } = await newContract();
    await as(handle.db, buyer, now, (ctx) => setCoverage(ctx, contract.id, [id("cjis-policy", "AU-6")], { status: "missing" }));
    await as(handle.db, buyer, now, (ctx) =>
      setCoverage(ctx, contract.id, [id("iacp-provisions", "10")], { status: "partial", section: "§8" }),
    );
    await as(handle.db, buyer, now, (ctx) =>
      setCoverage(ctx, contract.id, [id("iacp-provisions", "9")], { status: "addressed", section: "§7" }),
    );
    const report = await as(handle.db, buyer, now, (ctx) => getGapReport(ctx, contract.id));
    expect(report.gaps.map((g) => [g.label, g.status])).toEqual([
      ["IACP provision 10", "partial"],
      ["CJIS AU-6", "missing"],
    ]);
    expect(report.gaps[0]!.closing.map((p) => p.code)).toEqual(["10"]);
    expect(report.gaps[1]!.closing.map((p) => p.code)).toContain("9");
    expect(report.unassessed).toBe(76);
    // How much was assessed comes first, per framework, on the page and in the CSV, which lists the unassessed too.
    expect(assessmentLine(report.assessment)).toBe(
      "3 of 79 requirements assessed (IACP principles 2015: 0 of 12; IACP provisions 2015: 2 of 13; CJIS Security Policy 6.0: 1 of 54).",
    );
    const cookie = (await signIn(handle.db, buyer, now)).cookie;
    const csv = await (
      (await gapsCsvLoader(
        loaderArgs(appContext(handle.db, { now }), `/contracts/${contract.id}/gaps.csv`, { contractId: contract.id }, { cookie }),
      )) as Response
    ).text();
    const lines = csv.trim().split("\n");
    expect(lines).toHaveLength(1 + 2 + 76);
    expect(lines.filter((l) => l.includes(",Not yet assessed,"))).toHaveLength(76);
    expect(lines.some((l) => l.endsWith(",,,") || /,$/.test(l))).toBe(false);
  });

  it("says where the vendor record conflicts with the contract, and stops when the contract is fixed", async () => {
    const vendor = await flaggedVendor();
    const contract = await as(handle.db, buyer, now, (ctx) =>
      createContract(ctx, contractInput(vendor.id, { breachNoticeHours: "24" })),
    );
    const codes = async () =>
      (await as(handle.db, buyer, now, (ctx) => getMatrix(ctx, contract.id))).conflicts.map((c) => c.code);
    expect(await codes()).toEqual([
      "storage-location",
      "provider-keys-without-roster",
      "no-legal-notice-address",
      "breach-window",
    ]);
    await as(handle.db, buyer, now, (ctx) =>
      updateContract(ctx, contract.id, contractInput(vendor.id, { breachNoticeHours: "1", personnelRosterRequired: "on" })),
    );
    expect(await codes()).toEqual(["storage-location", "no-legal-notice-address"]);
  });

  it("shows on the matrix page what the documents' matrix holds: the same rows, figures and conflicts, for the owner and for an agency it is shared with, and nothing to one it is not", async () => {
    const flagged = await flaggedVendor();
    // A vendor agency B registered: agency A, which contracts with it, has no record of its own of the vendor.
    const unrecorded = await as(handle.db, buyerB, now, (ctx) => registerVendor(ctx, vendorInput()));
    for (const [vendor, expected] of [
      [flagged.id, ["storage-location", "provider-keys-without-roster", "no-legal-notice-address", "breach-window"]],
      [unrecorded.id, ["no-vendor-record", "breach-window"]],
    ] as const) {
      const contract = await as(handle.db, buyer, now, (ctx) =>
        createContract(ctx, contractInput(vendor, { breachNoticeHours: "24", sharedWith: [agencyBId] })),
      );
      const full = await as(handle.db, buyer, now, (ctx) => getMatrix(ctx, contract.id));
      const provision = full.sections[1]!.rows[0]!.id;
      await as(handle.db, buyer, now, (ctx) =>
        setCoverage(ctx, contract.id, [provision], { status: "addressed", section: "§4" }),
      );
      for (const [person, owned] of [
        [buyer, true],
        [cjisB, false],
      ] as const) {
        const filter = { open: ["iacp-provisions"] };
        const documents = await as(handle.db, person, now, (ctx) => getMatrix(ctx, contract.id, filter));
        const page = await as(handle.db, person, now, (ctx) => getMatrixForPage(ctx, contract.id, filter));
        expect(page.sections).toEqual(documents.sections);
        expect(page.figures).toEqual(documents.figures);
        expect(page.conflicts).toEqual(documents.conflicts);
        expect(page.conflicts.map((c) => c.code)).toEqual(expected);
        expect(page.figures.contract.addressed).toBe(1);
        expect(page.view).toEqual({
          contract: {
            id: contract.id,
            title: documents.view.contract.title,
            agencyId: documents.view.contract.agencyId,
            vendorId: vendor,
          },
          agencyName: documents.view.agencyName,
          vendorName: documents.view.vendorName,
          terms: { breachNoticeHours: 24, personnelRosterRequired: false },
          frameworks: documents.view.frameworks,
          owned,
          canEdit: owned,
        });
      }
    }
    const unshared = await as(handle.db, buyer, now, (ctx) => createContract(ctx, contractInput(vendorId)));
    const refused = await as(handle.db, cjisB, now, (ctx) => getMatrixForPage(ctx, unshared.id).catch((e: unknown) => e));
    expect(refused).toBeInstanceOf(NotFound);
    const malformed = await as(handle.db, buyer, now, (ctx) => getMatrixForPage(ctx, "not-a-uuid").catch((e: unknown) => e));
    expect(malformed).toBeInstanceOf(NotFound);
  });
});
