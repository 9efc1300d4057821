import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client.ts";

/**
 * Planner statistics and vacuum for the embedded database. A PostgreSQL server
 * keeps them fresh with autovacuum; PGlite runs no background workers, so
 * without this its planner guesses table sizes and, at scale, hashes a whole
 * table where an index would do (decision 0013), dead row versions are never
 * reclaimed, and no page is marked all-visible, so no query can be answered
 * from an index alone. Run at start and hourly; a no-op on PostgreSQL.
 */
export async function refreshStatistics(handle: Pick<DatabaseHandle, "db" | "driver">) {
  if (handle.driver !== "pglite") return false;
  await handle.db.execute(sql`vacuum (analyze)`);
  return true;
}
