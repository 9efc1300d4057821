import { createHash, randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Queryable } from "../client.ts";
import {
  catalogState,
  crosswalk,
  evidenceKindRequirements,
  evidenceKinds,
  frameworks,
  requirements,
  type Framework,
} from "../schema/catalog.ts";
import { CatalogData, type FrameworkData, type ParsedCatalogData } from "./types.ts";

/**
 * Loads the catalog data into the database, idempotently:
 * - unchanged data changes nothing;
 * - an edited framework is updated in place, unless its latest revision is frozen
 *   (a contract cites it), in which case a new revision is added and the old one kept;
 * - the crosswalk and evidence links are reconciled among the latest revisions.
 */

export class CatalogDataError extends Error {
  override name = "CatalogDataError";
  constructor(readonly problems: string[]) {
    super(`The catalog data has ${problems.length} problem(s):\n- ${problems.join("\n- ")}`);
  }
}

export type SeedReport = {
  frameworks: { added: number; updated: number; revised: number; unchanged: number };
  requirements: { added: number; updated: number; removed: number };
  crosswalk: { added: number; updated: number; removed: number };
  evidenceKinds: { added: number; updated: number };
  evidenceLinks: { added: number; removed: number };
};

export function totalChanges(report: SeedReport): number {
  const { frameworks: f, requirements: r, crosswalk: c, evidenceKinds: k, evidenceLinks: l } = report;
  return (
    f.added +
    f.updated +
    f.revised +
    r.added +
    r.updated +
    r.removed +
    c.added +
    c.updated +
    c.removed +
    k.added +
    k.updated +
    l.added +
    l.removed
  );
}

const frameworkRef = (f: { key: string; version: string }) => `${f.key}@${f.version}`;

/** Validate shape and references; returns the parsed data or throws CatalogDataError listing every problem. */
export function validateCatalog(input: CatalogData): ParsedCatalogData {
  const parsed = CatalogData.safeParse(input);
  if (!parsed.success) {
    throw new CatalogDataError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const data = parsed.data;
  const problems: string[] = [];
  const known = new Set<string>();
  const seenFrameworks = new Set<string>();
  for (const f of data.frameworks) {
    const fref = frameworkRef(f);
    if (seenFrameworks.has(fref)) problems.push(`framework ${fref} appears twice`);
    seenFrameworks.add(fref);
    const codes = new Set<string>();
    for (const r of f.requirements) {
      if (codes.has(r.code)) problems.push(`${fref}: code ${r.code} appears twice`);
      if (r.parent !== undefined && !codes.has(r.parent)) {
        problems.push(`${fref}:${r.code}: parent ${r.parent} must be listed before it in the same framework`);
      }
      codes.add(r.code);
      known.add(`${fref}:${r.code}`);
    }
  }
  const pairs = new Set<string>();
  for (const link of data.crosswalk) {
    for (const ref of [link.from, link.to]) {
      if (!known.has(ref)) problems.push(`crosswalk: ${ref} is not in the catalog`);
    }
    if (link.from === link.to) problems.push(`crosswalk: ${link.from} is linked to itself`);
    if (pairs.has(`${link.from}|${link.to}`)) problems.push(`crosswalk: ${link.from} → ${link.to} appears twice`);
    if (pairs.has(`${link.to}|${link.from}`)) {
      problems.push(`crosswalk: ${link.from} ↔ ${link.to} is given in both directions; give it once`);
    }
    pairs.add(`${link.from}|${link.to}`);
  }
  const kindKeys = new Set<string>();
  for (const kind of data.evidenceKinds) {
    if (kindKeys.has(kind.key)) problems.push(`evidence kind ${kind.key} appears twice`);
    kindKeys.add(kind.key);
    for (const ref of kind.supports) {
      if (!known.has(ref)) problems.push(`evidence kind ${kind.key}: ${ref} is not in the catalog`);
    }
  }
  if (problems.length > 0) throw new CatalogDataError(problems);
  return data;
}

function contentHash(f: FrameworkData): string {
  return createHash("sha256").update(JSON.stringify(f)).digest("hex");
}

function emptyReport(): SeedReport {
  return {
    frameworks: { added: 0, updated: 0, revised: 0, unchanged: 0 },
    requirements: { added: 0, updated: 0, removed: 0 },
    crosswalk: { added: 0, updated: 0, removed: 0 },
    evidenceKinds: { added: 0, updated: 0 },
    evidenceLinks: { added: 0, removed: 0 },
  };
}

export async function loadCatalog(db: Database, input: CatalogData): Promise<SeedReport> {
  const data = validateCatalog(input);
  return db.transaction(async (tx) => {
    const report = emptyReport();
    // refs ("key@version:code") of the latest revision of each framework in the data → requirement id
    const idByRef = new Map<string, string>();
    for (const [position, f] of data.frameworks.entries()) {
      const latestId = await upsertFramework(tx, f, position, report);
      const rows = await tx
        .select({ id: requirements.id, code: requirements.code })
        .from(requirements)
        .where(eq(requirements.frameworkId, latestId));
      for (const row of rows) idByRef.set(`${frameworkRef(f)}:${row.code}`, row.id);
    }
    const latestIds = [...idByRef.values()];
    await reconcileCrosswalk(tx, data, idByRef, latestIds, report);
    await reconcileEvidenceKinds(tx, data, idByRef, latestIds, report);
    // A new edition tells every server copy to read the catalog rows it keeps in memory again.
    const edition = randomUUID();
    await tx.insert(catalogState).values({ id: 1, edition }).onConflictDoUpdate({ target: catalogState.id, set: { edition } });
    return report;
  });
}

/** Returns the id of the framework revision that now represents f. */
async function upsertFramework(tx: Queryable, f: FrameworkData, position: number, report: SeedReport): Promise<string> {
  const hash = contentHash(f);
  const [latest] = await tx
    .select()
    .from(frameworks)
    .where(and(eq(frameworks.key, f.key), eq(frameworks.version, f.version)))
    .orderBy(sql`${frameworks.revision} desc`)
    .limit(1);
  if (!latest) {
    const id = await insertFramework(tx, f, hash, 1, position, report);
    report.frameworks.added++;
    return id;
  }
  if (latest.contentHash === hash) {
    if (latest.position !== position) {
      // Display order is presentation, not content: it may change even on a frozen revision.
      await tx
        .update(frameworks)
        .set({ position })
        .where(and(eq(frameworks.key, f.key), eq(frameworks.version, f.version)));
      report.frameworks.updated++;
    } else {
      report.frameworks.unchanged++;
    }
    return latest.id;
  }
  if (latest.frozenAt) {
    const id = await insertFramework(tx, f, hash, latest.revision + 1, position, report);
    report.frameworks.revised++;
    return id;
  }
  await updateFrameworkInPlace(tx, latest, f, hash, position, report);
  report.frameworks.updated++;
  return latest.id;
}

function frameworkColumns(f: FrameworkData, hash: string) {
  return {
    kind: f.kind,
    title: f.title,
    shortTitle: f.shortTitle,
    publisher: f.publisher,
    published: f.published,
    citation: f.citation,
    description: f.description,
    contentHash: hash,
  };
}

function requirementColumns(r: FrameworkData["requirements"][number], sortOrder: number) {
  return {
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    citation: r.citation,
    figure: r.figure ?? null,
    priority: r.priority ?? null,
    sortOrder,
  };
}

async function insertFramework(
  tx: Queryable,
  f: FrameworkData,
  hash: string,
  revision: number,
  position: number,
  report: SeedReport,
) {
  const [row] = await tx
    .insert(frameworks)
    .values({ key: f.key, version: f.version, revision, position, ...frameworkColumns(f, hash) })
    .returning({ id: frameworks.id });
  const frameworkId = row!.id;
  const idByCode = new Map(f.requirements.map((r) => [r.code, randomUUID()]));
  await tx.insert(requirements).values(
    f.requirements.map((r, i) => ({
      id: idByCode.get(r.code)!,
      frameworkId,
      code: r.code,
      parentId: r.parent === undefined ? null : idByCode.get(r.parent)!,
      ...requirementColumns(r, i),
    })),
  );
  report.requirements.added += f.requirements.length;
  return frameworkId;
}

async function updateFrameworkInPlace(
  tx: Queryable,
  latest: Framework,
  f: FrameworkData,
  hash: string,
  position: number,
  report: SeedReport,
) {
  await tx
    .update(frameworks)
    .set({ ...frameworkColumns(f, hash), position, updatedAt: sql`now()` })
    .where(eq(frameworks.id, latest.id));
  const existing = await tx.select().from(requirements).where(eq(requirements.frameworkId, latest.id));
  const byCode = new Map(existing.map((r) => [r.code, r]));
  const idByCode = new Map<string, string>();
  for (const [i, r] of f.requirements.entries()) {
    const columns = requirementColumns(r, i);
    const current = byCode.get(r.code);
    if (!current) {
      const id = randomUUID();
      await tx.insert(requirements).values({ id, frameworkId: latest.id, code: r.code, ...columns });
      idByCode.set(r.code, id);
      report.requirements.added++;
      continue;
    }
    idByCode.set(r.code, current.id);
    const changed = (Object.keys(columns) as (keyof typeof columns)[]).some((k) => current[k] !== columns[k]);
    if (changed) {
      await tx.update(requirements).set(columns).where(eq(requirements.id, current.id));
      report.requirements.updated++;
    }
  }
  for (const r of f.requirements) {
    const parentId = r.parent === undefined ? null : idByCode.get(r.parent)!;
    const current = byCode.get(r.code);
    if (!current || current.parentId !== parentId) {
      await tx
        .update(requirements)
        .set({ parentId })
        .where(eq(requirements.id, idByCode.get(r.code)!));
      if (current) report.requirements.updated++;
    }
  }
  const removed = existing.filter((r) => !idByCode.has(r.code)).map((r) => r.id);
  if (removed.length > 0) {
    await tx.delete(requirements).where(inArray(requirements.id, removed));
    report.requirements.removed += removed.length;
  }
}

async function reconcileCrosswalk(
  tx: Queryable,
  data: ParsedCatalogData,
  idByRef: Map<string, string>,
  latestIds: string[],
  report: SeedReport,
) {
  const desired = new Map(
    data.crosswalk.map((l) => {
      const fromId = idByRef.get(l.from)!;
      const toId = idByRef.get(l.to)!;
      return [`${fromId}|${toId}`, { fromId, toId, relationship: l.relationship, rationale: l.rationale }];
    }),
  );
  // Only links between latest revisions are ours to change; links into older revisions are history.
  const existing = await tx
    .select()
    .from(crosswalk)
    .where(and(inArray(crosswalk.fromId, latestIds), inArray(crosswalk.toId, latestIds)));
  const existingByKey = new Map(existing.map((l) => [`${l.fromId}|${l.toId}`, l]));
  for (const [key, link] of desired) {
    const current = existingByKey.get(key);
    if (!current) {
      await tx.insert(crosswalk).values(link);
      report.crosswalk.added++;
    } else if (current.relationship !== link.relationship || current.rationale !== link.rationale) {
      await tx
        .update(crosswalk)
        .set({ relationship: link.relationship, rationale: link.rationale })
        .where(and(eq(crosswalk.fromId, link.fromId), eq(crosswalk.toId, link.toId)));
      report.crosswalk.updated++;
    }
  }
  for (const [key, link] of existingByKey) {
    if (!desired.has(key)) {
      await tx.delete(crosswalk).where(and(eq(crosswalk.fromId, link.fromId), eq(crosswalk.toId, link.toId)));
      report.crosswalk.removed++;
    }
  }
}

async function reconcileEvidenceKinds(
  tx: Queryable,
  data: ParsedCatalogData,
  idByRef: Map<string, string>,
  latestIds: string[],
  report: SeedReport,
) {
  const existing = await tx.select().from(evidenceKinds);
  const byKey = new Map(existing.map((k) => [k.key, k]));
  for (const [i, kind] of data.evidenceKinds.entries()) {
    const columns = {
      name: kind.name,
      description: kind.description,
      renewalMonths: kind.renewalMonths ?? null,
      eventDriven: kind.eventDriven,
      sortOrder: i,
    };
    let id = byKey.get(kind.key)?.id;
    const current = byKey.get(kind.key);
    if (!current) {
      const [row] = await tx
        .insert(evidenceKinds)
        .values({ key: kind.key, ...columns })
        .returning({ id: evidenceKinds.id });
      id = row!.id;
      report.evidenceKinds.added++;
    } else if ((Object.keys(columns) as (keyof typeof columns)[]).some((k) => current[k] !== columns[k])) {
      await tx.update(evidenceKinds).set(columns).where(eq(evidenceKinds.id, current.id));
      report.evidenceKinds.updated++;
    }
    const desired = new Set(kind.supports.map((ref) => idByRef.get(ref)!));
    const links = await tx
      .select({ requirementId: evidenceKindRequirements.requirementId })
      .from(evidenceKindRequirements)
      .where(and(eq(evidenceKindRequirements.evidenceKindId, id!), inArray(evidenceKindRequirements.requirementId, latestIds)));
    const have = new Set(links.map((l) => l.requirementId));
    const toAdd = [...desired].filter((r) => !have.has(r));
    const toRemove = [...have].filter((r) => !desired.has(r));
    if (toAdd.length > 0) {
      await tx.insert(evidenceKindRequirements).values(toAdd.map((requirementId) => ({ evidenceKindId: id!, requirementId })));
      report.evidenceLinks.added += toAdd.length;
    }
    if (toRemove.length > 0) {
      await tx
        .delete(evidenceKindRequirements)
        .where(and(eq(evidenceKindRequirements.evidenceKindId, id!), inArray(evidenceKindRequirements.requirementId, toRemove)));
      report.evidenceLinks.removed += toRemove.length;
    }
  }
}
