import type { PGlite, QueryOptions, Results, Transaction } from "@electric-sql/pglite";

/**
 * Plans kept across requests on the embedded database (decision 0032).
 *
 * PGlite parses, analyses and plans every statement afresh (its API has no named prepared statements),
 * and for the statements every page runs that was most of their cost: the contract read took 1.5 ms,
 * of which 0.3 ms was running it. PostgreSQL's own PREPARE and EXECUTE keep the work instead, for the
 * life of the connection, which for PGlite is the life of the process.
 *
 * So a read (a statement starting with `select`), or an insert of a few rows, that this process runs a
 * second time is prepared under a name of ours, and from then on runs as `EXECUTE name('…', …)`.
 * EXECUTE takes no bound parameters, so each value goes in as a quoted literal: serialized exactly as
 * PGlite would bind it (by the type PostgreSQL inferred for that parameter when preparing), every
 * quote doubled. Strings cannot end a literal early: with standard_conforming_strings on, a doubled
 * quote is the only escape in '…' (the setting is checked before anything is prepared; off, nothing is).
 * A value holding a NUL byte is not inlined at all (PostgreSQL refuses it anyway), nor is one a
 * serializer rejects: those run as before.
 *
 * A statement PostgreSQL will not prepare (a parameter whose type it cannot infer without the bind)
 * runs as before, for good; inside a transaction the attempt sits in a savepoint, so a refusal leaves
 * the transaction as it was. Updates, deletes and many-row inserts are never prepared (decision 0036: the
 * insert kept is the audit event every request writes). The count of prepared statements is capped.
 * PostgreSQL re-plans a prepared statement itself when a table it reads changes (ANALYZE, DDL); a plan
 * whose result columns changed is forgotten and, outside a transaction, the read answered without it.
 */
const PREPARE_AFTER = 2;
const MAX_PREPARED = 400;
const MAX_WATCHED = 4000;

type Runner = Pick<Transaction, "query" | "exec">;
type Query = Transaction["query"];

export function keepPlans(client: PGlite) {
  const lean = leanParsers(client);
  const prepared = new Map<string, { name: string; types: number[] }>();
  const refused = new Set<string>();
  const seen = new Map<string, number>();
  const preparing = new Set<string>();
  let next = 0;

  const literal = (value: unknown, oid: number, options: QueryOptions | undefined): string | null => {
    if (value === null || value === undefined) return "null";
    let text: string;
    try {
      const serialize = options?.serializers?.[oid] ?? client.serializers[oid];
      text = serialize ? serialize(value) : String(value);
    } catch {
      return null;
    }
    if (typeof text !== "string" || text.includes("\0")) return null;
    return `'${text.replaceAll("'", "''")}'`;
  };

  const prepare = async (runner: Runner, original: Query, text: string, inTransaction: boolean) => {
    const name = `custody_plan_${++next}`;
    try {
      if (inTransaction) await runner.exec("savepoint custody_prepare");
      await runner.exec(`prepare ${name} as ${text}`);
      const { rows } = await original<{ types: string }>(
        "select parameter_types::oid[]::text as types from pg_prepared_statements where name = $1",
        [name],
      );
      if (inTransaction) await runner.exec("release savepoint custody_prepare");
      const types = (rows[0]?.types ?? "{}").replace(/[{}]/g, "").split(",").filter(Boolean).map(Number);
      prepared.set(text, { name, types });
    } catch {
      if (inTransaction) await runner.exec("rollback to savepoint custody_prepare; release savepoint custody_prepare");
      refused.add(text);
    }
  };

  const run = async <T>(
    runner: Runner,
    original: Query,
    inTransaction: boolean,
    text: string,
    params: unknown[] = [],
    given?: QueryOptions,
  ): Promise<Results<T>> => {
    const options = lean(given);
    if (refused.has(text) || !keepable(text, params) || !(await usable)) {
      return original<T>(text, params, options);
    }
    const plan = prepared.get(text);
    if (plan) {
      const values = params.map((value, i) => literal(value, plan.types[i] ?? 0, options));
      if (values.every((v) => v !== null) && values.length === plan.types.length) {
        const call = values.length > 0 ? `execute ${plan.name}(${values.join(", ")})` : `execute ${plan.name}`;
        try {
          const [result] = await runner.exec(call, options);
          return result as Results<T>;
        } catch (error) {
          // The plan no longer fits (a table's columns changed under it) or is gone: forget it, and outside a
          // transaction answer this time without it. Inside one the error has already ended the transaction.
          const code = (error as { code?: string }).code;
          if (code !== "0A000" && code !== "26000") throw error;
          prepared.delete(text);
          if (inTransaction) throw error;
          return original<T>(text, params, options);
        }
      }
      return original<T>(text, params, options);
    }
    const result = await original<T>(text, params, options);
    const count = (seen.get(text) ?? 0) + 1;
    if (seen.size >= MAX_WATCHED) seen.clear();
    seen.set(text, count);
    if (count >= PREPARE_AFTER && prepared.size + preparing.size < MAX_PREPARED && !preparing.has(text)) {
      seen.delete(text);
      preparing.add(text);
      await prepare(runner, original, text, inTransaction).finally(() => preparing.delete(text));
    }
    return result;
  };

  const query = client.query.bind(client) as Query;
  const exec = client.exec.bind(client);
  // Asked once, now, outside any transaction; if it cannot be told, nothing is prepared.
  const usable = conformingStrings(query).catch(() => false);
  (client as { query: Query }).query = (text, params, options) => run({ query, exec }, query, false, text, params, options);

  const transaction = client.transaction.bind(client);
  (client as { transaction: PGlite["transaction"] }).transaction = (callback) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx) as Query;
      const wrapped: Transaction = Object.create(tx, {
        query: { value: ((text, params, options) => run(tx, txQuery, true, text, params, options)) as Query },
      });
      return callback(wrapped);
    });
}

/**
 * What is worth keeping: reads, and inserts of a few rows (the audit event every request writes is one).
 * A many-row insert (an import's 500 events at a time) is seldom the same text twice and would be a
 * large plan; updates and deletes run as they come.
 */
const MAX_INSERT_PARAMETERS = 100;
const keepable = (text: string, params: unknown[]) =>
  /^\s*select\b/i.test(text) || (/^\s*insert\b/i.test(text) && params.length <= MAX_INSERT_PARAMETERS);

async function conformingStrings(query: Query) {
  const { rows } = await query<{ standard_conforming_strings: string }>("show standard_conforming_strings");
  return rows[0]?.standard_conforming_strings === "on";
}

/**
 * drizzle asks PGlite, on every query, to leave dates, timestamps, intervals and numeric and date arrays
 * as the text PostgreSQL sends (it converts them itself), by passing nine parsers that return their
 * input. PGlite merges those into its own table of 318 parsers for each query: 62 µs a statement, half a
 * millisecond a page. The client's own table is given the same nine once, and a query whose parsers
 * only repeat them (each is tried on a probe and must hand it back unchanged) runs without its copy.
 * Any other parsers a caller passes are kept and applied as before. (The client's table is changed for
 * every caller: all of Custody's queries come through drizzle, which always passes these nine.)
 */
const PROBE = "1999-01-08 04:05:06";
function leanParsers(client: PGlite) {
  const asText = new Set<string>();
  return (options: QueryOptions | undefined): QueryOptions | undefined => {
    const parsers = options?.parsers;
    if (!parsers) return options;
    for (const [oid, parse] of Object.entries(parsers)) {
      if (parse(PROBE, Number(oid)) !== PROBE) return options;
    }
    for (const oid of Object.keys(parsers)) {
      if (asText.has(oid)) continue;
      client.parsers[oid] = (value: string) => value;
      asText.add(oid);
    }
    return { ...options, parsers: undefined };
  };
}
