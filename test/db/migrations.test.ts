import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, queryRows, type DatabaseHandle } from "../../db/client.ts";
import { createTestDatabase } from "../support/database.ts";

type Journal = { entries: { idx: number; when: number; tag: string }[] };
const journal: Journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8"));

describe("the committed migrations", () => {
  it("are listed in the journal with strictly increasing timestamps, because drizzle silently skips one that is out of order", () => {
    expect(journal.entries.length).toBeGreaterThan(0);
    for (let i = 1; i < journal.entries.length; i++) {
      expect(
        journal.entries[i]!.when,
        `${journal.entries[i]!.tag} must be newer than ${journal.entries[i - 1]!.tag}`,
      ).toBeGreaterThan(journal.entries[i - 1]!.when);
    }
  });

  it("are numbered in sequence, each with its SQL file, and no SQL file is missing from the journal", () => {
    journal.entries.forEach((entry, i) => {
      expect(entry.idx).toBe(i);
      expect(existsSync(path.join(migrationsFolder, `${entry.tag}.sql`))).toBe(true);
    });
    const sqlFiles = readdirSync(migrationsFolder).filter((f) => f.endsWith(".sql"));
    expect(sqlFiles.sort()).toEqual(journal.entries.map((e) => `${e.tag}.sql`).sort());
  });

  describe("applied to an empty database", () => {
    let handle: DatabaseHandle;
    beforeAll(async () => {
      handle = await createTestDatabase();
    });
    afterAll(async () => {
      await handle.close();
    });

    it("create the catalog tables and record every migration as applied", async () => {
      const names = await queryRows<{ table_name: string }>(
        handle.db,
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      expect(names.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(["catalog_frameworks", "catalog_requirements", "catalog_crosswalk", "catalog_evidence_kinds"]),
      );
      const rows = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(rows[0]!.n).toBe(journal.entries.length);
    });

    it("can be applied again without changing anything", async () => {
      await expect(handle.migrate()).resolves.toBeUndefined();
    });
  });
});
