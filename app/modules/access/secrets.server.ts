import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Secrets every access module needs, from the validated configuration. */
export type Secrets = { sessionSecret: string; encryptionKey: string };

/** A new random token for a cookie, an invitation link or an API token. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** What is stored in place of a session token: an HMAC under SESSION_SECRET. */
export function sessionId(secrets: Secrets, token: string): string {
  return createHmac("sha256", secrets.sessionSecret).update(token).digest("hex");
}

/** What is stored in place of a high-entropy single-use token (invitation, API token, recovery code). */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** AES-256-GCM under ENCRYPTION_KEY; output "v1:iv:tag:ciphertext", base64url parts. */
export function encrypt(secrets: Secrets, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(secrets.encryptionKey, "hex"), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(":");
}

export function decrypt(secrets: Secrets, sealed: string): string {
  const [version, iv, tag, data] = sealed.split(":");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("unrecognized encrypted value");
  const decipher = createDecipheriv("aes-256-gcm", Buffer.from(secrets.encryptionKey, "hex"), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
