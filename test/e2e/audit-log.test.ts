import { spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { createPostgresDatabase } from "../support/database.ts";
import { demoAccount, signInOverHttp } from "../support/demo.ts";
import { projectRoot, startServer, tempDataDir, type RunningServer } from "../support/server.ts";

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** Run one of the project's commands (npm run audit:verify, audit:key) as an operator would, with the server's settings. */
function command(script: string, env: Record<string, string>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  return spawnSync(process.execPath, ["--import", "tsx", script], { cwd: projectRoot, env: childEnv, encoding: "utf8" });
}

const checkpointsIn = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { treeSize: number });

async function until(condition: () => boolean, what: string, ms = 10_000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the audit log of a running installation", () => {
  it("signs checkpoints of what happens within seconds, serves its public key, seals at shutdown, and audit:verify finds it intact", async () => {
    const server = await startServer({ database: "embedded" });
    running.push(server);
    const file = path.join(server.dataDir, "audit-checkpoints.jsonl");
    const cookie = await signInOverHttp(server, demoAccount(server, "CJIS officer"));

    // The public key, as served and as the command prints it, is the one that signs.
    const served = await fetch(`${server.url}/.well-known/custody-audit-key.pem`);
    expect(served.status).toBe(200);
    const publicKeyPem = await served.text();
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const printed = command("scripts/audit-key.ts", { DATA_DIR: server.dataDir });
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain(publicKeyPem);

    // A demo evidence item's custody receipt, checked offline by the standalone checker, then one byte changed.
    const register = await (await fetch(`${server.url}/evidence`, { headers: { Cookie: cookie } })).text();
    const itemId = /href="\/evidence\/([0-9a-f-]{36})"/.exec(register)![1]!;
    await until(() => checkpointsIn(file).length > 0, "the first checkpoint in the file");
    await new Promise((r) => setTimeout(r, 1_500)); // the item's page view above is sealed within a second
    const receiptResponse = await fetch(`${server.url}/evidence/${itemId}/custody-receipt.json`, { headers: { Cookie: cookie } });
    expect(receiptResponse.status).toBe(200);
    const receiptText = await receiptResponse.text();
    const receipt = JSON.parse(receiptText) as { events: unknown[]; checkpoint: { treeSize: number } };
    expect(receipt.events.length).toBeGreaterThan(0);
    const dir = mkdtempSync(path.join(os.tmpdir(), "custody-demo-receipt-"));
    writeFileSync(path.join(dir, "key.pem"), publicKeyPem);
    const check = (text: string) => {
      writeFileSync(path.join(dir, "receipt.json"), text);
      return spawnSync(
        process.execPath,
        [
          path.join(projectRoot, "scripts/verify-receipt.mjs"),
          path.join(dir, "receipt.json"),
          "--key",
          path.join(dir, "key.pem"),
        ],
        { encoding: "utf8" },
      );
    };
    const good = check(receiptText);
    expect(good.stderr).toBe("");
    expect(good.stdout).toMatch(/^VERIFIED: Custody audit receipt for evidence item/);
    // The checker the page links to is the same file.
    expect(await (await fetch(`${server.url}/.well-known/custody-verify-receipt.mjs`)).text()).toBe(
      readFileSync(path.join(projectRoot, "scripts/verify-receipt.mjs"), "utf8"),
    );
    const at = receiptText.indexOf('"action\\":\\"') + 12;
    const flipped = receiptText.slice(0, at) + (receiptText[at] === "e" ? "f" : "e") + receiptText.slice(at + 1);
    const bad = check(flipped);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^NOT VERIFIED: event 1 \(position \d+\) .* is NOT in the signed log as written/);

    // Requests keep coming; their events are in a checkpoint in the file within a few seconds. (The size is read
    // before the requests: read after, the sealer may already have covered them, and the wait would never end.)
    const before = checkpointsIn(file).at(-1)!.treeSize;
    for (let i = 0; i < 5; i++) await fetch(`${server.url}/evidence/${itemId}`, { headers: { Cookie: cookie } });
    await until(() => checkpointsIn(file).at(-1)!.treeSize >= before + 5, "a checkpoint covering the new page views");

    // Stopped, the server seals what is left; the log verifies against the file.
    await server.stop();
    const verified = command("scripts/audit-verify.ts", { DATA_DIR: server.dataDir });
    expect(verified.stderr).toBe("");
    expect(verified.status).toBe(0);
    const newest = checkpointsIn(file).at(-1)!.treeSize;
    expect(verified.stdout).toMatch(new RegExp(`^Audit log intact: ${newest} events verified in`));
    expect(verified.stdout).toContain(`Held to the newest checkpoint kept outside the database: size ${newest}`);
    expect(verified.stdout).not.toContain("waiting for the sealer");
  });

  it.runIf(process.env.DATABASE_URL)(
    "three server copies on one PostgreSQL: every request has its event, one sealer at a time, no request waits on an audit lock, the tree verifies",
    async () => {
      const { url, drop } = await createPostgresDatabase(process.env.DATABASE_URL!, "custody_e2e_copies");
      const shared = mkdtempSync(path.join(os.tmpdir(), "custody-shared-"));
      const env = {
        DATABASE_URL: url,
        SESSION_SECRET: randomBytes(32).toString("hex"),
        ENCRYPTION_KEY: randomBytes(32).toString("hex"),
        AUDIT_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        AUDIT_CHECKPOINT_FILE: path.join(shared, "audit-checkpoints.jsonl"),
      };
      const watcher = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const first = await startServer({ database: "shared", env: { ...env, SEED_DEMO: "1" } });
        running.push(first);
        const copies = [first];
        for (let i = 0; i < 2; i++) {
          const copy = await startServer({ database: "shared", dataDir: tempDataDir(), env: { ...env, SEED_DEMO: "0" } });
          running.push(copy);
          copies.push(copy);
        }
        const cookie = await signInOverHttp(first, demoAccount(first, "CJIS officer"));
        const register = await (await fetch(`${first.url}/evidence`, { headers: { Cookie: cookie } })).text();
        const itemIds = [...new Set([...register.matchAll(/href="\/evidence\/([0-9a-f-]{36})"/g)].map((m) => m[1]!))];
        expect(itemIds.length).toBeGreaterThan(0);
        const readEvents = async () =>
          (await watcher<{ n: number }[]>`select count(*)::int as n from audit_events where action = 'evidence.read'`)[0]!.n;
        const before = await readEvents();

        // Watch for any session waiting on an advisory lock while the load runs.
        let waitingOnLock = 0;
        let loading = true;
        const watching = (async () => {
          while (loading) {
            const [row] = await watcher<
              { n: number }[]
            >`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`;
            waitingOnLock = Math.max(waitingOnLock, row!.n);
            await new Promise((r) => setTimeout(r, 20));
          }
        })();
        const REQUESTS = 240;
        const statuses = await Promise.all(
          Array.from({ length: REQUESTS }, async (_, i) => {
            const copy = copies[i % copies.length]!;
            const response = await fetch(`${copy.url}/evidence/${itemIds[i % itemIds.length]}`, { headers: { Cookie: cookie } });
            await response.arrayBuffer();
            return response.status;
          }),
        );
        loading = false;
        await watching;
        expect(statuses.filter((s) => s !== 200)).toEqual([]);
        expect(waitingOnLock).toBe(0);

        expect((await readEvents()) - before).toBe(REQUESTS);

        await Promise.all(copies.map((c) => c.stop()));
        for (const copy of copies) expect(copy.output.stderr).not.toMatch(/sealer failed|could not be written/i);
        const sealers = await watcher<{ sealed_by: string }[]>`select distinct sealed_by from audit_checkpoints`;
        expect(sealers.length).toBeGreaterThanOrEqual(1);
        const [log] = await watcher<{ events: number; positions: number; top: number; pending: number }[]>`
          select (select count(*)::int from audit_events) as events, (select count(*)::int from audit_log) as positions,
                 (select coalesce(max(position), -1)::int from audit_log) as top, (select count(*)::int from audit_pending) as pending`;
        expect(log).toEqual({ events: log!.events, positions: log!.events, top: log!.events - 1, pending: 0 });

        const verified = command("scripts/audit-verify.ts", { ...env, DATA_DIR: tempDataDir() });
        expect(verified.stderr).toBe("");
        expect(verified.stdout).toMatch(new RegExp(`^Audit log intact: ${log!.events} events verified`));
        expect(verified.stdout).toContain(`Held to the newest checkpoint kept outside the database: size ${log!.events}`);
      } finally {
        await Promise.all(running.splice(0).map((s) => s.stop()));
        await watcher.end();
        await drop();
      }
    },
  );
});
