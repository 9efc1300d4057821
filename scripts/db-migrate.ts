import { loadConfig } from "../app/env.server.ts";
import { runCli } from "./cli.ts";

// `npm run db:migrate`: apply committed migrations to the configured database.
await runCli(loadConfig, async (handle) => {
  await handle.migrate();
  console.log(`Migrations applied (${handle.driver}).`);
});
