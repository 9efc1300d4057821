import os from "node:os";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoAccount, signInOverHttp } from "../support/demo.ts";
import { freePort, runServerToExit, startServer, tempDataDir, type RunningServer } from "../support/server.ts";

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function start(options: Parameters<typeof startServer>[0]) {
  const server = await startServer(options);
  running.push(server);
  return server;
}

describe("starting Custody", () => {
  it("needs no set-up: on an empty data directory it creates the embedded database and its secrets, then serves", async () => {
    const dataDir = tempDataDir();
    const server = await start({ dataDir, database: "embedded" });
    expect(server.output.stdout).toMatch(/Catalog loaded: frameworks 4 added/);
    expect(existsSync(path.join(dataDir, "pglite"))).toBe(true);
    expect(statSync(path.join(dataDir, "secrets.json")).mode & 0o777).toBe(0o600);
    expect(server.output.stdout).toContain("Custody demo accounts");
    expect(statSync(path.join(dataDir, "demo-accounts.txt")).mode & 0o777).toBe(0o600);
    const cookie = await signInOverHttp(server, demoAccount(server, "Platform administrator"));
    expect((await fetch(`${server.url}/catalog`, { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it("prints a single-use link for the first administrator when it seeds no demo, and only while none exists", async () => {
    const server = await start({ database: "embedded", env: { SEED_DEMO: "0" } });
    const link = server.output.stdout.match(
      /No platform administrator exists yet\.[^\n]*\n\s+(http:\/\/\S+\/invitations\/\S+)/,
    )![1]!;
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Create the first platform administrator");
    expect(server.output.stdout).not.toMatch(/password:/);
  });

  it("refuses a second server on the same data directory with a clear message, leaving the first serving and the data intact", async () => {
    const dataDir = tempDataDir();
    const first = await start({ dataDir, database: "embedded" });

    const second = await runServerToExit({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(second.code).toBe(1);
    const message = second.stderr.trim();
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toBe(
      `Custody cannot start: the embedded database in ${dataDir} is in use by process ${first.pid}. ` +
        "Stop the other Custody server first, or set DATA_DIR to another directory.",
    );

    // The second process never took the lock, and the first kept serving.
    expect(readFileSync(path.join(dataDir, "pglite.owner"), "utf8")).toBe(`${first.pid}@${os.hostname()}`);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    await first.stop();
    expect(existsSync(path.join(dataDir, "pglite.owner"))).toBe(false);

    // The data survived: a restart finds the catalog loaded and the accounts made before it still sign in.
    const again = await start({ dataDir, database: "embedded" });
    expect(again.output.stdout).toContain("Catalog up to date.");
    expect(again.output.stdout).not.toContain("demo accounts");
    const cookie = await signInOverHttp(again, demoAccount(again, "Procurement officer"));
    const page = await (await fetch(`${again.url}/catalog/cjis-policy/6.0/AC-7`, { headers: { Cookie: cookie } })).text();
    expect(page).toContain("Unsuccessful logon attempts");
  });

  it("starts at once after the last server on the data directory was killed (kill -9), taking over the dead process's lock", async () => {
    const dataDir = tempDataDir();
    const first = await start({ dataDir, database: "embedded" });
    process.kill(first.pid, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Well inside the lock's 10-second stale period: only the owner's absence lets the restart through.
    const again = await start({ dataDir, database: "embedded" });
    expect(again.output.stderr).toContain(`the embedded database's last owner (process ${first.pid}) is no longer running`);
    expect(readFileSync(path.join(dataDir, "pglite.owner"), "utf8")).toBe(`${again.pid}@${os.hostname()}`);
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
  });

  it.each([
    [{ PORT: "abc" }, 'Custody cannot start: PORT must be a whole number from 1 to 65535 (got "abc").'],
    [
      { DATABASE_URL: "postgres//missing-colon" },
      "Custody cannot start: DATABASE_URL must be a URL like postgres://user@host:5432/database.",
    ],
    [{ SESSION_SECRET: "too-short" }, "Custody cannot start: SESSION_SECRET must be at least 32 characters."],
  ])("stops on bad configuration %o with one line naming the variable", async (env, expected) => {
    const result = await runServerToExit({ DATA_DIR: tempDataDir(), ...env });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(expected);
  });

  it("stops with one clear line when DATABASE_URL names a server that does not answer", async () => {
    const result = await runServerToExit({ DATA_DIR: tempDataDir(), DATABASE_URL: "postgres://postgres@127.0.0.1:1/test" });
    expect(result.code).toBe(1);
    const message = result.stderr.trim();
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toMatch(/^Custody cannot reach the database at DATABASE_URL \(127\.0\.0\.1:1\/test\): .*ECONNREFUSED/);
  });
});
