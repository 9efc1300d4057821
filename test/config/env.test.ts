import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { ConfigError, loadConfig, parseEnv } from "../../app/env.server.ts";
import { createSigner } from "../../app/modules/audit/signing.server.ts";

const tempDir = () => mkdtempSync(path.join(tmpdir(), "custody-env-"));

describe("configuration from the environment", () => {
  it("works with nothing set: port 3000, data under ./data, embedded database", () => {
    const config = parseEnv({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(path.resolve("./data"));
    expect(config.databaseUrl).toBeUndefined();
  });

  it("refuses a port that is not a number, with one line naming PORT and the value", () => {
    expect(() => parseEnv({ PORT: "abc" })).toThrow(ConfigError);
    expect(() => parseEnv({ PORT: "abc" })).toThrow(
      /^Custody cannot start: PORT must be a whole number from 1 to 65535 \(got "abc"\)\.$/,
    );
    expect(() => parseEnv({ PORT: "70000" })).toThrow(/PORT/);
  });

  it("refuses a malformed DATABASE_URL without echoing it, since it may hold a password", () => {
    const attempt = () => parseEnv({ DATABASE_URL: "mysql://user:hunter2@db/x" });
    expect(attempt).toThrow(/DATABASE_URL must be a URL like postgres:\/\/user@host:5432\/database/);
    expect(attempt).not.toThrow(/hunter2/);
    expect(() => parseEnv({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
  });

  it("names every bad variable at once, on a single line", () => {
    try {
      parseEnv({ PORT: "x", SESSION_SECRET: "short" });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("PORT");
      expect(message).toContain("SESSION_SECRET must be at least 32 characters");
      expect(message).not.toContain("\n");
    }
  });

  it("refuses the test clock outside tests, so production time can never be moved", () => {
    expect(() => parseEnv({ CUSTODY_TEST_CLOCK_FILE: "/tmp/x" })).toThrow(
      "Custody cannot start: CUSTODY_TEST_CLOCK_FILE is for tests only and needs NODE_ENV=test.",
    );
    expect(parseEnv({ CUSTODY_TEST_CLOCK_FILE: "/tmp/x", NODE_ENV: "test" }).testClockFile).toBe("/tmp/x");
  });

  it("seeds demo accounts on the embedded database only, unless SEED_DEMO says otherwise", () => {
    expect(parseEnv({}).seedDemo).toBe(true);
    expect(parseEnv({ DATABASE_URL: "postgres://u@h/d" }).seedDemo).toBe(false);
    expect(parseEnv({ DATABASE_URL: "postgres://u@h/d", SEED_DEMO: "1" }).seedDemo).toBe(true);
    expect(parseEnv({ SEED_DEMO: "0" }).seedDemo).toBe(false);
    expect(() => parseEnv({ SEED_DEMO: "yes" })).toThrow('SEED_DEMO must be 0 or 1 (got "yes")');
  });

  it("trusts a proxy's forwarded headers only when TRUST_PROXY=1", () => {
    expect(parseEnv({}).trustProxy).toBe(false);
    expect(parseEnv({ TRUST_PROXY: "1" }).trustProxy).toBe(true);
    expect(() => parseEnv({ TRUST_PROXY: "true" })).toThrow('TRUST_PROXY must be 0 or 1 (got "true")');
  });

  it("treats an empty variable as unset", () => {
    expect(parseEnv({ PORT: "", DATABASE_URL: "" })).toMatchObject({ port: 3000, databaseUrl: undefined });
  });

  it("generates secrets on first run, keeps them in DATA_DIR with mode 0600, and reuses them", () => {
    const dir = tempDir();
    const first = loadConfig({ DATA_DIR: dir });
    const file = path.join(dir, "secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.encryptionKey).toMatch(/^[0-9a-f]{64}$/);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(second.encryptionKey).toBe(first.encryptionKey);
  });

  it("prefers secrets from the environment over the stored ones", () => {
    const dir = tempDir();
    const secret = "s".repeat(40);
    const key = "ab".repeat(32);
    const config = loadConfig({ DATA_DIR: dir, SESSION_SECRET: secret, ENCRYPTION_KEY: key.toUpperCase() });
    expect(config.sessionSecret).toBe(secret);
    expect(config.encryptionKey).toBe(key);
  });

  it("stops with a clear message when the secrets file is damaged, rather than silently replacing it", () => {
    const dir = tempDir();
    loadConfig({ DATA_DIR: dir });
    writeFileSync(path.join(dir, "secrets.json"), "{ not json");
    expect(() => loadConfig({ DATA_DIR: dir })).toThrow(/secrets\.json is not valid JSON/);
    expect(readFileSync(path.join(dir, "secrets.json"), "utf8")).toBe("{ not json");
  });

  it("makes the audit log's Ed25519 signing key on first run, in DATA_DIR with mode 0600, and keeps it", () => {
    const dir = tempDir();
    const first = loadConfig({ DATA_DIR: dir });
    const file = path.join(dir, "audit-signing-key.pem");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.audit.signingKeyPem).toBe(readFileSync(file, "utf8"));
    expect(createSigner(first.audit.signingKeyPem).publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(loadConfig({ DATA_DIR: dir }).audit.signingKeyPem).toBe(first.audit.signingKeyPem);
    expect(first.audit.sinks).toEqual({ file: path.join(dir, "audit-checkpoints.jsonl"), httpUrl: undefined, s3: undefined });
  });

  it("takes the signing key from AUDIT_SIGNING_KEY, as PEM or base64, and refuses anything but an Ed25519 private key", () => {
    const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const dir = tempDir();
    expect(loadConfig({ DATA_DIR: dir, AUDIT_SIGNING_KEY: pem }).audit.signingKeyPem).toBe(pem);
    expect(
      createSigner(loadConfig({ DATA_DIR: dir, AUDIT_SIGNING_KEY: Buffer.from(pem).toString("base64") }).audit.signingKeyPem)
        .keyId,
    ).toBe(createSigner(pem).keyId);
    expect(() => parseEnv({ AUDIT_SIGNING_KEY: "not a key" })).toThrow(
      "Custody cannot start: AUDIT_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM form (or that PEM base64-encoded).",
    );
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    expect(() => parseEnv({ AUDIT_SIGNING_KEY: rsa })).toThrow("AUDIT_SIGNING_KEY must be an Ed25519 key (got a rsa key)");
    expect(() => parseEnv({ AUDIT_SIGNING_KEY: rsa })).toThrow(ConfigError);
  });

  it("reads where checkpoints are also kept: a file, a bucket under object lock for at least a year, and a SIEM endpoint", () => {
    const config = parseEnv({
      AUDIT_CHECKPOINT_FILE: "/var/lib/custody-shared/checkpoints.jsonl",
      AUDIT_CHECKPOINT_BUCKET: "s3://county-audit/custody",
      AUDIT_CHECKPOINT_RETENTION_DAYS: "2555",
      AUDIT_CHECKPOINT_URL: "https://siem.county.gov/ingest/custody",
      S3_REGION: "us-gov-west-1",
    });
    expect(config.audit.sinks).toEqual({
      file: "/var/lib/custody-shared/checkpoints.jsonl",
      httpUrl: "https://siem.county.gov/ingest/custody",
      s3: { bucket: "county-audit", prefix: "custody", endpoint: undefined, region: "us-gov-west-1", retentionDays: 2555 },
    });
    expect(() => parseEnv({ AUDIT_CHECKPOINT_RETENTION_DAYS: "30" })).toThrow(
      'AUDIT_CHECKPOINT_RETENTION_DAYS must be a whole number of days from 365 to 36500 (got "30")',
    );
    expect(() => parseEnv({ AUDIT_CHECKPOINT_BUCKET: "county-audit" })).toThrow(
      "AUDIT_CHECKPOINT_BUCKET must look like s3://bucket/prefix",
    );
    expect(() => parseEnv({ AUDIT_CHECKPOINT_URL: "syslog.county.gov:514" })).toThrow(
      "AUDIT_CHECKPOINT_URL must be a URL like https://siem.county.gov/ingest/custody",
    );
  });
});
