import { randomBytes } from "node:crypto";
import { openAsBlob } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "../../db/client.ts";
import { demoAccount, signInOverHttp } from "../support/demo.ts";
import { createPostgresDatabase } from "../support/database.ts";
import { startServer, tempDataDir } from "../support/server.ts";
import { CONNECTIONS, DURATION_SECONDS, describeLatency, latency, median, memoryOf } from "./measure.ts";

/**
 * Evidence figures. The upload goes through the vendor portal as a browser sends it
 * (multipart, signed in as the vendor representative) with a 50 MiB PDF of random
 * bytes, three times; the server's resident memory is sampled from /proc every 10 ms.
 * The register is measured on a fresh embedded database holding the demo plus 50,000
 * evidence items inserted by generate_series, and the same on PostgreSQL when DATABASE_URL
 * is set.
 */
const UPLOAD_BYTES = 50 * 1024 * 1024;
const REGISTER_ITEMS = 50_000;

export async function benchEvidence() {
  if (process.env.BENCH_EVIDENCE !== "register") await uploadFigures();
  if (process.env.BENCH_EVIDENCE !== "upload") {
    await registerFigures("embedded");
    if (process.env.DATABASE_URL) await registerFigures("postgres");
  }
}

async function uploadFigures() {
  const file = path.join(tmpdir(), `custody-bench-${process.pid}.pdf`);
  const head = Buffer.from(
    "%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n3 0 obj<</Length " +
      UPLOAD_BYTES +
      ">>stream\n",
  );
  const tail = Buffer.from("\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
  await writeFile(file, Buffer.concat([head, randomBytes(UPLOAD_BYTES - head.length - tail.length), tail]));
  const server = await startServer({ database: "embedded", env: { UPLOAD_MAX_MB: "64" } });
  try {
    const cookie = await signInOverHttp(server, demoAccount(server, "Vendor representative"));
    const portal = await (await fetch(`${server.url}/portal`, { headers: { Cookie: cookie } })).text();
    const itemPath = portal.match(/\/portal\/evidence\/[0-9a-f-]{36}/)![0];
    const html = await (await fetch(`${server.url}${itemPath}`, { headers: { Cookie: cookie } })).text();
    const runs: { seconds: number; before: number; peak: number }[] = [];
    for (let run = 0; run < 3; run++) {
      const form = new FormData();
      for (const [k, v] of Object.entries({
        attestationName: "Casey Duncan",
        attestationTitle: "Compliance manager",
        attest: "yes",
        expiresOn: "2027-12-31",
      }))
        form.set(k, v);
      for (const m of html.matchAll(/name="(field\.[A-Za-z]+)"/g)) form.set(m[1]!, fieldValue(m[1]!, html));
      form.set("file", await openAsBlob(file, { type: "application/pdf" }), "soc2-report-2026.pdf");
      const before = memoryOf(server.pid).rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(server.pid).rss)), 10);
      const started = performance.now();
      const response = await fetch(`${server.url}${itemPath}`, {
        method: "POST",
        body: form,
        redirect: "manual",
        headers: { Cookie: cookie, Origin: server.url },
      });
      await response.arrayBuffer();
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      if (response.status !== 302)
        throw new Error(
          `upload answered ${response.status}: ${JSON.stringify([...(await response.clone().text()).matchAll(/usa-error-message[^>]*>([^<]+)</g)].map((m) => m[1]))}`,
        );
      runs.push({ seconds, before, peak });
    }
    const after = memoryOf(server.pid);
    console.log(
      `Evidence upload, ${UPLOAD_BYTES / 1024 / 1024} MiB PDF through /portal/evidence/:id (content check, AES-256-GCM, blob store, audited), 3 runs: ` +
        runs
          .map(
            (r) =>
              `${(UPLOAD_BYTES / 1024 / 1024 / r.seconds).toFixed(0)} MiB/s (${r.seconds.toFixed(2)} s; server resident memory ${r.before.toFixed(0)} MiB before, peak ${r.peak.toFixed(0)} MiB during, +${(r.peak - r.before).toFixed(0)} MiB)`,
          )
          .join(", ") +
        `; after the runs ${after.rss.toFixed(0)} MiB, process high-water mark since start ${after.peak.toFixed(0)} MiB`,
    );
  } finally {
    await server.stop();
    await rm(file, { force: true });
  }
}

/** A plausible value for a kind's field, read from the form's own select options where it has them. */
function fieldValue(name: string, html: string) {
  const select = html.match(new RegExp(`<select[^>]*name="${name.replace(".", "\\.")}"[^>]*>([\\s\\S]*?)</select>`));
  if (select) return select[1]!.match(/<option value="([^"]+)"/)?.[1] ?? "";
  if (/Cents|limit|amount/i.test(name)) return "5,000,000";
  if (/On$|Date|from|to$/i.test(name)) return "2026-06-30";
  if (/count|exceptions|number/i.test(name)) return "0";
  return "Bench value";
}

async function registerFigures(database: "embedded" | "postgres") {
  const dataDir = tempDataDir();
  const pg = database === "postgres" ? await createPostgresDatabase(process.env.DATABASE_URL!, "custody_bench") : null;
  const env: Record<string, string> = pg ? { DATABASE_URL: pg.url, SEED_DEMO: "1" } : {};
  try {
    // First start: migrate and seed the demo; then add the items while no server holds the database.
    await (await startServer({ dataDir, database: "embedded", env })).stop();
    const handle = await openDatabase(pg ? { databaseUrl: pg.url } : { dataDir });
    const [target] = await queryRows<{ agency_id: string; vendor_id: string; contract_id: string }>(
      handle.db,
      sql`select c.agency_id, c.vendor_id, c.id as contract_id from contracts c join organisations o on o.id = c.agency_id join vendors v on v.id = c.vendor_id
          where o.name = 'Riverside Police Department' and v.legal_name like 'EvidenceCloud%' order by c.created_at limit 1`,
    );
    const started = performance.now();
    await handle.db.execute(sql`
      insert into evidence_items (agency_id, vendor_id, kind_id, title, status, due_on, expires_on, current_version, created_at, updated_at)
      select ${target!.agency_id}, ${target!.vendor_id},
             (select array_agg(id order by key) from catalog_evidence_kinds)[1 + n % (select count(*)::int from catalog_evidence_kinds)],
             'Bench evidence ' || n,
             (array['accepted','accepted','accepted','requested','submitted','rejected','superseded'])[1 + n % 7],
             current_date + (n % 120) - 30,
             case when n % 7 in (0, 1, 2, 6) then current_date + (n % 730) - 60 end,
             case when n % 7 = 3 then 0 else 1 end,
             now() - (n || ' minutes')::interval, now() - (n || ' minutes')::interval
        from generate_series(1, ${REGISTER_ITEMS}) n`);
    await handle.db.execute(
      sql`insert into evidence_item_contracts (item_id, contract_id) select id, ${target!.contract_id} from evidence_items where title like 'Bench evidence %'`,
    );
    await handle.db.execute(sql`vacuum (analyze)`); // as autovacuum (PostgreSQL) or the hourly maintenance (embedded) would
    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from evidence_items`);
    console.log(
      `Evidence register data [${database}]: ${n} items inserted in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    await handle.close();

    const server = await startServer({ dataDir, database: "embedded", env });
    try {
      const cookie = await signInOverHttp(server, demoAccount(server, "CJIS officer", "Riverside"));
      for (const [name, url] of [
        ["Evidence register, first page", "/evidence"],
        [
          "Evidence register, accepted, expiring before a date",
          `/evidence?status=accepted&expiringBefore=${new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10)}`,
        ],
        ["Evidence register, page 500", "/evidence?page=500"],
      ] as const) {
        const alone: number[] = [];
        for (let i = 0; i < 12; i++) {
          const t = performance.now();
          const check = await fetch(`${server.url}${url}`, { headers: { Cookie: cookie } });
          if (check.status !== 200) throw new Error(`${url} answered ${check.status}`);
          await check.arrayBuffer();
          if (i >= 2) alone.push(performance.now() - t);
        }
        console.log(`${name} [${database}], one request at a time: median ${median(alone).toFixed(1)} ms`);
        await latency(`${server.url}${url}`, 3, { Cookie: cookie });
        const r = await latency(`${server.url}${url}`, DURATION_SECONDS, { Cookie: cookie });
        console.log(
          `${name} [${database}] (GET ${url}) at ${REGISTER_ITEMS} items, ${CONNECTIONS} connections for ${DURATION_SECONDS} s: ${describeLatency(r)}`,
        );
      }
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await pg?.drop();
  }
}
