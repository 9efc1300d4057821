import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createSigner } from "../../app/modules/audit/signing.server.ts";
import { fileSink } from "../../app/modules/audit/sinks.server.ts";

/** A signing key made for this test process, as an installation makes its own on first run. */
export const testSigningKeyPem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
export const testSigner = createSigner(testSigningKeyPem);

/** An external checkpoint file in a fresh temporary folder. */
export function tempCheckpointFile() {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "custody-checkpoints-")), "audit-checkpoints.jsonl");
  return { file, sink: fileSink(file) };
}

/**
 * Run the standalone receipt checker (scripts/verify-receipt.mjs) on a receipt, as counsel would:
 * with --key and the given public key (this process's by default), or with no --key when it is null.
 */
export function checkReceipt(receipt: string | Uint8Array, publicKeyPem: string | null = testSigner.publicKeyPem) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "custody-receipt-"));
  const receiptFile = path.join(dir, "receipt.json");
  writeFileSync(receiptFile, receipt);
  const args = [path.resolve("scripts/verify-receipt.mjs"), receiptFile];
  if (publicKeyPem !== null) {
    writeFileSync(path.join(dir, "key.pem"), publicKeyPem);
    args.push("--key", path.join(dir, "key.pem"));
  }
  return spawnSync(process.execPath, args, { encoding: "utf8" });
}
