import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, openDatabase, queryRows } from "../../db/client.ts";
import { buildDatabaseImage, IMAGE_META, usableImage } from "../../db/image.ts";
import { prepareDatabase } from "../../db/prepare.ts";
import { totalChanges } from "../../db/catalog/load.ts";

/** The prepared embedded database `npm run build` makes, and how a first start uses it (decision 0021). */
const work = mkdtempSync(path.join(os.tmpdir(), "custody-image-"));
const buildDir = path.join(work, "build");
const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };

beforeAll(async () => {
  await buildDatabaseImage(buildDir);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const freshDir = () => mkdtempSync(path.join(work, "data-"));

describe("the prepared database", () => {
  it("gives a new installation every migration and the whole catalog, with nothing left for start-up to do", async () => {
    const handle = await openDatabase({ dataDir: freshDir(), image: () => usableImage(buildDir)?.dataDir ?? null });
    try {
      expect(handle.origin).toBe("image");
      const [applied] = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(applied!.n).toBe(journal.entries.length);
      const [requirements] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from catalog_requirements`);
      expect(requirements!.n).toBeGreaterThan(80);
      const [events] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from audit_events`);
      expect(events!.n).toBe(0);
      const [people] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from people`);
      expect(people!.n).toBe(0);
      expect(totalChanges(await prepareDatabase(handle))).toBe(0);
    } finally {
      await handle.close();
    }
  });

  it("is refused when it was made from other migrations or another catalog, and the database is created the long way", async () => {
    const stale = path.join(work, "stale-build");
    cpSync(buildDir, stale, { recursive: true });
    const metaFile = path.join(stale, IMAGE_META);
    writeFileSync(metaFile, JSON.stringify({ ...JSON.parse(readFileSync(metaFile, "utf8")), stamp: "0".repeat(64) }));
    expect(usableImage(stale)).toBeNull();
    const handle = await openDatabase({ dataDir: freshDir(), image: () => usableImage(stale)?.dataDir ?? null });
    try {
      expect(handle.origin).toBe("created");
      await handle.migrate();
      const [applied] = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(applied!.n).toBe(journal.entries.length);
    } finally {
      await handle.close();
    }
  });

  it("is never copied over a database that already exists", async () => {
    const dataDir = freshDir();
    const first = await openDatabase({ dataDir, image: () => usableImage(buildDir)?.dataDir ?? null });
    await first.db.execute(sql`insert into organisations (kind, name) values ('vendor', 'Kept across restarts')`);
    await first.close();
    let asked = false;
    const again = await openDatabase({ dataDir, image: () => ((asked = true), usableImage(buildDir)?.dataDir ?? null) });
    try {
      expect(again.origin).toBe("existing");
      expect(asked).toBe(false);
      const rows = await queryRows<{ name: string }>(
        again.db,
        sql`select name from organisations where name = 'Kept across restarts'`,
      );
      expect(rows).toHaveLength(1);
    } finally {
      await again.close();
    }
  });
});

describe("the embedded database under long work", () => {
  it("lets the event loop take other work between statements, so a long run does not stop the server answering", async () => {
    const handle = await openDatabase({ dataDir: freshDir(), image: () => usableImage(buildDir)?.dataDir ?? null });
    try {
      let statements = 0;
      let seenAt: number | null = null;
      const long = (async () => {
        for (let i = 0; i < 300; i++) {
          await handle.db.execute(sql`select 1`);
          statements++;
        }
      })();
      // A timer stands for an HTTP request arriving while the long work runs.
      setTimeout(() => (seenAt = statements), 0);
      await long;
      expect(seenAt).not.toBeNull();
      expect(seenAt!).toBeLessThan(300);
    } finally {
      await handle.close();
    }
  });

  it("turns the event loop while many callers' statements wait their turn, so a burst of requests does not shut out the next one", async () => {
    const handle = await openDatabase({ dataDir: freshDir(), image: () => usableImage(buildDir)?.dataDir ?? null });
    try {
      let answered = 0;
      let seenAt: number | null = null;
      // Three hundred callers at once, as twenty pages of fifteen statements each would be.
      const burst = Array.from({ length: 300 }, () =>
        handle.db.execute(sql`select count(*) from generate_series(1, 5000)`).then(() => answered++),
      );
      // Once the first is answered, a timer stands for the next connection, which Node.js accepts only when
      // the event loop turns.
      void burst[0]!.then(() => setTimeout(() => (seenAt = answered), 0));
      await Promise.all(burst);
      expect(seenAt).not.toBeNull();
      expect(seenAt!).toBeLessThan(150);
    } finally {
      await handle.close();
    }
  });
});
