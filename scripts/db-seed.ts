import { loadConfig } from "../app/env.server.ts";
import { describeSeed, prepareDatabase } from "../db/prepare.ts";
import { runCli } from "./cli.ts";

// `npm run db:seed`: apply migrations, then load the requirement catalog (idempotent).
await runCli(loadConfig, async (handle) => {
  console.log(describeSeed(await prepareDatabase(handle)));
});
