import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The installation's Ed25519 key that signs the audit log's checkpoints (decision 0026). Production
 * passes it in AUDIT_SIGNING_KEY; the embedded default makes one under the data directory on first
 * run. Anyone may have the public key: it is served at /.well-known/custody-audit-key.pem and
 * printed by `npm run audit:key`.
 */

export type CheckpointSigner = {
  keyId: string;
  publicKeyPem: string;
  sign(note: string): string;
};

export class SigningKeyError extends Error {
  override name = "SigningKeyError";
}

/** Parse a PKCS#8 PEM (or the same, base64 encoded once more for an environment variable); Ed25519 only. */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  const pem = trimmed.startsWith("-----BEGIN") ? trimmed : Buffer.from(trimmed, "base64").toString("utf8");
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new SigningKeyError("must be an Ed25519 private key in PKCS#8 PEM form (or that PEM base64-encoded)");
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new SigningKeyError(`must be an Ed25519 key (got a ${key.asymmetricKeyType ?? "unknown"} key)`);
  }
  return key;
}

/** The key kept at DATA_DIR/audit-signing-key.pem (mode 0600), made on first run. */
export function loadOrCreateSigningKeyFile(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, "audit-signing-key.pem");
  if (existsSync(file)) {
    if ((statSync(file).mode & 0o777) !== 0o600) chmodSync(file, 0o600);
    return readFileSync(file, "utf8");
  }
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  writeFileSync(file, pem, { mode: 0o600, flag: "wx" });
  return pem;
}

export function publicKeyPemOf(key: KeyObject): string {
  return createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
}

/** A key's id: the first 16 hex digits of SHA-256 over its public key (SubjectPublicKeyInfo, DER). */
export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

export function createSigner(privateKeyPem: string): CheckpointSigner {
  const key = parseSigningKey(privateKeyPem);
  const publicKeyPem = publicKeyPemOf(key);
  return {
    keyId: keyIdOf(publicKeyPem),
    publicKeyPem,
    sign: (note) => sign(null, Buffer.from(note, "utf8"), key).toString("base64"),
  };
}

export function verifyNoteSignature(publicKeyPem: string, note: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(note, "utf8"), createPublicKey(publicKeyPem), Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/** A signed tree head as it travels: in the database, in the external file, in a receipt. */
export type SignedCheckpoint = {
  treeSize: number;
  /** Hex. */
  rootHash: string;
  issuedAt: string;
  keyId: string;
  note: string;
  signature: string;
};

const NOTE_HEADER = "Custody audit log checkpoint v1";

/** The text that is signed: one field a line, so a person can read what a signature vouches for. */
export function checkpointNote(fields: { treeSize: number; rootHash: Buffer; issuedAt: Date; keyId: string }): string {
  return [
    NOTE_HEADER,
    `key ${fields.keyId}`,
    `size ${fields.treeSize}`,
    `root ${fields.rootHash.toString("hex")}`,
    `time ${fields.issuedAt.toISOString()}`,
    "",
  ].join("\n");
}

/** Read a note back; null when it is not one. */
export function parseCheckpointNote(
  note: string,
): { keyId: string; treeSize: number; rootHash: string; issuedAt: string } | null {
  const match =
    /^Custody audit log checkpoint v1\nkey ([0-9a-f]{16})\nsize (\d+)\nroot ([0-9a-f]{64})\ntime (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\n$/.exec(
      note,
    );
  if (!match) return null;
  return { keyId: match[1]!, treeSize: Number(match[2]), rootHash: match[3]!, issuedAt: match[4]! };
}

/**
 * Check a checkpoint against the public key: the signature over its note, and that the note says
 * what its fields say. Returns the problem in words, or null.
 */
export function checkpointProblem(checkpoint: SignedCheckpoint, publicKeyPem: string): string | null {
  const parsed = parseCheckpointNote(checkpoint.note);
  if (!parsed) return `the checkpoint at size ${checkpoint.treeSize} is not a Custody checkpoint note`;
  if (
    parsed.treeSize !== checkpoint.treeSize ||
    parsed.rootHash !== checkpoint.rootHash ||
    parsed.keyId !== checkpoint.keyId ||
    parsed.issuedAt !== checkpoint.issuedAt
  ) {
    return `the checkpoint at size ${checkpoint.treeSize} does not say what its signed note says`;
  }
  if (parsed.keyId !== keyIdOf(publicKeyPem)) {
    return `the checkpoint at size ${checkpoint.treeSize} was signed by key ${parsed.keyId}, not this installation's key ${keyIdOf(publicKeyPem)}`;
  }
  if (!verifyNoteSignature(publicKeyPem, checkpoint.note, checkpoint.signature)) {
    return `the checkpoint at size ${checkpoint.treeSize} does not carry a valid signature`;
  }
  return null;
}
