/**
 * `npm run bench:seed`: a data directory at installation scale for the benchmarks —
 * 50 agencies, 500 vendors, 2,000 contracts measured against the four frameworks
 * (about 144,000 requirement rows, most of them assessed, each with its history),
 * and 1,000,000 audit events in one hash chain. The demo accounts are seeded
 * first, so a benchmark signs in as Riverside's procurement officer, whose agency
 * owns 40 of the contracts. Bulk rows are generated in SQL; the audit events go
 * through the same append path as the product's own.
 */
import { FileSystemBlobStore } from "../../app/modules/blobs/store.server.ts";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describeDemoAccounts } from "../../app/demo/accounts.server.ts";
import { seedDemo } from "../../app/demo/seed.server.ts";
import { Sealer } from "../../app/modules/audit/sealer.server.ts";
import { createSigner, loadOrCreateSigningKeyFile } from "../../app/modules/audit/signing.server.ts";
import { fileSink } from "../../app/modules/audit/sinks.server.ts";
import { appendEvents } from "../../app/modules/audit/audit.server.ts";
import { loadOrCreateSecrets } from "../../app/env.server.ts";
import { openDatabase, queryRows } from "../../db/client.ts";
import { refreshStatistics } from "../../db/maintenance.ts";
import { prepareDatabase } from "../../db/prepare.ts";
import { projectRoot } from "../support/server.ts";

export const BENCH_DATA_DIR = process.env.BENCH_DATA_DIR ?? path.join(projectRoot, "data-bench");
export const BENCH_MARKER = "bench-seed.json";
/**
 * BENCH_DATABASE_URL names a PostgreSQL server (any database on it): the same data is then also seeded into
 * its database `custody_bench` (dropped and made again), with the secrets, keys and files beside it in
 * data-bench-pg/, and section 4 of the bench runs on it as well.
 */
export const BENCH_PG_DATA_DIR = path.join(projectRoot, "data-bench-pg");
export function benchPostgresUrl(serverUrl = process.env.BENCH_DATABASE_URL) {
  if (!serverUrl) return null;
  const url = new URL(serverUrl);
  url.pathname = "/custody_bench";
  return url.toString();
}

const AGENCIES = 50;
const VENDORS = 500;
const CONTRACTS = 2_000;
const AUDIT_EVENTS = 1_000_000;

export async function seedBench(dataDir = BENCH_DATA_DIR, databaseUrl: string | null = null) {
  const started = performance.now();
  rmSync(dataDir, { recursive: true, force: true });
  if (databaseUrl) {
    // Made from the server's maintenance database: custody_bench itself cannot be dropped from inside.
    const server = new URL(databaseUrl);
    server.pathname = "/postgres";
    const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists custody_bench with (force)`);
    await admin.unsafe(`create database custody_bench`);
    await admin.end();
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Migrations take the start-up lock on a connection of their own, so they need a pool of two.
    const setup = await openDatabase({ databaseUrl, maxConnections: 2 });
    try {
      await prepareDatabase(setup);
    } finally {
      await setup.close();
    }
  }
  // One connection: the seed's temporary tables belong to the connection that made them.
  const handle = await openDatabase(databaseUrl ? { databaseUrl, maxConnections: 1 } : { dataDir });
  try {
    if (!databaseUrl) await prepareDatabase(handle);
    const secrets = loadOrCreateSecrets(dataDir);
    const now = new Date();
    const accounts = await seedDemo(handle.db, secrets, now, new FileSystemBlobStore(path.join(dataDir, "blobs")));
    writeFileSync(path.join(dataDir, "demo-accounts.txt"), describeDemoAccounts(accounts, "http://localhost:3000"), {
      mode: 0o600,
    });
    const db = handle.db;
    const run = (query: ReturnType<typeof sql>) => db.execute(query);

    // Agencies beyond the demo's three, and 500 vendors each with its organisation.
    const existing = (
      await queryRows<{ n: number }>(db, sql`select count(*)::int as n from organisations where kind = 'agency'`)
    )[0]!.n;
    await run(sql`insert into organisations (kind, name, state, ori)
      select 'agency', 'Bench Agency ' || n, 'VA', 'VB' || lpad(n::text, 7, '0') from generate_series(1, ${AGENCIES - existing}) n`);
    await run(
      sql`insert into organisations (kind, name) select 'vendor', 'Bench Vendor ' || n || ' Inc.' from generate_series(1, ${VENDORS}) n`,
    );
    await run(
      sql`create temporary table bench_agencies as select id, row_number() over (order by created_at, name) - 1 as i from organisations where kind = 'agency'`,
    );
    await run(sql`insert into vendors (organisation_id, legal_name, headquarters, headquarters_country, registered_by, created_at, updated_at)
      select o.id, o.name, 'Austin, Texas', 'US', (select id from bench_agencies where i = 0), now(), now() from organisations o where o.kind = 'vendor' and o.name like 'Bench Vendor %'`);
    await run(
      sql`create temporary table bench_vendors as select id, row_number() over (order by legal_name) - 1 as i from vendors where legal_name like 'Bench Vendor %'`,
    );
    // Each agency keeps a record of 10 vendors; every seventh stores something abroad, every fifth lets the provider hold the keys.
    await run(sql`insert into vendor_profiles (vendor_id, agency_id, service_kinds, data_categories, key_custody, legal_notice_address, created_at, updated_at)
      select v.id, a.id, array['saas','rms'], array['cji','rms-records'], case when (a.i * 10 + k) % 5 = 0 then 'provider' else 'agency' end,
        case when (a.i * 10 + k) % 11 = 0 then null else 'Legal department, 1 Example Way' end, now(), now()
      from bench_agencies a cross join generate_series(0, 9) k join bench_vendors v on v.i = (a.i * 10 + k) % ${VENDORS}`);
    await run(sql`insert into vendor_storage_locations (profile_id, data_category, country, region, position)
      select p.id, 'cji', case when row_number() over (order by p.id) % 7 = 0 then 'IE' else 'US' end, 'Region', 0 from vendor_profiles p
      join bench_vendors v on v.id = p.vendor_id`);

    // 2,000 contracts, 40 per agency, with their terms and the four frameworks.
    await run(sql`create temporary table bench_contracts as
      select gen_random_uuid() as id, n, a.id as agency_id, v.id as vendor_id from generate_series(0, ${CONTRACTS - 1}) n
      join bench_agencies a on a.i = n % ${AGENCIES}
      join bench_vendors v on v.i = ((n % ${AGENCIES}) * 10 + (n / ${AGENCIES}) % 10) % ${VENDORS}`);
    await run(sql`insert into contracts (id, agency_id, vendor_id, kind, title, reference, services, value_cents, stage, signed_on, effective_on, ends_on, auto_renew, renewal_term_months, notice_period_days, created_at, updated_at)
      select id, agency_id, vendor_id, 'master-agreement', 'Bench contract ' || lpad(n::text, 4, '0'), 'B-' || n, 'Hosted services', 100000000 + n * 1000,
        case when n % 10 = 0 then 'negotiation' else 'signed' end,
        case when n % 10 = 0 then null else current_date - 400 - (n % 300) end,
        case when n % 10 = 0 then null else current_date - 380 - (n % 300) end,
        case when n % 10 = 0 then null else current_date + 30 + (n % 700) end,
        n % 3 = 0, case when n % 3 = 0 then 12 end, 90, now(), now()
      from bench_contracts`);
    await run(sql`insert into contract_terms (contract_id, breach_notice_hours, cjis_framework_id, updated_at)
      select c.id, case when c.n % 4 = 0 then 24 else 1 end, (select id from catalog_frameworks where key = 'cjis-policy' order by version desc, revision desc limit 1), now() from bench_contracts c`);
    await run(sql`insert into contract_frameworks (contract_id, framework_id)
      select c.id, f.id from bench_contracts c cross join (select distinct on (key) id from catalog_frameworks order by key, version desc, revision desc) f`);
    await run(sql`update catalog_frameworks set frozen_at = coalesce(frozen_at, now())`);
    await run(sql`insert into contract_shares (contract_id, agency_id, shared_at)
      select c.id, a.id, now() from bench_contracts c join bench_agencies a on a.i = (c.n + 1) % ${AGENCIES} where c.n % 10 = 1`);
    // Most requirements assessed: half addressed, the rest partial, missing, not applicable or not yet assessed.
    await run(sql`insert into coverage_entries (contract_id, requirement_id, status, section, notes, reason, updated_at)
      select c.id, r.id, s.status, case when s.status in ('addressed','partial') then '§' || (r.sort_order % 20 + 1) else '' end, '',
        case when s.status = 'not-applicable' then 'Not used by this service' end, now()
      from bench_contracts c
      join contract_frameworks cf on cf.contract_id = c.id
      join catalog_requirements r on r.framework_id = cf.framework_id and r.kind <> 'policy-area'
      cross join lateral (select case when x < 50 then 'addressed' when x < 65 then 'partial' when x < 80 then 'missing' when x < 85 then 'not-applicable' end as status
                          from (select abs(hashtext(c.id::text || r.id::text)) % 100 as x) h) s
      where s.status is not null`);
    await run(sql`insert into coverage_changes (contract_id, requirement_id, changed_at, before, after)
      select contract_id, requirement_id, updated_at, null, jsonb_build_object('status', status, 'section', section, 'notes', notes, 'reason', reason) from coverage_entries`);
    const [counts] = await queryRows<{ contracts: number; entries: number; rows: number; vendors: number; agencies: number }>(
      db,
      sql`select (select count(*)::int from contracts) as contracts, (select count(*)::int from coverage_entries) as entries,
        (select count(*)::int from contract_frameworks cf join catalog_requirements r on r.framework_id = cf.framework_id and r.kind <> 'policy-area') as rows,
        (select count(*)::int from vendors) as vendors, (select count(*)::int from organisations where kind = 'agency') as agencies`,
    );

    // 1,000,000 audit events, in batches through the product's own append.
    const already = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_events`))[0]!.n;
    const BATCH = 10_000;
    for (let written = already; written < AUDIT_EVENTS; written += BATCH) {
      const n = Math.min(BATCH, AUDIT_EVENTS - written);
      const events = Array.from({ length: n }, (_, i) => ({
        id: randomUUID(),
        occurredAt: new Date(now.getTime() - (AUDIT_EVENTS - written - i) * 1000),
        actorPersonId: null,
        actorSessionId: null,
        actorTokenId: null,
        actorLabel: "bench",
        organisationId: null,
        ip: "127.0.0.1",
        userAgent: "bench",
        action: i % 3 === 0 ? "contract.read" : "contract.coverage.read",
        objectType: "contract",
        objectId: randomUUID(),
        outcome: "success" as const,
        details: {},
      }));
      await db.transaction((tx) => appendEvents(tx, events));
    }
    // Sealed into the log as a running server would have, with the key the data directory's server will use.
    const signer = createSigner(loadOrCreateSigningKeyFile(dataDir));
    await new Sealer(db, signer, [fileSink(path.join(dataDir, "audit-checkpoints.jsonl"))], { batch: 50_000 }).sealNow();
    // What the server does at start and hourly (db/maintenance.ts); PGlite has no autovacuum to do it, and
    // PostgreSQL's would not have got round to a million fresh rows yet.
    if (!(await refreshStatistics(handle))) await db.execute(sql`vacuum (analyze)`);
    const seconds = (performance.now() - started) / 1000;
    const summary = { ...counts!, auditEvents: AUDIT_EVENTS, seededAt: now.toISOString(), seconds: Math.round(seconds) };
    writeFileSync(path.join(dataDir, BENCH_MARKER), JSON.stringify(summary, null, 2));
    return summary;
  } finally {
    await handle.close();
  }
}

export const benchSeeded = (dataDir = BENCH_DATA_DIR) => existsSync(path.join(dataDir, BENCH_MARKER));

if (import.meta.url === `file://${process.argv[1]}`) {
  const targets: [string, string | null][] = [[BENCH_DATA_DIR, null]];
  const pg = benchPostgresUrl();
  if (pg) targets.push([BENCH_PG_DATA_DIR, pg]);
  for (const [dataDir, databaseUrl] of targets) {
    const summary = await seedBench(dataDir, databaseUrl);
    console.log(
      `Bench data in ${databaseUrl ? `PostgreSQL (custody_bench) and ${dataDir}` : dataDir}: ${summary.agencies} agencies, ` +
        `${summary.vendors} vendors, ${summary.contracts} contracts, ${summary.rows} requirement rows (${summary.entries} assessed), ` +
        `${summary.auditEvents} audit events; ${summary.seconds} s.`,
    );
  }
}
