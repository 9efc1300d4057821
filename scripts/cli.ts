import { ConfigError, type Config } from "../app/env.server.ts";
import { DatabaseInUseError, DatabaseUnavailableError, openDatabase, type DatabaseHandle } from "../db/client.ts";
import { CatalogDataError } from "../db/catalog/load.ts";

/** Open the configured database, run fn, close; known failures print one clear line and exit 1. */
export async function runCli(loadConfig: () => Config, fn: (handle: DatabaseHandle) => Promise<void>) {
  let handle: DatabaseHandle | undefined;
  try {
    const config = loadConfig();
    handle = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
    await fn(handle);
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof DatabaseInUseError ||
      error instanceof DatabaseUnavailableError ||
      error instanceof CatalogDataError
    ) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      throw error;
    }
  } finally {
    await handle?.close();
  }
}
