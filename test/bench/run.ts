/**
 * `npm run bench`: prints figures; it never fails on a number.
 *  1. Cold start: process start to the first page and to "ready" (demo accounts printed),
 *     embedded database, empty data directory (so it includes creating the database from the
 *     image `npm run build` prepares, migrating and loading the catalog). Median of 5.
 *  2. Audit trail: events written per second (one event per transaction, and in batches),
 *     and `audit:verify` throughput over 1,000,000 events, on the embedded database.
 *  3. Audited page reads: p50 / p95 at 20 concurrent connections against the built server,
 *     signed in (every read writes its hash-chained audit event).
 *  4. At installation scale (`npm run bench:seed`: 50 agencies, 500 vendors, 2,000 contracts,
 *     ~144,000 requirement rows, 1,000,000 audit events): the contract coverage matrix and the
 *     dashboard at 20 connections, and the matrix page against the same data fetched by one
 *     hand-written SQL query, as ratios: one at a time (p50), and at 20 connections against the
 *     query at 20 callers at once (p95; the two sides' rounds take turns, the query on a copy of the
 *     embedded database), with CPU time per answer beside it. On the embedded database, and again on
 *     PostgreSQL when BENCH_DATABASE_URL names a server (seeded into its database custody_bench).
 *  7. The audit log on PostgreSQL (test/bench/audit.ts): an audited page against the same page with
 *     event writing switched off, mixed reads at 50 connections, three server copies against one,
 *     sealing, and commit → signed checkpoint outside the database.
 *  5. Evidence: a 50 MB upload through the vendor portal (throughput, and the server's resident
 *     memory sampled from /proc during it), and the evidence register at 50,000 items, p50 / p95
 *     at 20 concurrent connections.
 *  6. Documents (test/bench/documents.ts).
 *  8. The agency export (test/bench/export.ts): 10,000 evidence files of 1 MB written into one signed
 *     ZIP by the background job; its throughput and the server's peak resident memory above its baseline.
 */
import { spawn } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { appendEvents, recordNow, systemActor } from "../../app/modules/audit/audit.server.ts";
import { Sealer } from "../../app/modules/audit/sealer.server.ts";
import { verifyAuditLog } from "../../app/modules/audit/verify.server.ts";
import { testSigner, tempCheckpointFile } from "../support/audit.ts";
import { openDatabase } from "../../db/client.ts";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client.ts";
import { demoAccount, signInOverHttp } from "../support/demo.ts";
import { BENCH_DATA_DIR, BENCH_PG_DATA_DIR, benchPostgresUrl, benchSeeded, seedBench } from "./seed.ts";
import { freePort, projectRoot, type RunningServer, SERVER_ENTRY, startServer, tempDataDir } from "../support/server.ts";
import { benchDocuments } from "./documents.ts";
import { benchEvidence } from "./evidence.ts";
import { benchAudit } from "./audit.ts";
import { benchExport } from "./export.ts";
import { CONNECTIONS, DURATION_SECONDS, latency, median, percentile, sampleMemory, cpuMeter } from "./measure.ts";

const COLD_STARTS = 5;

/**
 * One cold start: process start to the first page (the first 200 for /, which is the sign-in page),
 * and to "ready" (the demo seeded and its accounts printed, the moment a new user can sign in).
 */
async function coldStart(): Promise<{ firstPage: number; ready: number }> {
  const dataDir = tempDataDir();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, [SERVER_ENTRY], { cwd: projectRoot, env, stdio: ["ignore", "pipe", "ignore"] });
  const ready = new Promise<number>((resolve) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("Custody is ready on")) resolve(performance.now() - started);
    });
  });
  try {
    let firstPage: number | null = null;
    while (firstPage === null) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        if (response.status === 200) {
          await response.arrayBuffer();
          firstPage = performance.now() - started;
        }
      } catch {
        // not listening yet
      }
      if (firstPage === null) await new Promise((r) => setTimeout(r, 20));
    }
    return { firstPage, ready: await ready };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** BENCH_ONLY=start runs section 1 only, basics sections 1–3, trail section 2, pages the audited page latencies of section 3, scale section 4, evidence section 5, documents section 6, audit section 7, export section 8. */
const only = process.env.BENCH_ONLY;
if (!only || only === "basics" || only === "start") {
  const starts: { firstPage: number; ready: number }[] = [];
  for (let i = 0; i < COLD_STARTS; i++) starts.push(await coldStart());
  const figures = (key: "firstPage" | "ready") => starts.map((s) => s[key]);
  console.log(
    `Cold start (empty data dir, embedded database, with the demo): to the first page median ${median(figures("firstPage")).toFixed(0)} ms ` +
      `[${figures("firstPage")
        .map((s) => s.toFixed(0))
        .join(", ")}]; to ready (demo accounts printed) median ` +
      `${median(figures("ready")).toFixed(0)} ms [${figures("ready")
        .map((s) => s.toFixed(0))
        .join(", ")}], over ${COLD_STARTS} runs`,
  );
}
if (!only || only === "basics" || only === "trail") {
  // Audit trail throughput, on a fresh embedded database in this process.
  {
    const db = await openDatabase({ inMemory: true });
    await db.migrate();
    const single = 2_000;
    let started = performance.now();
    for (let i = 0; i < single; i++)
      await recordNow(db.db, systemActor("bench"), [
        { action: "bench.single", objectType: "thing", objectId: String(i), details: { i } },
      ]);
    const singleRate = single / ((performance.now() - started) / 1000);
    console.log(`Audit events written, one per transaction: ${singleRate.toFixed(0)} events/s (${single} events)`);

    const TOTAL = 1_000_000;
    const BATCH = 10_000;
    started = performance.now();
    for (let written = single; written < TOTAL; written += BATCH) {
      const n = Math.min(BATCH, TOTAL - written);
      const events = Array.from({ length: n }, (_, i) => ({
        id: randomUUID(),
        occurredAt: new Date(),
        actorPersonId: null,
        actorSessionId: null,
        actorTokenId: null,
        actorLabel: "bench",
        organisationId: null,
        ip: "127.0.0.1",
        userAgent: "bench",
        action: "catalog.requirement.read",
        objectType: "requirement",
        objectId: randomUUID(),
        outcome: "success" as const,
        details: { i: written + i },
      }));
      await db.db.transaction((tx) => appendEvents(tx, events));
    }
    const batchRate = (TOTAL - single) / ((performance.now() - started) / 1000);
    console.log(`Audit events written in batches of ${BATCH}: ${batchRate.toFixed(0)} events/s (${TOTAL - single} events)`);

    const { sink } = tempCheckpointFile();
    started = performance.now();
    const sealed = await new Sealer(db.db, testSigner, [sink], { batch: 50_000 }).sealNow();
    const sealSeconds = (performance.now() - started) / 1000;
    console.log(
      `Sealing ${sealed.sealed} events into the Merkle tree with signed checkpoints: ${(sealed.sealed / sealSeconds).toFixed(0)} events/s (${sealSeconds.toFixed(1)} s)`,
    );
    started = performance.now();
    const verified = await verifyAuditLog(db.db, {
      publicKeyPem: testSigner.publicKeyPem,
      external: [{ source: "bench", checkpoints: await sink.readAll!() }],
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `audit:verify over ${verified.checked} events: ${(verified.checked / seconds).toFixed(0)} events/s (${seconds.toFixed(1)} s, ${verified.ok ? "intact" : "BROKEN"})`,
    );
    await db.close();
  }
}
if (!only || only === "basics" || only === "pages") {
  const server = await startServer({ database: "embedded" });
  try {
    const cookie = await signInOverHttp(server, demoAccount(server, "Auditor"));
    // The audit viewer names every person, organization and object on its page of 100 events (batched lookups).
    for (const path of ["/catalog/cjis-policy/6.0", "/catalog/cjis-policy/6.0/AC-2", "/audit", "/audit?action=auth"]) {
      await latency(`${server.url}${path}`, 3, { Cookie: cookie }); // warm-up pass, discarded
      const r = await latency(`${server.url}${path}`, DURATION_SECONDS, { Cookie: cookie });
      console.log(
        `Audited GET ${path} at ${CONNECTIONS} connections for ${DURATION_SECONDS} s: p50 ${r.p50.toFixed(1)} ms, ` +
          `p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.perSecond.toFixed(0)} req/s, ` +
          `${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors`,
      );
    }
  } finally {
    await server.stop();
  }
}

// 4. Installation scale: on the embedded database, and on PostgreSQL when BENCH_DATABASE_URL names a server.
/** Rounds of DURATION_SECONDS under load, for the raw query and for the matrix page alike. */
const ROUNDS = 3;
/** Seconds of load, not counted, before each round. */
const WARM_SECONDS = 3;
type Round = { p50: number; p95: number; perSecond: number };

async function benchScale(dataDir: string, databaseUrl: string | null) {
  const where = databaseUrl ? "PostgreSQL" : "embedded database";
  if (!benchSeeded(dataDir)) {
    const seeded = performance.now();
    await seedBench(dataDir, databaseUrl);
    console.log(`Seeded ${dataDir} in ${((performance.now() - seeded) / 1000).toFixed(0)} s (npm run bench:seed).`);
  }
  // The same data the matrix page shows, fetched by one hand-written query, in this process. The embedded
  // database admits one process, and the server holds it while the page is measured: the query runs on a copy
  // of it, taken now, so the two sides' rounds can take turns (on PostgreSQL, one connection per caller).
  const queryDir = path.join(dataDir, "query-copy");
  if (!databaseUrl) {
    rmSync(queryDir, { recursive: true, force: true });
    cpSync(path.join(dataDir, "pglite"), path.join(queryDir, "pglite"), { recursive: true });
  }
  const handle = await openDatabase(databaseUrl ? { databaseUrl, maxConnections: CONNECTIONS } : { dataDir: queryDir });
  let scaled: RunningServer | undefined;
  try {
    scaled = await startServer(
      databaseUrl ? { dataDir, database: "shared", env: { DATABASE_URL: databaseUrl } } : { dataDir, database: "embedded" },
    );
    const [target] = await queryRows<{ id: string; agency_id: string; title: string }>(
      handle.db,
      sql`select c.id, c.agency_id, c.title from contracts c join organisations o on o.id = c.agency_id where o.name = 'Riverside Police Department' and c.title like 'Bench contract%' order by c.title limit 1`,
    );
    const [sizes] = await queryRows<{ contracts: number; entries: number; events: number }>(
      handle.db,
      sql`select (select count(*)::int from contracts) as contracts, (select count(*)::int from coverage_entries) as entries, (select max(seq)::int from audit_events) as events`,
    );
    const raw = sql`select r.id, r.code, r.kind, r.title, r.framework_id, r.parent_id, r.sort_order, e.status, e.section, e.notes, e.reason, e.updated_at,
        (select coalesce(json_agg(x.other), '[]') from (select to_id as other from catalog_crosswalk where from_id = r.id union all select from_id from catalog_crosswalk where to_id = r.id) x) as links
      from contract_frameworks cf
      join catalog_requirements r on r.framework_id = cf.framework_id
      left join coverage_entries e on e.contract_id = cf.contract_id and e.requirement_id = r.id
      where cf.contract_id = ${target!.id} and exists (select 1 from contracts c where c.id = cf.contract_id and c.agency_id = ${target!.agency_id})
      order by r.sort_order`;
    const rawTimes: number[] = [];
    let rows = 0;
    for (let i = 0; i < 220; i++) {
      const t = performance.now();
      rows = (await queryRows(handle.db, raw)).length;
      if (i >= 20) rawTimes.push(performance.now() - t);
    }
    rawTimes.sort((a, b) => a - b);
    const rawP50 = percentile(rawTimes, 50);
    console.log(
      `${where}, at scale (${sizes!.contracts} contracts, ${sizes!.entries} assessed requirement rows, ${sizes!.events} audit events): ` +
        `the matrix data by one hand-written SQL query (${rows} rows): p50 ${rawP50.toFixed(2)} ms, p95 ${percentile(rawTimes, 95).toFixed(2)} ms over 200 runs`,
    );

    const cookie = await signInOverHttp(scaled, demoAccount(scaled, "Procurement officer", "Riverside"));
    const matrix = `/contracts/${target!.id}/coverage`;
    // One at a time: the page's own cost, comparable with the raw query.
    const sequential: number[] = [];
    for (let i = 0; i < 120; i++) {
      const t = performance.now();
      const response = await fetch(`${scaled.url}${matrix}`, { headers: { Cookie: cookie } });
      if (response.status !== 200) throw new Error(`matrix page answered ${response.status}`);
      await response.arrayBuffer();
      if (i >= 20) sequential.push(performance.now() - t);
    }
    sequential.sort((a, b) => a - b);
    const pageP50 = percentile(sequential, 50);
    // The floor under any page: the same person's account page (session, permissions, one audited read, the
    // page frame), so the matrix's own share can be told apart from what every signed-in page costs.
    const floor: number[] = [];
    for (let i = 0; i < 120; i++) {
      const t = performance.now();
      const response = await fetch(`${scaled.url}/account`, { headers: { Cookie: cookie } });
      if (response.status !== 200) throw new Error(`account page answered ${response.status}`);
      await response.arrayBuffer();
      if (i >= 20) floor.push(performance.now() - t);
    }
    floor.sort((a, b) => a - b);
    const floorP50 = percentile(floor, 50);
    console.log(
      `${where}: matrix page one request at a time: p50 ${pageP50.toFixed(1)} ms, p95 ${percentile(sequential, 95).toFixed(1)} ms; ` +
        `ratio to the raw query ${(pageP50 / rawP50).toFixed(1)}x (goal: within 2x). ` +
        `Floor (the account page, GET /account): p50 ${floorP50.toFixed(1)} ms, ${(floorP50 / rawP50).toFixed(1)}x the raw query; ` +
        `the matrix's own share above it: ${(pageP50 - floorP50).toFixed(1)} ms, ${((pageP50 - floorP50) / rawP50).toFixed(1)}x`,
    );

    // Under load: the query at CONNECTIONS callers at once, each asking again as soon as it is answered (on the
    // embedded database they queue, as the page's requests do), and the page at CONNECTIONS connections, in rounds
    // of DURATION_SECONDS that take turns, query then page. A shared machine's speed drifts by a fifth from one
    // minute to the next; measured in turns, each pair of rounds sees the same machine. The comparison is
    // between the two sides' medians, and every pair is printed.
    // The query's load: CONNECTIONS callers, each asking again as soon as it is answered, for `seconds`.
    const queryLoad = async (seconds: number) => {
      const loaded: number[] = [];
      const until = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (performance.now() < until) {
            const t = performance.now();
            await queryRows(handle.db, raw);
            loaded.push(performance.now() - t);
          }
        }),
      );
      return loaded.sort((a, b) => a - b);
    };
    const rawRounds: Round[] = [];
    const pageRounds: Awaited<ReturnType<typeof latency>>[] = [];
    const used = { query: { main: 0, all: 0 }, page: { main: 0, all: 0 } };
    let rawQueries = 0;
    const memory = sampleMemory(scaled.pid);
    for (let round = 0; round < ROUNDS; round++) {
      // Each side idles while the other is measured; each round starts after WARM_SECONDS of its own load,
      // not counted, so both are measured running, as when the rounds ran back to back after one warm-up.
      await queryLoad(WARM_SECONDS);
      const queryCpu = cpuMeter(process.pid);
      const loaded = await queryLoad(DURATION_SECONDS);
      const q = queryCpu();
      used.query.main += q.main;
      used.query.all += q.all;
      rawQueries += loaded.length;
      rawRounds.push({ p50: percentile(loaded, 50), p95: percentile(loaded, 95), perSecond: loaded.length / DURATION_SECONDS });
      await latency(`${scaled.url}${matrix}`, WARM_SECONDS, { Cookie: cookie });
      const pageCpu = cpuMeter(scaled.pid);
      pageRounds.push(await latency(`${scaled.url}${matrix}`, DURATION_SECONDS, { Cookie: cookie }));
      const p = pageCpu();
      used.page.main += p.main;
      used.page.all += p.all;
    }
    const memoryMeanwhile = memory();
    const rawLoadedP95 = median(rawRounds.map((r) => r.p95));
    const pageLoadedP95 = median(pageRounds.map((r) => r.p95));
    const ratios = pageRounds.map((r, i) => r.p95 / rawRounds[i]!.p95);
    console.log(
      `${where}: the raw query at ${CONNECTIONS} callers, ${ROUNDS} rounds of ${DURATION_SECONDS} s: ` +
        `p95 ${rawRounds.map((r) => r.p95.toFixed(1)).join(" / ")} ms (median ${rawLoadedP95.toFixed(1)} ms), ` +
        `${rawRounds.map((r) => r.perSecond.toFixed(0)).join(" / ")} queries/s`,
    );
    console.log(
      `${where}: Contract coverage matrix (GET ${matrix}) at ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_SECONDS} s, ` +
        `each after a round of the query: ` +
        `p50 ${pageRounds.map((r) => r.p50.toFixed(1)).join(" / ")} ms, p95 ${pageRounds.map((r) => r.p95.toFixed(1)).join(" / ")} ms ` +
        `(median ${pageLoadedP95.toFixed(1)} ms), ${pageRounds.map((r) => r.perSecond.toFixed(0)).join(" / ")} req/s, ` +
        `${pageRounds.reduce((n, r) => n + r.non2xx + r.errors, 0)} non-2xx or errors; ` +
        `median p95 ${(pageLoadedP95 / rawLoadedP95).toFixed(1)}x the raw query's median p95 at ${CONNECTIONS} callers (goal: within 2x; ` +
        `pair by pair ${ratios.map((r) => `${r.toFixed(1)}x`).join(" / ")}); ` +
        `server memory meanwhile: ${memoryMeanwhile}`,
    );
    if (!databaseUrl) {
      // The steadier measure on a shared machine: CPU time per answer, which a slow stretch of the machine
      // stretches on both sides alike. On the embedded database both sides do their database work on their main
      // thread (the raw query in this process, the page in the server); on PostgreSQL the query's work is in
      // the database server's processes, out of sight here, so there is no like-for-like figure.
      const pageRequests = pageRounds.reduce((n, r) => n + r.requests, 0);
      const perPage = { main: used.page.main / pageRequests, all: used.page.all / pageRequests };
      const perQuery = { main: used.query.main / rawQueries, all: used.query.all / rawQueries };
      console.log(
        `${where}: CPU time under that load, main thread: ${perPage.main.toFixed(2)} ms per matrix page (server), ` +
          `${perQuery.main.toFixed(2)} ms per raw query (this process), ${(perPage.main / perQuery.main).toFixed(1)}x; ` +
          `all threads: ${perPage.all.toFixed(2)} ms and ${perQuery.all.toFixed(2)} ms, ${(perPage.all / perQuery.all).toFixed(1)}x`,
      );
    }
    await latency(`${scaled.url}/`, 3, { Cookie: cookie });
    const dashboardMemory = sampleMemory(scaled.pid);
    const r = await latency(`${scaled.url}/`, DURATION_SECONDS, { Cookie: cookie });
    console.log(
      `${where}: Dashboard (GET /) at ${CONNECTIONS} connections for ${DURATION_SECONDS} s: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ` +
        `p99 ${r.p99.toFixed(1)} ms, ${r.perSecond.toFixed(0)} req/s, ${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors; ` +
        `server memory meanwhile: ${dashboardMemory()}`,
    );
  } finally {
    await scaled?.stop();
    await handle.close();
    if (!databaseUrl) rmSync(queryDir, { recursive: true, force: true });
  }
}

if (!only || only === "scale") {
  await benchScale(BENCH_DATA_DIR, null);
  const pg = benchPostgresUrl();
  if (pg) await benchScale(BENCH_PG_DATA_DIR, pg);
}

// 5. Evidence.
if (!only || only === "evidence") await benchEvidence();

// 6. Documents.
if (!only || only === "documents") await benchDocuments();

// 7. The audit log on PostgreSQL (issue 17's figures).
if (!only || only === "audit") await benchAudit();

// 8. The agency export at 10,000 files.
if (!only || only === "export") await benchExport();
