import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import lockfile from "proper-lockfile";
import { keepPlans } from "./pglite-statements.ts";
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
  /** For the embedded database on disk: whether this start found it, unpacked it from a prepared image, or created it. */
  origin?: "existing" | "image" | "created";
};

/**
 * The project's folder: the nearest one above this file holding package.json. Found, not assumed,
 * because this file also runs bundled from build/ (decision 0021).
 */
export const projectRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

export const migrationsFolder = path.join(projectRoot, "db", "migrations");

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

export type OpenOptions =
  | { databaseUrl: string; maxConnections?: number }
  /** image: the folder of a prepared database (db/image.ts) to copy when the directory holds none yet (looked for only then). */
  | { dataDir: string; image?: () => string | null }
  | { inMemory: true };

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if ("databaseUrl" in options) return openPostgres(options.databaseUrl, options.maxConnections ?? 10);
  if ("dataDir" in options) return openPgliteOnDisk(options.dataDir, options.image ?? (() => null));
  const { PGlite } = await import("@electric-sql/pglite");
  return openPglite(await PGlite.create(), async () => {});
}

// Each driver is loaded only when it is used: PGlite (its WebAssembly) is not loaded by a server on
// PostgreSQL, nor postgres.js by one on the embedded database (decision 0021).

async function openPostgres(url: string, max: number): Promise<DatabaseHandle> {
  const [{ default: postgres }, { drizzle: drizzlePostgres }, { migrate: migratePostgres }] = await Promise.all([
    import("postgres"),
    import("drizzle-orm/postgres-js"),
    import("drizzle-orm/postgres-js/migrator"),
  ]);
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

async function openPgliteOnDisk(dataDir: string, prepared: () => string | null): Promise<DatabaseHandle> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dbDir = path.join(dataDir, "pglite");
  mkdirSync(dbDir, { recursive: true, mode: 0o700 });
  const ownerFile = path.join(dataDir, "pglite.owner");
  const lockfilePath = path.join(dataDir, "pglite.lock");
  const lock = () =>
    lockfile.lock(dbDir, {
      lockfilePath,
      stale: 10_000,
      update: 2_000,
      onCompromised: (error) => {
        // Another process took the lock: stop rather than risk two writers.
        console.error(`Custody stopped: the lock on the embedded database was lost (${error.message}).`);
        process.exit(1);
      },
    });
  let release: () => Promise<void>;
  try {
    release = await lock();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    const owner = lockOwner(ownerFile);
    if (owner && owner.host === os.hostname() && !processAlive(owner.pid)) {
      // The server that held it was killed (kill -9, a crash, power loss) and its lock is younger than the
      // stale period: its process is gone from this machine, so nobody writes the database. Take it over now.
      console.error(
        `Custody: the embedded database's last owner (process ${owner.pid}) is no longer running; taking over its lock.`,
      );
      rmSync(lockfilePath, { recursive: true, force: true });
      release = await lock();
    } else {
      const who = owner ? ` by process ${owner.pid}${owner.host === os.hostname() ? "" : ` on ${owner.host}`}` : "";
      throw new DatabaseInUseError(
        `Custody cannot start: the embedded database in ${dataDir} is in use${who}. ` +
          `Stop the other Custody server first, or set DATA_DIR to another directory.`,
      );
    }
  }
  writeFileSync(ownerFile, `${process.pid}@${os.hostname()}`, { mode: 0o600 });
  const fresh = !existsSync(path.join(dbDir, "PG_VERSION"));
  const image = fresh ? prepared() : null;
  const origin = !fresh ? "existing" : image ? "image" : "created";
  let client: PGlite;
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    if (image) await copyTree(image, dbDir);
    client = await PGlite.create(dbDir);
  } catch (error) {
    await release();
    throw error;
  }
  const handle = await openPglite(client, async () => {
    rmSync(ownerFile, { force: true });
    await release();
  });
  return { ...handle, origin };
}

/** Who holds the data directory: "pid@host" (older servers wrote the pid alone, always on this machine). */
function lockOwner(ownerFile: string): { pid: number; host: string } | null {
  if (!existsSync(ownerFile)) return null;
  const [pid, host] = readFileSync(ownerFile, "utf8").trim().split("@");
  const n = Number(pid);
  return Number.isInteger(n) && n > 0 ? { pid: n, host: host || os.hostname() } : null;
}

/** Whether a process of this machine is running (signal 0 checks without sending anything). */
function processAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function openPglite(client: PGlite, afterClose: () => Promise<void>): Promise<DatabaseHandle> {
  const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  takeTurns(client);
  keepPlans(client);
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

/**
 * PGlite runs each statement synchronously on the main thread and resolves its promise at once, and
 * hands itself to the next waiting caller through a microtask. So a queue of statements or
 * transactions (the demo being seeded, a big report, twenty requests at once) would run back to back
 * in one turn of the event loop, and all that time the server would neither read a request nor
 * accept a connection (Node.js accepts one new connection per turn): under load, a new connection
 * waited seconds for its first page. So statements and transactions outside a transaction take turns
 * here, one after another, and once they have held the thread for SLICE_MS the next starts in a new
 * turn of the event loop (decision 0036). Inside a transaction its statements run straight on. (A
 * server on PostgreSQL has real connections and needs nothing.)
 */
const SLICE_MS = 10;
function takeTurns(client: PGlite) {
  let sliceStarted = performance.now();
  const turn = async () => {
    if (performance.now() - sliceStarted < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStarted = performance.now();
  };
  let last: Promise<unknown> = Promise.resolve();
  for (const name of ["query", "exec", "transaction"] as const) {
    const original = client[name].bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const mine = last.then(turn).then(() => original(...args));
      last = mine.catch(() => {});
      return mine;
    };
  }
}

/**
 * Copy a folder's files into another: the folders first, then the files sixteen at a time on
 * libuv's threads, so the main thread goes on loading the server meanwhile (PGlite's data folder
 * is 1,200 small files; one after another that took a second on these machines).
 */
async function copyTree(from: string, to: string) {
  const files: string[] = [];
  const walk = (relative: string) => {
    mkdirSync(path.join(to, relative), { recursive: true, mode: 0o700 });
    for (const entry of readdirSync(path.join(from, relative), { withFileTypes: true })) {
      const inner = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(inner);
      else files.push(inner);
    }
  };
  walk("");
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      await copyFile(path.join(from, file), path.join(to, file));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** Rows of a raw SQL query: PGlite answers { rows }, postgres.js an array; this gives the rows either way. */
export async function queryRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}
