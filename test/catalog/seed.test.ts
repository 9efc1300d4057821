import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freezeFrameworkRevision } from "../../app/modules/catalog/catalog.server.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { CatalogDataError, loadCatalog, totalChanges } from "../../db/catalog/load.ts";
import type { CatalogData } from "../../db/catalog/types.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { crosswalk, evidenceKindRequirements, evidenceKinds, frameworks, requirements } from "../../db/schema/catalog.ts";
import { createTestDatabase } from "../support/database.ts";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});
beforeEach(async () => {
  await handle.db.execute(
    // cascade: contracts that cite the catalog (none in these tests) go with it.
    sql`truncate catalog_evidence_kind_requirements, catalog_evidence_kinds, catalog_crosswalk, catalog_requirements, catalog_frameworks cascade`,
  );
});

/** Everything the catalog holds, ids included, in a stable order. */
async function snapshot() {
  const db = handle.db;
  return {
    frameworks: await db.select().from(frameworks).orderBy(asc(frameworks.key), asc(frameworks.revision)),
    requirements: await db.select().from(requirements).orderBy(asc(requirements.id)),
    crosswalk: await db.select().from(crosswalk).orderBy(asc(crosswalk.fromId), asc(crosswalk.toId)),
    evidenceKinds: await db.select().from(evidenceKinds).orderBy(asc(evidenceKinds.key)),
    evidenceLinks: await db
      .select()
      .from(evidenceKindRequirements)
      .orderBy(asc(evidenceKindRequirements.evidenceKindId), asc(evidenceKindRequirements.requirementId)),
  };
}

/** A copy of the catalog data with one CJIS requirement's summary changed. */
function withEditedSummary(code: string, summary: string): CatalogData {
  const copy = structuredClone(catalogData);
  const cjis = copy.frameworks.find((f) => f.key === "cjis-policy")!;
  cjis.requirements.find((r) => r.code === code)!.summary = summary;
  return copy;
}

async function cjisRequirement(code: string, revision: number) {
  const [row] = await handle.db
    .select({ id: requirements.id, summary: requirements.summary })
    .from(requirements)
    .innerJoin(frameworks, eq(frameworks.id, requirements.frameworkId))
    .where(and(eq(frameworks.key, "cjis-policy"), eq(frameworks.revision, revision), eq(requirements.code, code)));
  return row;
}

describe("loading the catalog", () => {
  it("loads every framework, requirement, crosswalk link and evidence kind into an empty database", async () => {
    const report = await loadCatalog(handle.db, catalogData);
    expect(report.frameworks.added).toBe(4);
    expect(report.requirements.added).toBe(catalogData.frameworks.reduce((n, f) => n + f.requirements.length, 0));
    expect(report.crosswalk.added).toBe(catalogData.crosswalk.length);
    expect(report.evidenceKinds.added).toBe(15);
  });

  it("changes nothing when run a second time, not even an id", async () => {
    await loadCatalog(handle.db, catalogData);
    const before = await snapshot();
    const report = await loadCatalog(handle.db, catalogData);
    expect(totalChanges(report)).toBe(0);
    expect(report.frameworks.unchanged).toBe(4);
    expect(await snapshot()).toEqual(before);
  });

  it("updates an edited entry in place, keeping its id and its crosswalk links", async () => {
    await loadCatalog(handle.db, catalogData);
    const before = await cjisRequirement("IR-6", 1);
    const report = await loadCatalog(
      handle.db,
      withEditedSummary("IR-6", "An edited summary of incident reporting, long enough to pass."),
    );
    expect(report.frameworks.updated).toBe(1);
    expect(report.requirements.updated).toBe(1);
    expect(report.frameworks.revised).toBe(0);
    const after = await cjisRequirement("IR-6", 1);
    expect(after!.id).toBe(before!.id);
    expect(after!.summary).toBe("An edited summary of incident reporting, long enough to pass.");
    const links = await handle.db.select().from(crosswalk).where(eq(crosswalk.toId, after!.id));
    expect(links.length).toBeGreaterThan(0);
  });

  it("never rewrites a framework version a contract cites: it adds a new revision and keeps the old one intact", async () => {
    await loadCatalog(handle.db, catalogData);
    const [cjis] = await handle.db.select().from(frameworks).where(eq(frameworks.key, "cjis-policy"));
    await freezeFrameworkRevision({ db: handle.db }, cjis!.id);
    const frozenBefore = await cjisRequirement("IR-6", 1);

    const report = await loadCatalog(
      handle.db,
      withEditedSummary("IR-6", "A revised summary that must not overwrite the frozen revision."),
    );
    expect(report.frameworks.revised).toBe(1);
    expect(report.frameworks.updated).toBe(0);

    expect(await cjisRequirement("IR-6", 1)).toEqual(frozenBefore);
    expect((await cjisRequirement("IR-6", 2))!.summary).toBe("A revised summary that must not overwrite the frozen revision.");
    const revisions = await handle.db
      .select({ revision: frameworks.revision, frozenAt: frameworks.frozenAt })
      .from(frameworks)
      .where(eq(frameworks.key, "cjis-policy"))
      .orderBy(asc(frameworks.revision));
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(revisions[0]!.frozenAt).toBeInstanceOf(Date);
    expect(revisions[1]!.frozenAt).toBeNull();

    // The crosswalk now points at the new revision; the old revision keeps its own links.
    const newIr6 = await cjisRequirement("IR-6", 2);
    expect((await handle.db.select().from(crosswalk).where(eq(crosswalk.toId, newIr6!.id))).length).toBeGreaterThan(0);
    expect((await handle.db.select().from(crosswalk).where(eq(crosswalk.toId, frozenBefore!.id))).length).toBeGreaterThan(0);

    // And loading the same data again is still a no-op.
    expect(
      totalChanges(
        await loadCatalog(handle.db, withEditedSummary("IR-6", "A revised summary that must not overwrite the frozen revision.")),
      ),
    ).toBe(0);
  });

  it("settles with two versions of one document side by side, each keeping its own place", async () => {
    const copy = structuredClone(catalogData);
    const v6 = copy.frameworks.find((f) => f.key === "cjis-policy")!;
    copy.frameworks.push({ ...structuredClone(v6), version: "6.1", published: "2026-06-25" });
    const first = await loadCatalog(handle.db, copy);
    expect(first.frameworks.added).toBe(5);
    // Show the newer version first: only the display order changes.
    const reordered = {
      ...copy,
      frameworks: [...copy.frameworks.slice(0, 2), copy.frameworks[4]!, ...copy.frameworks.slice(2, 4)],
    };
    expect((await loadCatalog(handle.db, reordered)).frameworks.updated).toBe(3); // 6.1, 6.0 and the Addendum move
    expect(totalChanges(await loadCatalog(handle.db, reordered))).toBe(0);
    const rows = await handle.db
      .select({ version: frameworks.version, position: frameworks.position })
      .from(frameworks)
      .where(eq(frameworks.key, "cjis-policy"))
      .orderBy(asc(frameworks.version));
    expect(rows).toEqual([
      { version: "6.0", position: 3 },
      { version: "6.1", position: 2 },
    ]);
  });

  it("removes an entry dropped from an unfrozen framework, with its links", async () => {
    await loadCatalog(handle.db, catalogData);
    const copy = structuredClone(catalogData);
    const cjis = copy.frameworks.find((f) => f.key === "cjis-policy")!;
    cjis.requirements = cjis.requirements.filter((r) => r.code !== "SC-10");
    const report = await loadCatalog(handle.db, copy);
    expect(report.requirements.removed).toBe(1);
    expect(await cjisRequirement("SC-10", 1)).toBeUndefined();
  });

  it("rejects data with a broken reference and leaves the catalog exactly as it was", async () => {
    await loadCatalog(handle.db, catalogData);
    const before = await snapshot();
    const broken = structuredClone(catalogData);
    broken.frameworks.find((f) => f.key === "iacp-principles")!.requirements[0]!.summary =
      "Changed, but the load must fail as a whole.";
    broken.crosswalk.push({
      from: "iacp-principles@2015:1",
      to: "cjis-policy@6.0:ZZ-1",
      relationship: "subset",
      rationale: "Points nowhere at all.",
    });
    await expect(loadCatalog(handle.db, broken)).rejects.toThrow(CatalogDataError);
    expect(await snapshot()).toEqual(before);
  });
});
