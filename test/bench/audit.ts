import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { AuditRecorder, systemActor } from "../../app/modules/audit/audit.server.ts";
import { Sealer } from "../../app/modules/audit/sealer.server.ts";
import type { CheckpointSink } from "../../app/modules/audit/sinks.server.ts";
import { queryRows, openDatabase } from "../../db/client.ts";
import { sql } from "drizzle-orm";
import { testSigner, testSigningKeyPem } from "../support/audit.ts";
import { createPostgresDatabase } from "../support/database.ts";
import { demoAccount, signInOverHttp } from "../support/demo.ts";
import { startServer, tempDataDir, type RunningServer } from "../support/server.ts";
import { percentile } from "./measure.ts";

/**
 * Section 7 (BENCH_ONLY=audit), issue 17's figures, on PostgreSQL (BENCH_POSTGRES_URL, default the
 * local server): an audited page against the same page with event writing switched off, mixed
 * signed-in reads at 50 connections, three server copies against one, sealing, and the time from
 * a commit to a signed checkpoint outside the database.
 */
const BASE_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SECONDS = Number(process.env.BENCH_AUDIT_SECONDS ?? 20);

type Load = {
  requests: number;
  perSecond: number;
  errors: number;
  non2xx: number;
  p50: number;
  p95: number;
  p99: number;
  /** Share of the machine's CPU time in use during the load (all cores, from /proc/stat). */
  cpuBusy: number;
};

/** Busy and total CPU time of the whole machine so far, in clock ticks. */
function cpuTicks() {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Load several servers at once, each connection cycling through the paths; figures over all of them. */
async function load(
  servers: RunningServer[],
  paths: string[],
  connections: number,
  seconds: number,
  cookie: string,
): Promise<Load> {
  const samples: number[] = [];
  const before = cpuTicks();
  const results = await Promise.all(
    servers.map(
      (server, i) =>
        new Promise<autocannon.Result>((resolve, reject) => {
          const share = Math.floor(connections / servers.length) + (i < connections % servers.length ? 1 : 0);
          const instance = autocannon(
            {
              url: server.url,
              connections: share,
              duration: seconds,
              headers: { Cookie: cookie },
              requests: paths.map((p) => ({ method: "GET" as const, path: p })),
            },
            (error, r) => (error ? reject(error) : resolve(r)),
          );
          instance.on("response", (_c, status, _b, time) => {
            if (status === 200) samples.push(time);
          });
        }),
    ),
  );
  samples.sort((a, b) => a - b);
  const after = cpuTicks();
  const requests = results.reduce((n, r) => n + r.requests.total, 0);
  return {
    requests,
    perSecond: requests / seconds,
    errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    cpuBusy: (after.busy - before.busy) / Math.max(1, after.total - before.total),
  };
}

const show = (r: Load) =>
  `${r.perSecond.toFixed(1)} req/s, p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, ` +
  `${r.requests} requests, ${r.errors} errors, ${r.non2xx} non-2xx, machine CPU ${(r.cpuBusy * 100).toFixed(0)}% busy`;

export async function benchAudit() {
  const { url, drop } = await createPostgresDatabase(BASE_URL, "custody_bench_audit");
  const shared = mkdtempSync(path.join(os.tmpdir(), "custody-bench-audit-"));
  const env = {
    NODE_ENV: "test",
    DATABASE_URL: url,
    SESSION_SECRET: randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    AUDIT_SIGNING_KEY: testSigningKeyPem,
    AUDIT_CHECKPOINT_FILE: path.join(shared, "audit-checkpoints.jsonl"),
  };
  const servers: RunningServer[] = [];
  const start = async (extra: Record<string, string>, dataDir?: string) => {
    const s = await startServer({ database: "shared", dataDir: dataDir ?? tempDataDir(), env: { ...env, ...extra } });
    servers.push(s);
    return s;
  };
  try {
    const audited = await start({ SEED_DEMO: "1" });
    // The same data directory for the demo accounts file; this copy writes no events.
    const unaudited = await start({ SEED_DEMO: "0", CUSTODY_BENCH_SKIP_AUDIT: "1" });
    const cookie = await signInOverHttp(audited, demoAccount(audited, "CJIS officer"));
    const home = await (await fetch(`${audited.url}/contracts`, { headers: { Cookie: cookie } })).text();
    const contractId = /href="\/contracts\/([0-9a-f-]{36})"/.exec(home)![1]!;
    const page = `/contracts/${contractId}/coverage`;
    const mixed = ["/", `/contracts/${contractId}`, page, "/evidence"];
    for (const p of mixed) {
      const status = (await fetch(`${audited.url}${p}`, { headers: { Cookie: cookie }, redirect: "manual" })).status;
      if (status !== 200) throw new Error(`${p} answered ${status}`);
    }

    // 1. The audited page against the same page with event writing switched off, taken in turns.
    await load([audited], [page], 20, 3, cookie);
    await load([unaudited], [page], 20, 3, cookie);
    const withEvents: Load[] = [];
    const without: Load[] = [];
    for (let round = 0; round < 2; round++) {
      withEvents.push(await load([audited], [page], 20, SECONDS / 2, cookie));
      without.push(await load([unaudited], [page], 20, SECONDS / 2, cookie));
    }
    const mean = (xs: Load[], k: "perSecond" | "p95") => xs.reduce((n, x) => n + x[k], 0) / xs.length;
    console.log(
      `Audited GET ${page.replace(contractId, ":id")} (coverage matrix), PostgreSQL, 20 connections, 2 × ${SECONDS / 2} s each in turns: ` +
        `with events ${mean(withEvents, "perSecond").toFixed(1)} req/s, p95 ${mean(withEvents, "p95").toFixed(0)} ms; ` +
        `event writing switched off ${mean(without, "perSecond").toFixed(1)} req/s, p95 ${mean(without, "p95").toFixed(0)} ms; ` +
        `cost ${(mean(without, "perSecond") / mean(withEvents, "perSecond")).toFixed(2)}× in throughput, ` +
        `${(mean(withEvents, "p95") / mean(without, "p95")).toFixed(2)}× in p95 (goal ≤ 1.10×)`,
    );
    await unaudited.stop();
    servers.splice(servers.indexOf(unaudited), 1);

    // 2. Mixed signed-in reads at 50 connections for 60 s.
    const fifty = await load([audited], mixed, 50, 60, cookie);
    console.log(
      `Mixed reads (dashboard, contract, coverage matrix, evidence register), PostgreSQL, 50 connections, 60 s: ${show(fifty)}`,
    );

    // 3. Three copies against one, 30 connections, the same mixed reads.
    const one = await load([audited], mixed, 30, SECONDS, cookie);
    const copies = [audited, await start({ SEED_DEMO: "0" }), await start({ SEED_DEMO: "0" })];
    await load(copies, mixed, 30, 3, cookie);
    const three = await load(copies, mixed, 30, SECONDS, cookie);
    console.log(
      `Mixed reads at 30 connections, ${SECONDS} s: one copy ${show(one)}; three copies ${show(three)}; ` +
        `×${(three.perSecond / one.perSecond).toFixed(2)} (goal ≥ 1.3×)`,
    );
    for (const s of servers) await s.stop();
    servers.length = 0;
  } finally {
    for (const s of servers) await s.stop().catch(() => {});
  }

  // 4 and 5, in this process on the same database: sealing, and commit → signed external checkpoint.
  const handle = await openDatabase({ databaseUrl: url, maxConnections: 10 });
  try {
    const sealedBefore = (await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from audit_log`))[0]!.n;
    // A backlog of 200,000 events, written with the sealer stopped.
    const BACKLOG = 200_000;
    for (let i = 0; i < BACKLOG; i += 10_000) {
      await handle.db.transaction(async (tx) => {
        const recorder = new AuditRecorder(systemActor("bench"));
        for (let j = 0; j < 10_000; j++)
          recorder.record({ action: "bench.backlog", objectType: "thing", objectId: String(i + j), details: { i: i + j } });
        await recorder.flush(tx);
      });
    }
    const sealer = new Sealer(handle.db, testSigner, [], { batch: 50_000 });
    const t = performance.now();
    const sealed = await sealer.sealNow();
    const sealSeconds = (performance.now() - t) / 1000;
    console.log(
      `Sealing a backlog of ${sealed.sealed} events (tree already ${sealedBefore}), PostgreSQL, batches of 50,000: ` +
        `${(sealed.sealed / sealSeconds).toFixed(0)} events/s (${sealSeconds.toFixed(1)} s; goal ≥ 50,000)`,
    );

    // Commit → covered by a signed checkpoint outside the database, with the sealer on its one-second timer.
    const arrivals: { treeSize: number; at: number }[] = [];
    const watch: CheckpointSink = {
      description: "bench",
      write: async (c) => void arrivals.push({ treeSize: c.treeSize, at: performance.now() }),
    };
    const live = new Sealer(handle.db, testSigner, [watch]);
    await live.sealNow();
    live.start();
    const commits: { k: number; at: number }[] = [];
    let counter = 0;
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < until) {
          const k = counter++;
          const recorder = new AuditRecorder(systemActor("bench"));
          recorder.record({ action: "bench.commit", details: { k } });
          await handle.db.transaction((tx) => recorder.flush(tx));
          commits.push({ k, at: performance.now() });
          await new Promise((r) => setTimeout(r, 5));
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 2_500));
    await live.stop();
    // Each commit is covered by the first checkpoint written out after it whose tree holds the event's position.
    const positionOf = new Map(
      (
        await queryRows<{ k: number; position: number }>(
          handle.db,
          sql`select (e.details->>'k')::int as k, l.position::int as position from audit_log l join audit_events e on e.id = l.event_id where e.action = 'bench.commit'`,
        )
      ).map((r) => [r.k, r.position]),
    );
    const delays: number[] = [];
    for (const commit of commits) {
      const position = positionOf.get(commit.k)!;
      const covering = arrivals.find((a) => a.at >= commit.at && a.treeSize > position);
      if (covering) delays.push(covering.at - commit.at);
    }
    delays.sort((a, b) => a - b);
    console.log(
      `Commit → in a signed checkpoint outside the database (sealer every second, 8 writers, ${commits.length} events): ` +
        `p50 ${percentile(delays, 50).toFixed(0)} ms, p95 ${percentile(delays, 95).toFixed(0)} ms, max ${delays.at(-1)?.toFixed(0)} ms ` +
        `(${delays.length} of ${commits.length} matched; goal p95 ≤ 2,000 ms)`,
    );
  } finally {
    await handle.close();
    await drop();
  }
}
