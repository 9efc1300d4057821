import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import lockfile from "proper-lockfile";
import * as schema from "./schema/index.ts";

/** The drizzle database both drivers provide; modules only ever see this type. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction, or the database itself: anything a module can run queries on. */
export type Queryable = Parameters<Parameters<Database["transaction"]>[0]>[0] | Database;

export type DatabaseHandle = {
  db: Database;
  driver: "pglite" | "postgres";
  /** Apply the committed migrations; safe to run from several processes at once. */
  migrate(): Promise<void>;
  /** Run fn while holding the installation-wide start-up lock (one server copy at a time). */
  withStartupLock<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** Raised when another process holds the embedded database. */
export class DatabaseInUseError extends Error {
  override name = "DatabaseInUseError";
}

/** Raised when DATABASE_URL names a server that cannot be reached or refuses us. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

// An arbitrary constant naming Custody's start-up lock among PostgreSQL advisory locks.
const STARTUP_LOCK_KEY = 72_122_001;

export type OpenOptions = { databaseUrl: string; maxConnections?: number } | { dataDir: string } | { inMemory: true };

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if ("databaseUrl" in options) return openPostgres(options.databaseUrl, options.maxConnections ?? 10);
  if ("dataDir" in options) return openPgliteOnDisk(options.dataDir);
  return openPglite(await PGlite.create(), async () => {});
}

async function openPostgres(url: string, max: number): Promise<DatabaseHandle> {
  const client = postgres(url, { max, onnotice: () => {}, connect_timeout: 10 });
  const describe = () => {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  };
  try {
    await client`select 1`;
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUnavailableError(`Custody cannot reach the database at DATABASE_URL (${describe()}): ${reason}.`);
  }
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  const withStartupLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    // Advisory locks belong to a session, so hold one reserved connection for the duration.
    const reserved = await client.reserve();
    try {
      await reserved`select pg_advisory_lock(${STARTUP_LOCK_KEY})`;
      return await fn();
    } finally {
      await reserved`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`.catch(() => {});
      reserved.release();
    }
  };
  return {
    db,
    driver: "postgres",
    migrate: () => withStartupLock(() => migratePostgres(drizzlePostgres(client), { migrationsFolder })),
    withStartupLock,
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPgliteOnDisk(dataDir: string): Promise<DatabaseHandle> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dbDir = path.join(dataDir, "pglite");
  mkdirSync(dbDir, { recursive: true, mode: 0o700 });
  const ownerFile = path.join(dataDir, "pglite.owner");
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dbDir, {
      lockfilePath: path.join(dataDir, "pglite.lock"),
      stale: 10_000,
      update: 2_000,
      onCompromised: (error) => {
        // Another process took the lock: stop rather than risk two writers.
        console.error(`Custody stopped: the lock on the embedded database was lost (${error.message}).`);
        process.exit(1);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") {
      const owner = existsSync(ownerFile) ? readFileSync(ownerFile, "utf8").trim() : "";
      const who = owner ? ` by process ${owner}` : "";
      throw new DatabaseInUseError(
        `Custody cannot start: the embedded database in ${dataDir} is in use${who}. ` +
          `Stop the other Custody server first, or set DATA_DIR to another directory.`,
      );
    }
    throw error;
  }
  writeFileSync(ownerFile, String(process.pid), { mode: 0o600 });
  let client: PGlite;
  try {
    client = await PGlite.create(dbDir);
  } catch (error) {
    await release();
    throw error;
  }
  return openPglite(client, async () => {
    rmSync(ownerFile, { force: true });
    await release();
  });
}

async function openPglite(client: PGlite, afterClose: () => Promise<void>): Promise<DatabaseHandle> {
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  // PGlite is single-connection and in-process: the file lock already makes this process the only one.
  const withStartupLock = <T>(fn: () => Promise<T>) => fn();
  let closed = false;
  return {
    db,
    driver: "pglite",
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    withStartupLock,
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
      await afterClose();
    },
  };
}

/** Rows of a raw SQL query: PGlite answers { rows }, postgres.js an array; this gives the rows either way. */
export async function queryRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}
