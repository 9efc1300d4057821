import { asc, inArray } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { crosswalk, requirements } from "../../../db/schema/catalog.ts";

/**
 * The catalog rows a coverage matrix is drawn from (requirements of a framework revision and the
 * crosswalk), kept in this server copy's memory. They are the same for every contract and change only
 * when the catalog loader runs, which writes a new edition (catalog_state) in the same transaction. A
 * caller reads the edition in a statement it runs anyway and passes it here: rows kept under another
 * edition are dropped and read again, so a catalog loaded by another process or copy shows on the next
 * page. The catalog is public reference data, never an agency's, so keeping it across requests and
 * people crosses no tenancy line. Decision 0025.
 */

export type CatalogRequirementRow = {
  id: string;
  frameworkId: string;
  code: string;
  kind: string;
  title: string;
  parentId: string | null;
  sortOrder: number;
  /** The CJIS priority marking, when the catalog records one. */
  priority: string | null;
};
export type CrosswalkLink = { fromId: string; toId: string };

let kept: {
  edition: string;
  byFramework: Map<string, readonly CatalogRequirementRow[]>;
  links: readonly CrosswalkLink[] | null;
} | null = null;

function keptFor(edition: string | null) {
  // No edition (a database whose catalog_state row is missing): nothing is kept, everything is read.
  if (edition === null) return { edition: "", byFramework: new Map(), links: null };
  if (kept?.edition !== edition) kept = { edition, byFramework: new Map(), links: null };
  return kept;
}

/** The requirements of the given framework revisions (each framework's rows in its own order), and every crosswalk link. */
export async function catalogForMatrix(db: Queryable, edition: string | null, frameworkIds: readonly string[]) {
  const store = keptFor(edition);
  const missing = frameworkIds.filter((id) => !store.byFramework.has(id));
  if (missing.length > 0) {
    const rows = await db
      .select({
        id: requirements.id,
        frameworkId: requirements.frameworkId,
        code: requirements.code,
        kind: requirements.kind,
        title: requirements.title,
        parentId: requirements.parentId,
        sortOrder: requirements.sortOrder,
        priority: requirements.priority,
      })
      .from(requirements)
      .where(inArray(requirements.frameworkId, missing))
      .orderBy(asc(requirements.sortOrder));
    for (const id of missing) store.byFramework.set(id, Object.freeze(rows.filter((r) => r.frameworkId === id)));
  }
  if (store.links === null) {
    store.links = Object.freeze(await db.select({ fromId: crosswalk.fromId, toId: crosswalk.toId }).from(crosswalk));
  }
  return {
    requirements: frameworkIds.flatMap((id) => store.byFramework.get(id) ?? []),
    links: store.links,
  };
}
