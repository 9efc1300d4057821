/**
 * `npm run bench`: prints figures; it never fails on a number.
 *  1. Cold start: process start to the first 200 response, embedded database, empty data
 *     directory (so it includes creating the database, migrating and loading the catalog).
 *     Median of 5.
 *  2. Audit trail: events written per second (one event per transaction, and in batches),
 *     and `audit:verify` throughput over 1,000,000 events, on the embedded database.
 *  3. Audited page reads: p50 / p95 at 20 concurrent connections against the built server,
 *     signed in (every read writes its hash-chained audit event).
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import autocannon from "autocannon";
import { randomUUID } from "node:crypto";
import { appendEvents, recordNow, systemActor, verifyAuditTrail } from "../../app/modules/audit/audit.server.ts";
import { openDatabase } from "../../db/client.ts";
import { demoAccount, signInOverHttp } from "../support/demo.ts";
import { freePort, projectRoot, startServer, tempDataDir } from "../support/server.ts";

const COLD_STARTS = 5;
const CONNECTIONS = 20;
const DURATION_SECONDS = 10;

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

async function coldStart(): Promise<number> {
  const dataDir = tempDataDir();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: projectRoot, env, stdio: "ignore" });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        if (response.status === 200) {
          await response.arrayBuffer();
          return performance.now() - started;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function latency(url: string, duration = DURATION_SECONDS, headers: Record<string, string> = {}) {
  const samples: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration, headers }, (error, r) => (error ? reject(error) : resolve(r)));
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) samples.push(responseTime);
    });
  });
  samples.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    perSecond: result.requests.average,
    non2xx: result.non2xx,
    errors: result.errors,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
  };
}

const starts: number[] = [];
for (let i = 0; i < COLD_STARTS; i++) starts.push(await coldStart());
console.log(
  `Cold start (empty data dir, embedded database, to first 200): median ${median(starts).toFixed(0)} ms ` +
    `over ${COLD_STARTS} runs [${starts.map((s) => s.toFixed(0)).join(", ")}]`,
);

// Audit trail throughput, on a fresh embedded database in this process.
{
  const db = await openDatabase({ inMemory: true });
  await db.migrate();
  const single = 2_000;
  let started = performance.now();
  for (let i = 0; i < single; i++) await recordNow(db.db, systemActor("bench"), [{ action: "bench.single", objectType: "thing", objectId: String(i), details: { i } }]);
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

  started = performance.now();
  const verified = await verifyAuditTrail(db.db);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `audit:verify over ${verified.checked} events: ${(verified.checked / seconds).toFixed(0)} events/s (${seconds.toFixed(1)} s, ${verified.ok ? "intact" : "BROKEN"})`,
  );
  await db.close();
}

const server = await startServer({ database: "embedded" });
try {
  const cookie = await signInOverHttp(server, demoAccount(server, "Auditor"));
  for (const path of ["/catalog/cjis-policy/6.0", "/catalog/cjis-policy/6.0/AC-2"]) {
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
