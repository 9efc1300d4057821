import { and, arrayContains, eq, gte, inArray, lte, sql, TransactionRollbackError } from "drizzle-orm";
import { boolean, date, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { type DatabaseHandle, openDatabase, queryRows } from "../../db/client.ts";

// The embedded database keeps the plans of reads it runs again (db/pglite-statements.ts, decision 0032).
// These run on PGlite whatever DATABASE_URL says: PostgreSQL's driver prepares statements itself.

const things = pgTable("things", {
  id: uuid("id").primaryKey(),
  label: text("label").notNull(),
  seen: timestamp("seen", { withTimezone: true }),
  due: date("due"),
  size: integer("size"),
  open: boolean("open"),
  tags: text("tags").array(),
  extra: jsonb("extra"),
  cost: numeric("cost"),
});

let handle: DatabaseHandle;
const plans = async () =>
  queryRows<{ name: string; statement: string }>(
    handle.db,
    sql`select name, statement from pg_prepared_statements where name like 'custody_plan_%' order by name`,
  );

beforeAll(async () => {
  handle = await openDatabase({ inMemory: true });
  await handle.db.execute(sql`create table things (
    id uuid primary key, label text not null, seen timestamptz, due date, size int, open boolean, tags text[], extra jsonb, cost numeric)`);
  await handle.db.execute(sql`insert into things values
    ('0b9c1d8e-7f6a-4b5c-9d8e-7f6a5b4c3d2e', 'O''Brien \\ "quoted" — café', '2026-12-05T10:00:00Z', '2027-01-31', 3, true, '{a,"b c"}', '{"k": "v''s"}', 12.50),
    ('1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', 'plain', null, null, null, null, null, null, null)`);
});
afterAll(async () => {
  await handle?.close();
});

describe("reads on the embedded database", () => {
  it("answer from a kept plan the second time, with the same rows for every kind of value", async () => {
    const read = (label: string, since: Date, tags: string[]) =>
      handle.db
        .select()
        .from(things)
        .where(
          and(
            eq(things.label, label),
            gte(things.seen, since),
            arrayContains(things.tags, tags),
            lte(things.due, "2027-12-31"),
            eq(things.open, true),
          ),
        );
    const label = `O'Brien \\ "quoted" — café`;
    const first = await read(label, new Date("2026-01-01T00:00:00Z"), ["b c"]);
    expect(first).toHaveLength(1);
    const second = await read(label, new Date("2026-01-01T00:00:00Z"), ["b c"]);
    const third = await read(label, new Date("2026-01-01T00:00:00Z"), ["b c"]);
    expect((await plans()).some((p) => p.statement.includes('from "things"'))).toBe(true);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(third[0]).toMatchObject({ label, size: 3, open: true, tags: ["a", "b c"], extra: { k: "v's" }, cost: "12.50" });
    expect(third[0]!.seen).toEqual(new Date("2026-12-05T10:00:00Z"));
    // A different value through the same kept plan finds nothing rather than the old answer.
    expect(await read(label, new Date("2027-01-01T00:00:00Z"), ["b c"])).toEqual([]);
  });

  it("keep hostile text a value: a quote in a parameter cannot end the literal and run a statement of its own", async () => {
    const find = (label: string | null) =>
      queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from things where label = ${label} or ${label}::text is null`,
      );
    await find("warm");
    await find("up");
    for (const hostile of ["x'); drop table things; --", "x\\'); drop table things; --", "'' or 1=1 --", "$1", "\u2019; drop"]) {
      expect((await find(hostile))[0]!.n).toBe(0);
    }
    // Null goes in as SQL null, not as text.
    expect((await find(null))[0]!.n).toBe(2);
    expect((await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from things`))[0]!.n).toBe(2);
  });

  it("never keep a plan for an update, a delete or a many-row insert", async () => {
    for (let i = 0; i < 3; i++) {
      await handle.db.execute(sql`update things set size = ${i} where id = ${"1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"}`);
      await handle.db.execute(sql`delete from things where label = ${"nothing by this name"}`);
      await handle.db
        .transaction(async (tx) => {
          // 60 rows of 2 values: past the 100 values an insert may hold to be kept. Rolled back each time.
          await tx.execute(
            sql`insert into things (id, label) values ${sql.join(
              Array.from({ length: 60 }, () => sql`(${crypto.randomUUID()}, ${"many"})`),
              sql`, `,
            )}`,
          );
          tx.rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof TransactionRollbackError)) throw error;
        });
    }
    const kept = await plans();
    expect(kept.some((p) => /update things/i.test(p.statement))).toBe(false);
    expect(kept.some((p) => /delete from things/i.test(p.statement))).toBe(false);
    expect(kept.some((p) => /insert into things/i.test(p.statement))).toBe(false);
  });

  it("run a read PostgreSQL will not prepare as before, and leave the transaction that tried it usable", async () => {
    // Take the names the next plans would get, so preparing one fails inside the transaction.
    const last = Math.max(0, ...(await plans()).map((p) => Number(p.name.replace("custody_plan_", ""))));
    const blocked = Array.from({ length: 20 }, (_, i) => `custody_plan_${last + 1 + i}`);
    for (const name of blocked) await handle.db.execute(sql.raw(`prepare ${name} as select 1`));
    const result = await handle.db.transaction(async (tx) => {
      const once = await queryRows<{ label: string }>(tx, sql`select label from things where size = ${3}`);
      const twice = await queryRows<{ label: string }>(tx, sql`select label from things where size = ${3}`);
      await tx.execute(sql`update things set size = 4 where size = ${3}`);
      return {
        once,
        twice,
        after: await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from things where size = ${4}`),
      };
    });
    expect(result.twice).toEqual(result.once);
    expect(result.after[0]!.n).toBe(1);
    expect(await queryRows<{ size: number }>(handle.db, sql`select size from things where size = ${4}`)).toHaveLength(1);
    for (const name of blocked) await handle.db.execute(sql.raw(`deallocate ${name}`));
    // The read that could not be prepared is left to run as before: it is not tried again.
    for (let i = 0; i < 3; i++) await queryRows(handle.db, sql`select label from things where size = ${3}`);
    expect((await plans()).some((p) => p.statement.includes("where size = $1"))).toBe(false);
  });

  it("answer a kept read whose table changed its columns, by planning it again", async () => {
    const read = () => queryRows<Record<string, unknown>>(handle.db, sql.raw(`select * from things order by id limit 1`));
    await read();
    await read();
    expect(Object.keys((await read())[0]!)).not.toContain("note");
    await handle.db.execute(sql`alter table things add column note text`);
    expect(Object.keys((await read())[0]!)).toContain("note");
    expect(Object.keys((await read())[0]!)).toContain("note");
  });

  it("still apply a caller's own result parsers, where they do more than hand the text back", async () => {
    const client = (handle.db as unknown as { $client: PGlite }).$client;
    const read = () =>
      client.query<{ at: unknown }>("select timestamptz '2026-12-05 10:00:00+00' as at", [], {
        parsers: { 1184: (value: string) => `parsed ${value}` },
      });
    for (let i = 0; i < 3; i++) expect((await read()).rows[0]!.at).toBe("parsed 2026-12-05 10:00:00+00");
  });
});

describe("small inserts on the embedded database", () => {
  it("store every kind of value as given, hostile text included, once their plan is kept", async () => {
    const rows = [`x'); drop table things; --`, `O'Brien \\ "quoted" — café`, "\u2019; drop", "$1", "plain"].map((label, i) => ({
      id: crypto.randomUUID(),
      label,
      seen: new Date(Date.UTC(2026, 11, 5, 10, 0, i, 250)),
      due: "2027-01-31",
      size: i,
      open: i % 2 === 0,
      tags: [label, "b c", "{x}"],
      extra: { said: label, nested: { n: i, quote: "'" } },
      cost: "12.50",
    }));
    for (const row of rows) await handle.db.insert(things).values(row);
    // The same insert text ran five times: from the second it is kept, and the rest ran from the plan.
    expect((await plans()).some((p) => /insert into "things"/i.test(p.statement))).toBe(true);
    const stored = await handle.db
      .select()
      .from(things)
      .where(
        inArray(
          things.id,
          rows.map((r) => r.id),
        ),
      );
    expect(stored.sort((a, b) => a.size! - b.size!)).toEqual(rows);
  });

  it("refuse a duplicate through a kept plan as before, and roll back the transaction it was in", async () => {
    const id = crypto.randomUUID();
    const insert = (label: string) =>
      handle.db.transaction(async (tx) => {
        await tx.insert(things).values({ id: crypto.randomUUID(), label: `${label} first` });
        await tx.insert(things).values({ id, label });
      });
    await insert("kept once");
    const refused = await insert("kept twice").catch((error: unknown) => error);
    const code = (refused as { cause?: { code?: string } }).cause?.code ?? (refused as { code?: string }).code;
    expect(code).toBe("23505");
    expect(
      await queryRows(
        handle.db,
        sql`select label from things where label in ('kept once', 'kept once first', 'kept twice first')`,
      ),
    ).toHaveLength(2);
  });
});
