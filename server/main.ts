import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { ConfigError, loadConfig } from "../app/env.server.ts";
import { CatalogDataError } from "../db/catalog/load.ts";
import { DatabaseInUseError, DatabaseUnavailableError, openDatabase } from "../db/client.ts";
import { describeSeed, prepareDatabase } from "../db/seed.ts";
import { createApp } from "./app.ts";

/**
 * Start-up: validate configuration, open the database (embedded unless
 * DATABASE_URL is set), apply migrations, load the catalog, serve.
 * Any known failure prints one line naming the cause and exits with status 1.
 */
async function main() {
  const config = loadConfig();
  const database = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
  );
  let server: Server | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server?.close();
    server?.closeAllConnections();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());

  try {
    console.log(describeSeed(await prepareDatabase(database)));
    const mode = config.nodeEnv === "development" ? "development" : "production";
    server = await listen(await createApp({ database, mode }), config.port, config.host);
    const { port } = server.address() as AddressInfo;
    const where = config.databaseUrl ? "PostgreSQL from DATABASE_URL" : `embedded database in ${config.dataDir}`;
    console.log(`Custody is ready on http://localhost:${port} (${mode}, ${where}).`);
  } catch (error) {
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
