import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "../../db/client.ts";

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or,
 * when DATABASE_URL is set, a new PostgreSQL database created for the file and
 * dropped by close().
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = await openDatabase({ inMemory: true });
    await handle.migrate();
    return handle;
  }
  const { url: databaseUrl, drop } = await createPostgresDatabase(url, "custody_test");
  const handle = await openDatabase({ databaseUrl, maxConnections: 4 });
  await handle.migrate();
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await drop();
    },
  };
}

/** Create an empty PostgreSQL database next to the one DATABASE_URL names. */
export async function createPostgresDatabase(baseUrl: string, prefix: string) {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists "${name}" with (force)`);
      await again.end();
    },
  };
}
