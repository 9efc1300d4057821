import { readFileSync } from "node:fs";
import { loadConfig } from "../app/env.server.ts";
import { systemActor } from "../app/modules/audit/audit.server.ts";
import { openBlobStore } from "../app/modules/blobs/open.server.ts";
import { importExport, ImportRefused } from "../app/modules/portability/agency-import.server.ts";
import { prepareDatabase } from "../db/prepare.ts";
import { runCli } from "./cli.ts";

// `npm run import -- export.zip --key exporting-installation.pem`: load an agency export into this
// installation (decision 0027). The key is the exporting installation's public key, as its
// /.well-known/custody-audit-key.pem or `npm run audit:key` gives it: the signature is checked against it.
const args = process.argv.slice(2);
const keyAt = args.indexOf("--key");
const keyFile = keyAt >= 0 ? args[keyAt + 1] : undefined;
const zipPath = args.find((a, i) => !a.startsWith("--") && i !== keyAt + 1);
if (!zipPath || !keyFile) {
  console.error(
    "Usage: npm run import -- export.zip --key exporting-installation.pem\n" +
      "The key is the exporting installation's public key (its /.well-known/custody-audit-key.pem, or what `npm run audit:key` prints there).",
  );
  process.exit(1);
}
let keyPem: string;
try {
  keyPem = readFileSync(keyFile, "utf8");
} catch (error) {
  console.error(`Cannot read the key file ${keyFile}: ${(error as Error).message}`);
  process.exit(1);
}
let config: ReturnType<typeof loadConfig>;
await runCli(
  () => (config = loadConfig()),
  async (handle) => {
    await prepareDatabase(handle);
    const blobs = await openBlobStore(config.blobStore, config.dataDir);
    const secrets = { sessionSecret: config.sessionSecret, encryptionKey: config.encryptionKey };
    try {
      const result = await importExport(
        { db: handle.db, blobs, secrets, now: new Date(), actor: systemActor("npm run import") },
        zipPath,
        keyPem,
      );
      const total = Object.values(result.records).reduce((a, b) => a + b, 0);
      console.log(
        `Imported ${result.agency.name}: ${total} records, ${result.files} files; ${result.matchedPeople} person(s) matched to accounts already here by e-mail.`,
      );
      if (result.invitations.length > 0) {
        console.log(`\nNo password or authenticator travels with an export. Send each person their own link (valid 72 hours):`);
        for (const i of result.invitations) console.log(`  ${i.email} (${i.role}): ${config.publicUrl}/invitations/${i.token}`);
      }
    } catch (error) {
      if (!(error instanceof ImportRefused)) throw error;
      console.error(`Import refused; nothing was written. ${error.message}`);
      process.exitCode = 1;
    }
  },
);
