import { verifyAuditTrail } from "../app/modules/audit/audit.server.ts";
import { loadConfig } from "../app/env.server.ts";
import { runCli } from "./cli.ts";

// `npm run audit:verify`: recompute the hash chain of the whole audit trail.
await runCli(loadConfig, async (handle) => {
  const started = performance.now();
  const result = await verifyAuditTrail(handle.db);
  const seconds = (performance.now() - started) / 1000;
  if (result.ok) {
    const span = result.first ? `, from ${result.first.toISOString()} to ${result.last!.toISOString()}` : "";
    console.log(`Audit trail intact: ${result.checked} events verified in ${seconds.toFixed(1)} s${span}.`);
  } else {
    console.error(
      `Audit trail BROKEN after ${result.checked} good events: ${result.problem}${result.id ? ` (event id ${result.id})` : ""}.`,
    );
    process.exitCode = 1;
  }
});
