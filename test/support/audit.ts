import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
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
