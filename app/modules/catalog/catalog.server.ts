import { and, asc, desc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { AuditRecorder } from "../audit/audit.server.ts";
import { queryRows, type Queryable } from "../../../db/client.ts";
import {
  crosswalk,
  evidenceKindRequirements,
  evidenceKinds,
  frameworks,
  requirements,
  type Framework,
  REQUIREMENT_KINDS,
  type Relationship,
  type Requirement,
} from "../../../db/schema/catalog.ts";

/**
 * Reading the requirement catalog. The catalog is reference data shared by the
 * whole installation; it is not tenant data. Functions take a context holding
 * the database (later also the actor) and plain input.
 */
export type CatalogContext = { db: Queryable; audit: Pick<AuditRecorder, "record"> };

/** For reads made on the way to another, already audited, read. */
const quietly = (ctx: CatalogContext): CatalogContext => ({ db: ctx.db, audit: { record: () => {} } });

export type FrameworkSummary = Pick<
  Framework,
  | "id"
  | "key"
  | "version"
  | "revision"
  | "kind"
  | "title"
  | "shortTitle"
  | "publisher"
  | "published"
  | "citation"
  | "description"
  | "frozenAt"
> & { counts: Record<string, number>; total: number; latest: boolean };

const frameworkColumns = {
  id: frameworks.id,
  key: frameworks.key,
  version: frameworks.version,
  revision: frameworks.revision,
  kind: frameworks.kind,
  title: frameworks.title,
  shortTitle: frameworks.shortTitle,
  publisher: frameworks.publisher,
  published: frameworks.published,
  citation: frameworks.citation,
  description: frameworks.description,
  frozenAt: frameworks.frozenAt,
};

/** Every framework revision with its requirement counts, latest revisions flagged. */
export async function listFrameworks(ctx: CatalogContext): Promise<FrameworkSummary[]> {
  const rows = await ctx.db
    .select(frameworkColumns)
    .from(frameworks)
    .orderBy(asc(frameworks.position), asc(frameworks.key), desc(frameworks.published), desc(frameworks.revision));
  const counts = await ctx.db
    .select({ frameworkId: requirements.frameworkId, kind: requirements.kind, n: sql<number>`count(*)::int` })
    .from(requirements)
    .groupBy(requirements.frameworkId, requirements.kind);
  ctx.audit.record({ action: "catalog.framework.list", objectType: "framework", details: { count: rows.length } });
  const latestRevision = new Map<string, number>();
  for (const f of rows) {
    const k = `${f.key}@${f.version}`;
    latestRevision.set(k, Math.max(latestRevision.get(k) ?? 0, f.revision));
  }
  return rows.map((f) => {
    const mine = counts
      .filter((c) => c.frameworkId === f.id)
      .sort((a, b) => REQUIREMENT_KINDS.indexOf(a.kind) - REQUIREMENT_KINDS.indexOf(b.kind));
    return {
      ...f,
      counts: Object.fromEntries(mine.map((c) => [c.kind, c.n])),
      total: mine.reduce((sum, c) => sum + c.n, 0),
      latest: latestRevision.get(`${f.key}@${f.version}`) === f.revision,
    };
  });
}

/** The newest version (by publication) of a framework key, for /catalog/:key. */
export async function latestVersion(ctx: CatalogContext, key: string): Promise<string | null> {
  const [row] = await ctx.db
    .select({ version: frameworks.version })
    .from(frameworks)
    .where(eq(frameworks.key, key))
    .orderBy(desc(frameworks.published), desc(frameworks.revision))
    .limit(1);
  return row?.version ?? null;
}

async function findFramework(ctx: CatalogContext, key: string, version: string, revision?: number) {
  const [row] = await ctx.db
    .select(frameworkColumns)
    .from(frameworks)
    .where(
      and(
        eq(frameworks.key, key),
        eq(frameworks.version, version),
        revision === undefined ? undefined : eq(frameworks.revision, revision),
      ),
    )
    .orderBy(desc(frameworks.revision))
    .limit(1);
  return row ?? null;
}

export type RequirementRow = Pick<
  Requirement,
  "id" | "code" | "kind" | "parentId" | "title" | "summary" | "citation" | "figure" | "priority"
>;

const requirementColumns = {
  id: requirements.id,
  code: requirements.code,
  kind: requirements.kind,
  parentId: requirements.parentId,
  title: requirements.title,
  summary: requirements.summary,
  citation: requirements.citation,
  figure: requirements.figure,
  priority: requirements.priority,
};

export type FrameworkGroup = { heading: RequirementRow | null; items: RequirementRow[] };

/**
 * One framework with its requirements, grouped by policy area where it has
 * areas, optionally filtered by text (code, title, summary, figure).
 */
export async function getFramework(
  ctx: CatalogContext,
  input: { key: string; version: string; revision?: number; query?: string },
) {
  const framework = await findFramework(ctx, input.key, input.version, input.revision);
  if (!framework) return null;
  const query = input.query?.trim() ?? "";
  const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const all = await ctx.db
    .select(requirementColumns)
    .from(requirements)
    .where(eq(requirements.frameworkId, framework.id))
    .orderBy(asc(requirements.sortOrder));
  const matching =
    query === ""
      ? all
      : await ctx.db
          .select(requirementColumns)
          .from(requirements)
          .where(
            and(
              eq(requirements.frameworkId, framework.id),
              or(
                ilike(requirements.code, pattern),
                ilike(requirements.title, pattern),
                ilike(requirements.summary, pattern),
                ilike(requirements.figure, pattern),
              ),
            ),
          )
          .orderBy(asc(requirements.sortOrder));
  const matchIds = new Set(matching.map((r) => r.id));
  ctx.audit.record({
    action: "catalog.framework.read",
    objectType: "framework",
    objectId: framework.id,
    details: { key: framework.key, version: framework.version, revision: framework.revision, ...(query ? { query } : {}) },
  });
  const revisions = await ctx.db
    .select({ revision: frameworks.revision, frozenAt: frameworks.frozenAt })
    .from(frameworks)
    .where(and(eq(frameworks.key, input.key), eq(frameworks.version, input.version)))
    .orderBy(desc(frameworks.revision));
  return {
    framework,
    revisions,
    query,
    total: all.length,
    matched: matching.length,
    groups: groupByArea(all, matchIds, query !== ""),
  };
}

function groupByArea(all: RequirementRow[], matchIds: Set<string>, filtering: boolean): FrameworkGroup[] {
  const hasAreas = all.some((r) => r.kind === "policy-area");
  if (!hasAreas) return [{ heading: null, items: all.filter((r) => matchIds.has(r.id)) }];
  const byId = new Map(all.map((r) => [r.id, r]));
  const areaOf = (r: RequirementRow): RequirementRow | null => {
    let current: RequirementRow | undefined = r;
    while (current && current.kind !== "policy-area") current = current.parentId ? byId.get(current.parentId) : undefined;
    return current ?? null;
  };
  const groups = new Map<string, FrameworkGroup>();
  for (const r of all) {
    if (r.kind === "policy-area") {
      groups.set(r.id, { heading: r, items: [] });
      continue;
    }
    const area = areaOf(r);
    if (area && matchIds.has(r.id)) groups.get(area.id)?.items.push(r);
  }
  // While filtering, show an area when it or any of its requirements match.
  return [...groups.values()].filter((g) => !filtering || g.items.length > 0 || matchIds.has(g.heading!.id));
}

export type CrosswalkEntry = {
  relationship: Relationship;
  /** The relationship read from the requirement being viewed. */
  direction: "outgoing" | "incoming";
  rationale: string;
  other: {
    code: string;
    title: string;
    kind: string;
    frameworkKey: string;
    frameworkVersion: string;
    frameworkShortTitle: string;
  };
};

/** Reading a link from its other end turns subset into superset and the reverse. */
export function inverse(relationship: Relationship): Relationship {
  if (relationship === "subset") return "superset";
  if (relationship === "superset") return "subset";
  return relationship;
}

/**
 * The crosswalk of several requirements at once, read from their side: a link is
 * stored once, and read from its far end subset and superset swap. Ordered by the
 * other framework, then by the other requirement's place in it.
 */
async function crosswalkOf(ctx: CatalogContext, requirementIds: string[]) {
  if (requirementIds.length === 0) return [];
  const other = alias(requirements, "other");
  const otherFramework = alias(frameworks, "other_framework");
  const read = async (direction: CrosswalkEntry["direction"]) => {
    const [near, far] = direction === "outgoing" ? [crosswalk.fromId, crosswalk.toId] : [crosswalk.toId, crosswalk.fromId];
    const rows = await ctx.db
      .select({
        requirementId: near,
        relationship: crosswalk.relationship,
        rationale: crosswalk.rationale,
        code: other.code,
        title: other.title,
        kind: other.kind,
        frameworkKey: otherFramework.key,
        frameworkVersion: otherFramework.version,
        frameworkShortTitle: otherFramework.shortTitle,
        position: otherFramework.position,
        sortOrder: other.sortOrder,
      })
      .from(crosswalk)
      .innerJoin(other, eq(other.id, far))
      .innerJoin(otherFramework, eq(otherFramework.id, other.frameworkId))
      .where(inArray(near, requirementIds));
    return rows.map(({ requirementId, relationship, rationale, position, sortOrder, ...o }) => ({
      requirementId,
      relationship: direction === "outgoing" ? relationship : inverse(relationship),
      direction,
      rationale,
      other: o,
      order: [position, sortOrder] as const,
    }));
  };
  const links = [...(await read("outgoing")), ...(await read("incoming"))];
  links.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
  return links.map(({ order: _o, ...l }) => l);
}

/** One requirement, its place in the framework, the crosswalk both ways and the evidence that can satisfy it. */
export async function getRequirement(
  ctx: CatalogContext,
  input: { key: string; version: string; code: string; revision?: number },
) {
  const framework = await findFramework(ctx, input.key, input.version, input.revision);
  if (!framework) return null;
  const [requirement] = await ctx.db
    .select(requirementColumns)
    .from(requirements)
    .where(and(eq(requirements.frameworkId, framework.id), eq(requirements.code, input.code)))
    .limit(1);
  if (!requirement) return null;
  const family = await ctx.db
    .select(requirementColumns)
    .from(requirements)
    .where(
      or(requirement.parentId ? eq(requirements.id, requirement.parentId) : undefined, eq(requirements.parentId, requirement.id)),
    )
    .orderBy(asc(requirements.sortOrder));
  ctx.audit.record({
    action: "catalog.requirement.read",
    objectType: "requirement",
    objectId: requirement.id,
    details: { framework: `${framework.key}@${framework.version}`, revision: framework.revision, code: requirement.code },
  });
  const parent = family.find((r) => r.id === requirement.parentId) ?? null;
  const children = family.filter((r) => r.parentId === requirement.id);

  const links = await crosswalkOf(ctx, [requirement.id]);

  const evidence = await ctx.db
    .select({ key: evidenceKinds.key, name: evidenceKinds.name, description: evidenceKinds.description })
    .from(evidenceKindRequirements)
    .innerJoin(evidenceKinds, eq(evidenceKinds.id, evidenceKindRequirements.evidenceKindId))
    .where(eq(evidenceKindRequirements.requirementId, requirement.id))
    .orderBy(asc(evidenceKinds.sortOrder));

  return {
    framework,
    requirement,
    parent,
    children,
    crosswalk: links.map(({ requirementId: _r, ...l }) => l),
    evidence,
  };
}

type LinkedRequirement = {
  code: string;
  kind: string;
  title: string;
  frameworkKey: string;
  frameworkVersion: string;
  frameworkShortTitle: string;
  relationship: Relationship;
};

/**
 * The crosswalk read from the principles: for each principle of the latest IACP
 * edition, the provisions that serve it and the CJIS requirements it maps to.
 */
export async function getPrincipleCrosswalk(ctx: CatalogContext) {
  const principlesKey = "iacp-principles";
  const version = await latestVersion(ctx, principlesKey);
  if (!version) return null;
  const detail = await getFramework(quietly(ctx), { key: principlesKey, version });
  if (!detail) return null;
  ctx.audit.record({ action: "catalog.crosswalk.read", objectType: "framework", objectId: detail.framework.id });
  const principles = detail.groups.flatMap((g) => g.items);
  const links = await crosswalkOf(
    ctx,
    principles.map((p) => p.id),
  );
  const rows = principles.map((principle) => {
    const linked: LinkedRequirement[] = links
      .filter((l) => l.requirementId === principle.id)
      .map((l) => ({ ...l.other, relationship: l.relationship }));
    return {
      principle,
      provisions: linked.filter((l) => l.frameworkKey === "iacp-provisions"),
      controls: linked.filter((l) => l.frameworkKey !== "iacp-provisions"),
    };
  });
  return { framework: detail.framework, rows };
}

/** The evidence vocabulary with the requirements each kind can help satisfy. */
export async function listEvidenceKinds(ctx: CatalogContext) {
  const kinds = await ctx.db.select().from(evidenceKinds).orderBy(asc(evidenceKinds.sortOrder));
  ctx.audit.record({ action: "catalog.evidence-kind.list", objectType: "evidence-kind", details: { count: kinds.length } });
  const links = kinds.length
    ? await ctx.db
        .select({
          evidenceKindId: evidenceKindRequirements.evidenceKindId,
          code: requirements.code,
          kind: requirements.kind,
          title: requirements.title,
          frameworkKey: frameworks.key,
          frameworkVersion: frameworks.version,
          frameworkShortTitle: frameworks.shortTitle,
        })
        .from(evidenceKindRequirements)
        .innerJoin(requirements, eq(requirements.id, evidenceKindRequirements.requirementId))
        .innerJoin(frameworks, eq(frameworks.id, requirements.frameworkId))
        .where(
          inArray(
            evidenceKindRequirements.evidenceKindId,
            kinds.map((k) => k.id),
          ),
        )
        .orderBy(asc(frameworks.position), asc(requirements.sortOrder))
    : [];
  return kinds.map((k) => ({
    key: k.key,
    name: k.name,
    description: k.description,
    renewalMonths: k.renewalMonths,
    eventDriven: k.eventDriven,
    supports: links.filter((l) => l.evidenceKindId === k.id).map(({ evidenceKindId: _id, ...l }) => l),
  }));
}

/** Marks a framework revision as cited by a contract: the seeder will never rewrite it. */
export async function freezeFrameworkRevision(ctx: { db: Queryable }, frameworkId: string) {
  await ctx.db
    .update(frameworks)
    .set({ frozenAt: sql`coalesce(${frameworks.frozenAt}, now())` })
    .where(eq(frameworks.id, frameworkId));
}

/** The evidence kinds (without their links), in catalog order, for forms and filters. */
export async function evidenceKindList(ctx: { db: Queryable }) {
  return ctx.db.select().from(evidenceKinds).orderBy(asc(evidenceKinds.sortOrder));
}

/**
 * The requirements of the given framework revisions, each marked when the evidence kind
 * supports it. The catalog links a kind to requirements of one revision; a contract may cite
 * another, so links are matched by framework and code.
 */
export async function requirementsForEvidence(ctx: { db: Queryable }, kindId: string, frameworkIds: string[]) {
  if (frameworkIds.length === 0) return [];
  const rows = await queryRows<{
    id: string;
    code: string;
    kind: string;
    title: string;
    framework_short_title: string;
    supported: boolean;
  }>(
    ctx.db,
    sql`select r.id, r.code, r.kind, r.title, f.short_title as framework_short_title,
               exists (select 1 from catalog_evidence_kind_requirements l
                       join catalog_requirements lr on lr.id = l.requirement_id
                       join catalog_frameworks lf on lf.id = lr.framework_id
                       where l.evidence_kind_id = ${kindId} and lf.key = f.key and lr.code = r.code) as supported
        from catalog_requirements r join catalog_frameworks f on f.id = r.framework_id
        where r.framework_id = any(${`{${frameworkIds.join(",")}}`}::uuid[]) and r.kind <> 'policy-area'
        order by f.position, r.sort_order`,
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    kind: r.kind,
    title: r.title,
    frameworkShortTitle: r.framework_short_title,
    supported: r.supported,
  }));
}

/** Requirement codes, titles and summaries by id (what a vendor is shown of what is asked). */
export async function requirementTexts(ctx: { db: Queryable }, ids: string[]) {
  if (ids.length === 0) return [];
  return ctx.db
    .select({
      id: requirements.id,
      code: requirements.code,
      kind: requirements.kind,
      title: requirements.title,
      summary: requirements.summary,
      frameworkShortTitle: frameworks.shortTitle,
    })
    .from(requirements)
    .innerJoin(frameworks, eq(frameworks.id, requirements.frameworkId))
    .where(inArray(requirements.id, ids))
    .orderBy(asc(frameworks.position), asc(requirements.sortOrder));
}
