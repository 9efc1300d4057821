import { randomBytes, randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { Readable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { loadOrCreateSecrets } from "../../app/env.server.ts";
import { sealStream } from "../../app/modules/blobs/sealed-files.server.ts";
import { FileSystemBlobStore } from "../../app/modules/blobs/store.server.ts";
import { openDatabase, queryRows } from "../../db/client.ts";
import { organisations } from "../../db/schema/access.ts";
import { evidenceFiles, evidenceItemContracts, evidenceItems, evidenceVersions } from "../../db/schema/evidence.ts";
import { demoAccount, signInOverHttp } from "../support/demo.ts";
import { startServer, tempDataDir } from "../support/server.ts";
import { memoryOf } from "./measure.ts";
import path from "node:path";

/**
 * The agency export at 10,000 evidence files of 1 MB each (about 10 GB): the demo's Riverside Police
 * Department with that many accepted items added, each with its own file sealed in the store as uploads
 * are. The export is asked for over HTTP as an administrator would, and the server's resident memory is
 * sampled from /proc every 100 ms while the background job writes the ZIP into the store; the figure is
 * the peak above the memory the server held just before. BENCH_EXPORT_FILES changes the count.
 */
const FILES = Number(process.env.BENCH_EXPORT_FILES ?? 10_000);
const FILE_BYTES = 1024 * 1024;

export async function benchExport() {
  const dataDir = tempDataDir();
  try {
    // The demo, written by a first start.
    const first = await startServer({ dataDir, database: "embedded" });
    await first.stop();
    const seeded = performance.now();
    await addEvidenceFiles(dataDir);
    console.log(
      `Agency export: ${FILES.toLocaleString("en-US")} evidence files of 1 MB sealed into the store in ${((performance.now() - seeded) / 1000).toFixed(0)} s.`,
    );
    const server = await startServer({ dataDir, database: "embedded" });
    try {
      const cookie = await signInOverHttp(server, demoAccount(server, "Agency administrator", "Riverside"));
      await (await fetch(`${server.url}/admin/exports`, { headers: { Cookie: cookie } })).text();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const baseline = memoryOf(server.pid).rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(server.pid).rss)), 100);
      const started = performance.now();
      const asked = await fetch(`${server.url}/admin/exports`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie },
        body: new URLSearchParams({}),
      });
      if (asked.status !== 302) throw new Error(`asking for the export answered ${asked.status}`);
      let page = "";
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        page = await (await fetch(`${server.url}/admin/exports`, { headers: { Cookie: cookie } })).text();
        if (/Download \(/.test(page) || /Failed/.test(page)) break;
      }
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (!/Download \(/.test(page)) throw new Error("the export failed");
      const size = page.match(/Download \(([^)]+)\)/)![1]!.replace(/<!-- -->/g, "");
      const megabytes = (FILES * FILE_BYTES) / 1024 / 1024;
      console.log(
        `Agency export of ${FILES.toLocaleString("en-US")} files (${size} ZIP, sealed into the store as it is written): ${seconds.toFixed(0)} s, ` +
          `${(megabytes / seconds).toFixed(0)} MB/s of files; server memory ${baseline.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB: ` +
          `${(peak - baseline).toFixed(0)} MB above its baseline (goal: under 200 MB).`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** FILES accepted evidence items on Riverside's first contract, each with one distinct 1 MB file, sealed as uploads are. */
async function addEvidenceFiles(dataDir: string) {
  const handle = await openDatabase({ dataDir });
  const blobs = new FileSystemBlobStore(path.join(dataDir, "blobs"));
  const secrets = loadOrCreateSecrets(dataDir);
  try {
    const [agency] = await handle.db.select().from(organisations).where(eq(organisations.name, "Riverside Police Department"));
    const [contract] = await queryRows<{ id: string; vendor_id: string }>(
      handle.db,
      sql`select id, vendor_id from contracts where agency_id = ${agency!.id} order by title limit 1`,
    );
    const [kind] = await queryRows<{ id: string }>(
      handle.db,
      sql`select id from catalog_evidence_kinds order by sort_order limit 1`,
    );
    const now = new Date();
    const base = randomBytes(FILE_BYTES);
    const batch = 200;
    for (let start = 0; start < FILES; start += batch) {
      const rows: { item: string; version: string; sealed: Awaited<ReturnType<typeof sealStream>> }[] = [];
      for (let i = start; i < Math.min(start + batch, FILES); i++) {
        // Each file distinct (its first bytes carry its number), so each is its own entry in the export.
        const bytes = Buffer.from(base);
        bytes.writeUInt32BE(i, 0);
        bytes.write(randomUUID(), 4);
        rows.push({
          item: randomUUID(),
          version: randomUUID(),
          sealed: await sealStream(blobs, secrets, Readable.from([bytes])),
        });
      }
      await handle.db.transaction(async (tx) => {
        await tx.insert(evidenceItems).values(
          rows.map((r, n) => ({
            id: r.item,
            agencyId: agency!.id,
            vendorId: contract!.vendor_id,
            kindId: kind!.id,
            title: `Bench evidence ${start + n + 1}`,
            status: "accepted" as const,
            currentVersion: 1,
            createdAt: now,
            updatedAt: now,
          })),
        );
        await tx.insert(evidenceItemContracts).values(rows.map((r) => ({ itemId: r.item, contractId: contract!.id })));
        await tx.insert(evidenceVersions).values(
          rows.map((r) => ({
            id: r.version,
            itemId: r.item,
            version: 1,
            status: "accepted" as const,
            fields: {},
            submittedAt: now,
            submittedByOrganisationKind: "vendor" as const,
            decidedAt: now,
          })),
        );
        await tx.insert(evidenceFiles).values(
          rows.map((r) => ({
            versionId: r.version,
            filename: "bench.pdf",
            mediaType: "application/pdf",
            sizeBytes: r.sealed.size,
            sha256: r.sealed.sha256,
            blobSha256: r.sealed.blobSha256,
            keyId: r.sealed.keyId,
            nonce: r.sealed.nonce,
            authTag: r.sealed.authTag,
            uploadedAt: now,
          })),
        );
      });
    }
  } finally {
    await handle.close();
  }
}
