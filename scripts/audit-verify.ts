import { loadConfig } from "../app/env.server.ts";
import { createSigner } from "../app/modules/audit/signing.server.ts";
import { openSinks } from "../app/modules/audit/sinks.server.ts";
import { verifyAuditLog } from "../app/modules/audit/verify.server.ts";
import { runCli } from "./cli.ts";

// `npm run audit:verify`: rebuild the audit log's Merkle tree from the events and hold it to every
// signed checkpoint, in the database and kept outside it (decision 0026).
let config: ReturnType<typeof loadConfig>;
await runCli(
  () => (config = loadConfig()),
  async (handle) => {
    const signer = createSigner(config.audit.signingKeyPem);
    const external = [];
    for (const sink of await openSinks(config.audit.sinks)) {
      if (sink.readAll) external.push({ source: sink.description, checkpoints: await sink.readAll() });
    }
    const started = performance.now();
    const result = await verifyAuditLog(handle.db, { publicKeyPem: signer.publicKeyPem, external });
    const seconds = (performance.now() - started) / 1000;
    if (result.ok) {
      const span = result.first ? `, from ${result.first.toISOString()} to ${result.last!.toISOString()}` : "";
      console.log(
        `Audit log intact: ${result.checked} events verified in ${seconds.toFixed(1)} s${span} ` +
          `(${Math.round(result.checked / Math.max(seconds, 0.001))} events/s), against ${result.checkpoints} signed checkpoint(s) (key ${signer.keyId}).`,
      );
      console.log(
        result.external
          ? `Held to the newest checkpoint kept outside the database: size ${result.external.treeSize}, signed ${result.external.issuedAt}, in ${result.external.source}.`
          : `No checkpoint was found outside the database (${config.audit.sinks.file}): a deleted tail cannot be ruled out.`,
      );
      if (result.waiting > 0) console.log(`${result.waiting} committed event(s) were still waiting for the sealer.`);
    } else {
      console.error(`Audit log BROKEN after ${result.checked} good events: ${result.problem}.`);
      process.exitCode = 1;
    }
  },
);
