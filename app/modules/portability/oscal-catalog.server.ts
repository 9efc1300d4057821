import { and, asc, desc, eq, inArray, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { crosswalk, frameworks, requirements } from "../../../db/schema/catalog.ts";
import { qualifiedLabel, relationshipText } from "../catalog/paths.ts";
import { NotFound, type ModuleContext } from "../context.server.ts";
import { catalogFileName, controlId, CUSTODY_NS, metadata, prop, stableUuid } from "./oscal-common.ts";
import type { OscalExport } from "./oscal-common.ts";

/**
 * A framework of the requirement catalog as an OSCAL catalog: policy areas become groups, controls and
 * their enhancements nested controls, IACP principles and provisions and the Addendum's sections plain
 * controls. Every statement is our own summary, citing the source by name and section; the crosswalk
 * becomes links from a control to the controls of the other catalogs, by file name and control id.
 * Catalog data is public reference data: any reader of the catalog may take it.
 */
export async function oscalCatalog(ctx: ModuleContext, key: string, version: string): Promise<OscalExport> {
  const [framework] = await ctx.db
    .select()
    .from(frameworks)
    .where(and(eq(frameworks.key, key), eq(frameworks.version, version)))
    .orderBy(desc(frameworks.revision))
    .limit(1);
  if (!framework) throw new NotFound("framework", `${key}@${version}`);
  const rows = await ctx.db
    .select()
    .from(requirements)
    .where(eq(requirements.frameworkId, framework.id))
    .orderBy(asc(requirements.sortOrder));
  const ids = rows.map((r) => r.id);
  const other = alias(requirements, "other");
  const otherFramework = alias(frameworks, "other_framework");
  const links =
    ids.length === 0
      ? []
      : await ctx.db
          .select({
            fromId: crosswalk.fromId,
            toId: crosswalk.toId,
            relationship: crosswalk.relationship,
            rationale: crosswalk.rationale,
            otherId: other.id,
            otherKind: other.kind,
            otherCode: other.code,
            otherKey: otherFramework.key,
            otherVersion: otherFramework.version,
          })
          .from(crosswalk)
          .innerJoin(
            other,
            or(
              and(eq(other.id, crosswalk.toId), inArray(crosswalk.fromId, ids)),
              and(eq(other.id, crosswalk.fromId), inArray(crosswalk.toId, ids)),
            ),
          )
          .innerJoin(otherFramework, eq(otherFramework.id, other.frameworkId));
  // A relationship reads "from IS <relationship> OF to"; seen from the other end, subset and superset swap.
  const flipped: Record<string, string> = { subset: "superset", superset: "subset" };
  const linksOf = new Map<string, { href: string; rel: string; text: string }[]>();
  for (const l of links) {
    const own = l.otherId === l.toId ? l.fromId : l.toId;
    const relationship = own === l.fromId ? l.relationship : (flipped[l.relationship] ?? l.relationship);
    const list = linksOf.get(own) ?? [];
    list.push({
      href: `${l.otherKey === framework.key && l.otherVersion === framework.version ? "" : catalogFileName(l.otherKey, l.otherVersion)}#${controlId(l.otherKind, l.otherCode)}`,
      rel: relationRel[relationship] ?? "related",
      text: `${relationshipText[relationship] ?? "Related to"} ${qualifiedLabel({ kind: l.otherKind, code: l.otherCode })}: ${l.rationale}`,
    });
    linksOf.set(own, list);
  }
  const sourceUuid = stableUuid("catalog-source", framework.key, framework.version);
  const control = (r: (typeof rows)[number]): Record<string, unknown> => {
    const children = rows.filter((c) => c.parentId === r.id && c.kind !== "policy-area");
    return {
      id: controlId(r.kind, r.code),
      class: r.kind,
      title: r.title,
      props: [
        { name: "label", value: r.code },
        ...prop("qualified-label", qualifiedLabel(r)),
        ...prop("cjis-priority", r.priority),
      ],
      links: [{ href: `#${sourceUuid}`, rel: "reference", text: r.citation }, ...(linksOf.get(r.id) ?? [])],
      parts: [
        { id: `${controlId(r.kind, r.code)}_smt`, name: "statement", prose: r.summary },
        ...(r.figure
          ? [
              {
                id: `${controlId(r.kind, r.code)}_fig`,
                name: "guidance",
                ns: CUSTODY_NS,
                class: "figure",
                title: "The figure a contract or audit checks",
                prose: r.figure,
              },
            ]
          : []),
      ],
      ...(children.length > 0 ? { controls: children.map(control) } : {}),
    };
  };
  const areas = rows.filter((r) => r.kind === "policy-area");
  const topLevel = rows.filter(
    (r) => r.kind !== "policy-area" && (r.parentId === null || areas.some((a) => a.id === r.parentId)),
  );
  const document = {
    catalog: {
      uuid: stableUuid("catalog", framework.key, framework.version, String(framework.revision), framework.contentHash),
      metadata: metadata({
        title: `${framework.title} — requirement summaries (Custody catalog)`,
        lastModified: framework.updatedAt,
        version: `${framework.version} (Custody catalog revision ${framework.revision})`,
        props: [...prop("framework-key", framework.key), ...prop("content-hash", framework.contentHash)],
        remarks:
          `Summaries in Custody's own words of ${framework.citation}, published by ${framework.publisher} (${framework.published}). ` +
          "They cite the source by name and section and do not reproduce its text; read the source itself before relying on a summary.",
      }),
      ...(areas.length > 0
        ? {
            groups: areas.map((a) => ({
              id: controlId(a.kind, a.code),
              class: "policy-area",
              title: `${a.code} ${a.title}`,
              props: [{ name: "label", value: a.code }],
              links: [{ href: `#${sourceUuid}`, rel: "reference", text: a.citation }, ...(linksOf.get(a.id) ?? [])],
              parts: [{ id: `${controlId(a.kind, a.code)}_smt`, name: "overview", prose: a.summary }],
              ...(topLevel.some((r) => r.parentId === a.id)
                ? { controls: topLevel.filter((r) => r.parentId === a.id).map(control) }
                : {}),
            })),
          }
        : {}),
      ...(topLevel.some((r) => r.parentId === null)
        ? { controls: topLevel.filter((r) => r.parentId === null).map(control) }
        : {}),
      "back-matter": {
        resources: [
          {
            uuid: sourceUuid,
            title: framework.title,
            description: framework.description,
            citation: { text: framework.citation },
          },
        ],
      },
    },
  };
  ctx.audit.record({
    action: "catalog.oscal.export",
    objectType: "framework",
    objectId: framework.id,
    details: { key: framework.key, version: framework.version, revision: framework.revision },
  });
  return { document, fileName: catalogFileName(framework.key, framework.version) };
}

/** The crosswalk's relationships as OSCAL link relations (tokens). */
const relationRel: Record<string, string> = {
  equivalent: "equivalent-to",
  subset: "subset-of",
  superset: "superset-of",
  intersects: "intersects-with",
};
