import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { ConfigError, loadConfig } from "../app/env.server.ts";
import { ensureBootstrapInvitation } from "../app/modules/access/accounts.server.ts";
import { DEMO_PEOPLE, demoPasswords, describeDemoAccounts } from "../app/demo/accounts.server.ts";
import { runStaleSweep, SWEEP_EVERY_MS } from "../app/modules/access/sweep.server.ts";
import { createMailer } from "../app/modules/notifications/mail.server.ts";
import { runReminders } from "../app/modules/reminders/reminders.server.ts";
import { CatalogDataError } from "../db/catalog/load.ts";
import { DatabaseInUseError, DatabaseUnavailableError, openDatabase } from "../db/client.ts";
import { describeSeed, prepareDatabase } from "../db/prepare.ts";
import { createApp, loadServerBuild, projectRoot } from "./app.ts";
import { usableImage } from "../db/image.ts";
import { openBlobStore } from "../app/modules/blobs/open.server.ts";
import { refreshStatistics } from "../db/maintenance.ts";
import { sweepOrphanBlobs } from "../app/modules/blobs/sweep.server.ts";
import { createSigner } from "../app/modules/audit/signing.server.ts";
import { ExportWorker } from "../app/modules/portability/export-jobs.server.ts";
import { skipAuditWritingForBenchmark } from "../app/modules/audit/audit.server.ts";
import { openSinks } from "../app/modules/audit/sinks.server.ts";
import { Sealer } from "../app/modules/audit/sealer.server.ts";

/**
 * Start-up: validate configuration, open the database (embedded unless
 * DATABASE_URL is set; a new embedded one is unpacked from the image `npm run
 * build` prepares), apply migrations, load the catalog, serve; then, while
 * serving, refresh planner statistics, seed the demo and run the sweeps.
 * Any known failure prints one line naming the cause and exits with status 1.
 */
async function main() {
  const config = loadConfig();
  // A new embedded installation gets the demo: hash its passwords on the spare core meanwhile.
  const demoPasswordsUnderWay =
    config.seedDemo && !config.databaseUrl && !existsSync(path.join(config.dataDir, "pglite", "PG_VERSION"))
      ? demoPasswords(DEMO_PEOPLE.length)
      : undefined;
  // Load the built pages while the database opens: the two overlap where either waits on the disk.
  const serverBuild = config.nodeEnv === "development" ? undefined : loadServerBuild();
  serverBuild?.catch(() => {}); // a failure is reported where it is awaited
  const buildDir = path.join(projectRoot, "build");
  const prepared: { image: ReturnType<typeof usableImage> } = { image: null };
  const database = await openDatabase(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl }
      : { dataDir: config.dataDir, image: () => (prepared.image = usableImage(buildDir))?.dataDir ?? null },
  );
  let server: Server | undefined;
  let sealer: Sealer | undefined;
  let exports: ExportWorker | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server?.close();
    server?.closeAllConnections();
    // An export under way is not waited for: the next start takes it up again from the beginning.
    exports?.stop();
    // The events of the last requests are sealed and their checkpoint written out before the database closes.
    await sealer?.stop().catch((error: unknown) => console.error("Sealing the audit log at shutdown failed:", error));
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());

  try {
    if (database.origin === "image" && prepared.image) {
      // The image's stamp is the migrations and the catalog of this copy: nothing is left to apply or load.
      console.log(
        `Embedded database created from the image prepared by npm run build. ${describeSeed(prepared.image.meta.catalog)} Migrations up to date.`,
      );
    } else {
      console.log(describeSeed(await prepareDatabase(database)));
    }
    const secrets = { sessionSecret: config.sessionSecret, encryptionKey: config.encryptionKey };
    const mode = config.nodeEnv === "development" ? "development" : "production";
    if (config.testClockFile) console.log(`Test clock: offsets are read from ${config.testClockFile}.`);
    if (config.benchSkipAudit) {
      skipAuditWritingForBenchmark();
      console.log("Benchmark: audit events are NOT written (CUSTODY_BENCH_SKIP_AUDIT=1).");
    }
    const clockFile = config.testClockFile;
    const now = clockFile ? () => new Date(Date.now() + (Number(readFileSync(clockFile, "utf8")) || 0)) : () => new Date();
    const mailer = createMailer(config.smtpUrl, config.mailFrom);
    const blobs = await openBlobStore(config.blobStore, config.dataDir);
    const signer = createSigner(config.audit.signingKeyPem);
    sealer = new Sealer(database.db, signer, await openSinks(config.audit.sinks));
    exports = new ExportWorker({ db: database.db, blobs, secrets, signer, now });
    server = await listen(
      await createApp({
        database,
        mode,
        secrets,
        now,
        mailer,
        publicUrl: config.publicUrl,
        trustProxy: config.trustProxy,
        blobs,
        uploadMaxBytes: config.uploadMaxBytes,
        serverBuild,
        auditPublicKeyPem: signer.publicKeyPem,
      }),
      config.port,
      config.host,
    );
    // Seal what the last run left (and, once, the hash-chained events of before migration 0020), then every second.
    sealer.start();
    // Agency exports asked for, and any a stopped server left half-written (started again from the beginning).
    exports.start();
    void sealer.sealNow().catch((error: unknown) => console.error("Audit sealer failed:", error));
    const { port } = server.address() as AddressInfo;
    const where = config.databaseUrl ? "PostgreSQL from DATABASE_URL" : `embedded database in ${config.dataDir}`;
    const url = `http://localhost:${port}`;
    // Serving from here on; what follows needs no one waiting for the first page. A database just
    // unpacked from the image was vacuumed when the image was made; the hourly loop keeps it so.
    if (database.origin !== "image") await refreshStatistics(database);
    if (config.seedDemo) {
      const { seedDemo } = await import("../app/demo/seed.server.ts");
      const accounts = await seedDemo(database.db, secrets, new Date(), blobs, demoPasswordsUnderWay);
      if (accounts.length > 0) {
        const text = describeDemoAccounts(accounts, url);
        const file = path.join(config.dataDir, "demo-accounts.txt");
        writeFileSync(file, text, { mode: 0o600 });
        console.log(`\n${text}\n(Also written to ${file}, readable only by this user.)\n`);
      }
    }
    const bootstrap = await ensureBootstrapInvitation(database.db, new Date());
    if (bootstrap) {
      console.log(
        `No platform administrator exists yet. Create the first one with this single-use link (valid 72 hours):\n  ${url}/invitations/${bootstrap}`,
      );
    }
    // The stale-account sweep: now, then every hour. Idempotent; one server copy at a time.
    const sweep = () =>
      runStaleSweep(database.db, new Date())
        .then((r) => {
          if (r.disabled.length + r.membershipsEnded.length > 0) {
            console.log(
              `Stale-account sweep: ${r.disabled.length} account(s) disabled, ${r.membershipsEnded.length} role(s) ended.`,
            );
          }
        })
        .catch((error: unknown) => console.error("Stale-account sweep failed:", error));
    // The orphan-blob sweep: files stored for an upload whose record never committed.
    const blobSweep = () =>
      sweepOrphanBlobs(database.db, blobs, new Date())
        .then((r) => {
          if (r.removed > 0) console.log(`Blob sweep: ${r.removed} unreferenced file(s) removed from ${blobs.description}.`);
        })
        .catch((error: unknown) => console.error("Blob sweep failed:", error));
    // Reminders: expiring evidence, overdue requests, training due, late notices; then the e-mail outbox.
    const reminders = () =>
      runReminders(database.db, mailer, { publicUrl: config.publicUrl, now: now() })
        .then((r) => {
          const created = Object.values(r.sweep.created).reduce((a, b) => a + b, 0);
          if (created + r.email.messages > 0)
            console.log(
              `Reminders: ${created} new notification(s); ${r.email.messages} e-mail(s) sent${r.email.failed ? `, ${r.email.failed} failed (retried next hour)` : ""}.`,
            );
        })
        .catch((error: unknown) => console.error("Reminder sweep failed:", error));
    await sweep();
    await blobSweep();
    await reminders();
    const statistics = () =>
      refreshStatistics(database).catch((error: unknown) => console.error("Refreshing planner statistics failed:", error));
    setInterval(() => void sweep().then(blobSweep).then(reminders).then(statistics), SWEEP_EVERY_MS).unref();
    console.log(`Custody is ready on ${url} (${mode}, ${where}; uploads kept as ${blobs.description}).`);
  } catch (error) {
    // Stopped (Ctrl-C, SIGTERM) while still starting: the database closed under the start-up work; not a failure.
    if (stopping) return;
    await database.close().catch(() => {});
    throw error;
  }
}

function listen(app: Express, port: number, host: string | undefined) {
  return new Promise<Server>((resolve, reject) => {
    const server = host ? app.listen(port, host) : app.listen(port);
    server.once("listening", () => resolve(server));
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new ConfigError(`Custody cannot start: port ${port} is already in use; set PORT to a free port.`)
          : error,
      );
    });
  });
}

const knownFailures = [ConfigError, DatabaseInUseError, DatabaseUnavailableError, CatalogDataError];

main().catch((error: unknown) => {
  if (knownFailures.some((kind) => error instanceof kind)) console.error((error as Error).message);
  else console.error("Custody could not start:", error);
  process.exit(1);
});
