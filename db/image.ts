import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { catalogData } from "./catalog/index.ts";
import { loadCatalog, type SeedReport } from "./catalog/load.ts";
import { migrationsFolder } from "./client.ts";
import * as schema from "./schema/index.ts";

/**
 * A prepared embedded database: what a new installation's database is after `initdb`, every
 * migration and the catalog load, made once by `npm run build` as a PGlite data directory and
 * copied into place on first start instead of repeating that work (about four seconds of a cold
 * start on two cores; copying its 600 files, 27 MB, takes a fifth of a second). It is used only when its
 * stamp (the migrations, the catalog and the PGlite release it was made from) matches this copy of
 * Custody exactly; otherwise the database is created the long way. It holds no secret, no account
 * and no audit event: those the installation makes itself, after the copy.
 */
export const IMAGE_DIR = "database-image";
export const IMAGE_META = "database-image.json";

export type ImageMeta = { stamp: string; pglite: string; catalog: SeedReport; builtAt: string };

/** The installed PGlite release (its package exports no package.json, so it is found beside its entry point). */
const pgliteVersion = () => {
  let dir = path.dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
  while (!existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
};

/** What an image must have been made from to be used: the committed migrations, the catalog data, the PGlite release. */
export function imageStamp(): string {
  const hash = createHash("sha256");
  hash.update(`pglite ${pgliteVersion()}\n`);
  const files = readdirSync(migrationsFolder, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".sql") || f.endsWith(".json"))
    .sort();
  for (const file of files) hash.update(`${file}\n`).update(readFileSync(path.join(migrationsFolder, file)));
  hash.update(JSON.stringify(catalogData));
  return hash.digest("hex");
}

/** Make the image in a directory (build/): a fresh database, migrated, the catalog loaded, vacuumed, checkpointed. */
export async function buildDatabaseImage(outDir: string): Promise<ImageMeta> {
  const dataDir = path.join(outDir, IMAGE_DIR);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(path.join(outDir, IMAGE_META), { force: true });
  await mkdir(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  let catalog: SeedReport;
  try {
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder });
    catalog = await loadCatalog(db as never, catalogData);
    await db.execute(sql`vacuum (analyze)`);
    // Custody uses only the "postgres" database and never creates another: the two template
    // databases are half the folder's files, copied on every first start for nothing.
    await db.execute(sql`update pg_database set datistemplate = false where datname in ('template0', 'template1')`);
    await db.execute(sql`drop database template0`);
    await db.execute(sql`drop database template1`);
    await db.execute(sql`checkpoint`);
  } finally {
    await client.close();
  }
  const meta: ImageMeta = { stamp: imageStamp(), pglite: pgliteVersion(), catalog, builtAt: new Date().toISOString() };
  await writeFile(path.join(outDir, IMAGE_META), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

/** The image in a directory, if there is one made from exactly this copy of Custody. */
export function usableImage(dir: string): { dataDir: string; meta: ImageMeta } | null {
  const dataDir = path.join(dir, IMAGE_DIR);
  const metaFile = path.join(dir, IMAGE_META);
  if (!existsSync(path.join(dataDir, "PG_VERSION")) || !existsSync(metaFile)) return null;
  const meta = JSON.parse(readFileSync(metaFile, "utf8")) as ImageMeta;
  if (meta.stamp !== imageStamp()) return null;
  return { dataDir, meta };
}
