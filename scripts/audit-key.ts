import { loadConfig } from "../app/env.server.ts";
import { ConfigError } from "../app/env.server.ts";
import { createSigner } from "../app/modules/audit/signing.server.ts";

// `npm run audit:key`: print the public key that checks the audit log's checkpoints and custody receipts.
try {
  const signer = createSigner(loadConfig().audit.signingKeyPem);
  console.log(`# Custody audit log signing key ${signer.keyId} (Ed25519). Also served at /.well-known/custody-audit-key.pem`);
  process.stdout.write(signer.publicKeyPem);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
