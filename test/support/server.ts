import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPostgresDatabase } from "./database.ts";

export const projectRoot = path.resolve(import.meta.dirname, "..", "..");
export const SERVER_ENTRY = "build/server-main/main.js";

export function tempDataDir() {
  return mkdtempSync(path.join(tmpdir(), "custody-data-"));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

type Output = { stdout: string; stderr: string };

function spawnServer(env: NodeJS.ProcessEnv): { child: ChildProcess; output: Output } {
  // The server as `npm start` runs it: built by `npm run build` (test:e2e runs after it).
  // SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server a benchmark measures.
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, SERVER_ENTRY], {
    cwd: projectRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout!.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
  return { child, output };
}

function baseEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  delete env.DATABASE_URL;
  delete env.SESSION_SECRET;
  delete env.ENCRYPTION_KEY;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export type RunningServer = {
  url: string;
  dataDir: string;
  output: Output;
  pid: number;
  stop(): Promise<void>;
};

/**
 * Start the built server as a real process on a free port. With database
 * "auto" it uses a fresh PostgreSQL database when DATABASE_URL is set, and the
 * embedded database otherwise; "embedded" always uses the embedded one.
 */
export async function startServer(
  options: {
    dataDir?: string;
    /** "shared": the PostgreSQL database named by env.DATABASE_URL, which the caller created and drops. */
    database?: "auto" | "embedded" | "shared";
    env?: Record<string, string>;
  } = {},
): Promise<RunningServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const port = await freePort();
  let drop = async () => {};
  const extra: Record<string, string> = { PORT: String(port), DATA_DIR: dataDir, SEED_DEMO: "1", ...options.env };
  if ((options.database ?? "auto") === "auto" && process.env.DATABASE_URL) {
    const created = await createPostgresDatabase(process.env.DATABASE_URL, "custody_e2e");
    extra.DATABASE_URL = created.url;
    drop = created.drop;
  }
  const { child, output } = spawnServer(baseEnv(extra));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in time:\n${output.stdout}\n${output.stderr}`)),
      60_000,
    );
    const check = () => {
      if (output.stdout.includes("Custody is ready on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${output.stdout}\n${output.stderr}`));
    });
  });
  return {
    url: `http://localhost:${port}`,
    dataDir,
    output,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      await drop();
    },
  };
}

/** Run the server with the given environment until it exits by itself (for start-up failures). */
export async function runServerToExit(env: Record<string, string | undefined>, timeoutMs = 30_000) {
  const { child, output } = spawnServer(baseEnv(env));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not exit within ${timeoutMs} ms:\n${output.stdout}\n${output.stderr}`));
    }, timeoutMs);
    child.once("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, ...output };
}
