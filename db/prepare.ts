import { catalogData } from "./catalog/index.ts";
import { loadCatalog, totalChanges, type SeedReport } from "./catalog/load.ts";
import type { DatabaseHandle } from "./client.ts";

/** Migrate, then load the catalog; one start-up lock around both so server copies never race. */
export async function prepareDatabase(handle: DatabaseHandle): Promise<SeedReport> {
  await handle.migrate();
  return handle.withStartupLock(() => loadCatalog(handle.db, catalogData));
}

export function describeSeed(report: SeedReport): string {
  if (totalChanges(report) === 0) return "Catalog up to date.";
  const f = report.frameworks;
  const r = report.requirements;
  return (
    `Catalog loaded: frameworks ${f.added} added, ${f.updated} updated, ${f.revised} new revisions; ` +
    `requirements ${r.added} added, ${r.updated} updated, ${r.removed} removed; ` +
    `crosswalk ${report.crosswalk.added} added, ${report.crosswalk.updated} updated, ${report.crosswalk.removed} removed; ` +
    `evidence kinds ${report.evidenceKinds.added} added, ${report.evidenceKinds.updated} updated.`
  );
}
