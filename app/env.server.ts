import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { loadOrCreateSigningKeyFile, parseSigningKey, SigningKeyError } from "./modules/audit/signing.server.ts";
import type { SinkConfig } from "./modules/audit/sinks.server.ts";

/**
 * The one place the environment is read. Every variable is validated here at
 * start-up; a bad value stops the server with a one-line message naming it.
 */

const postgresUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
    } catch {
      return false;
    }
  },
  { message: "must be a URL like postgres://user@host:5432/database" },
);

const secret = z.string().min(32, { message: "must be at least 32 characters" });

const EnvSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("production"),
  PORT: z
    .string()
    .default("3000")
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, {
      message: "must be a whole number from 1 to 65535",
    })
    .transform(Number),
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:\-[\]]+$/, { message: "must be a host name or IP address" })
    .optional(),
  DATA_DIR: z.string().min(1, { message: "must not be empty" }).default("./data"),
  DATABASE_URL: postgresUrl.optional(),
  SESSION_SECRET: secret.optional(),
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^\s]+$/.test(v), { message: "must be a URL like smtp://user:password@mail.agency.gov:587" })
    .optional(),
  MAIL_FROM: z.string().min(3).max(200).optional(),
  /** The address people reach Custody at, for links in reminder e-mails (default http://localhost:PORT). */
  PUBLIC_URL: z
    .string()
    .refine((v) => /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(v), { message: "must be a URL like https://custody.county.gov" })
    .optional(),
  SEED_DEMO: z.enum(["0", "1"], { message: "must be 0 or 1" }).optional(),
  /** Behind a load balancer that terminates TLS: trust its X-Forwarded-For/-Proto headers. */
  TRUST_PROXY: z.enum(["0", "1"], { message: "must be 0 or 1" }).default("0"),
  /** Benchmark only: collect audit events but do not write them. Refused unless NODE_ENV=test. */
  CUSTODY_BENCH_SKIP_AUDIT: z.enum(["0", "1"], { message: "must be 0 or 1" }).optional(),
  /** Tests only: a file holding milliseconds to add to the server's clock. Refused unless NODE_ENV=test. */
  CUSTODY_TEST_CLOCK_FILE: z.string().min(1).optional(),
  /** s3://bucket/prefix for an S3-compatible blob store; unset keeps files under DATA_DIR/blobs. */
  BLOB_STORE: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/, { message: "must look like s3://bucket/prefix" })
    .optional(),
  /** Endpoint of an S3-compatible service other than AWS (MinIO, a GovCloud endpoint). */
  S3_ENDPOINT: z
    .string()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { message: "must be a URL like https://s3.us-gov-west-1.amazonaws.com" })
    .optional(),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{2,40}$/, { message: "must be a region name like us-gov-west-1" })
    .optional(),
  /** Largest accepted upload, in megabytes. */
  UPLOAD_MAX_MB: z
    .string()
    .default("50")
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 2048, {
      message: "must be a whole number of megabytes from 1 to 2048",
    })
    .transform(Number),
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, { message: "must be 64 hexadecimal characters (a 256-bit key)" })
    .optional(),
  /** The Ed25519 key that signs audit checkpoints (PKCS#8 PEM, or that PEM base64-encoded); default DATA_DIR/audit-signing-key.pem. */
  AUDIT_SIGNING_KEY: z.string().optional(),
  /** The append-only file of checkpoints kept outside the database (default DATA_DIR/audit-checkpoints.jsonl). */
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  /** s3://bucket/prefix of a bucket with object lock that also keeps every checkpoint. */
  AUDIT_CHECKPOINT_BUCKET: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/, { message: "must look like s3://bucket/prefix" })
    .optional(),
  /** Days each checkpoint object stays locked in the bucket (CJIS AU-11 asks a year at least). */
  AUDIT_CHECKPOINT_RETENTION_DAYS: z
    .string()
    .default("400")
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 365 && Number(v) <= 36500, {
      message: "must be a whole number of days from 365 to 36500",
    })
    .transform(Number),
  /** An HTTP(S) endpoint of the agency's SIEM that receives every checkpoint as JSON. */
  AUDIT_CHECKPOINT_URL: z
    .string()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { message: "must be a URL like https://siem.county.gov/ingest/custody" })
    .optional(),
});

export type Config = {
  nodeEnv: "production" | "development" | "test";
  port: number;
  host: string | undefined;
  /** Absolute path of the data directory (embedded database, secrets, blobs). */
  dataDir: string;
  databaseUrl: string | undefined;
  sessionSecret: string;
  /** 32-byte key, hex encoded, for encryption at rest. */
  encryptionKey: string;
  /** Seed demo accounts on an empty database: by default only on the embedded one. */
  seedDemo: boolean;
  /** Tests only: file with a clock offset in milliseconds. */
  testClockFile: string | undefined;
  /** Benchmark only: audit events are not written (the page's cost without them). */
  benchSkipAudit: boolean;
  /** SMTP server for invitations; without it, administrators pass invitation links on themselves. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Base of the links in e-mails. */
  publicUrl: string;
  /** Take the client address and scheme from X-Forwarded-* (only behind a trusted proxy). */
  trustProxy: boolean;
  /** Where uploaded files go: the data directory, or an S3-compatible bucket. */
  blobStore:
    | { kind: "fs"; dir: string }
    | { kind: "s3"; bucket: string; prefix: string; endpoint: string | undefined; region: string | undefined };
  uploadMaxBytes: number;
  /** The audit log's signing key (PEM) and where checkpoints are kept outside the database. */
  audit: { signingKeyPem: string; sinks: SinkConfig };
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parse the environment; throws ConfigError with a single-line message. */
export function parseEnv(env: NodeJS.ProcessEnv): Omit<Config, "sessionSecret" | "encryptionKey" | "audit"> & {
  sessionSecret?: string;
  encryptionKey?: string;
  audit: { signingKeyPem?: string; sinks: SinkConfig };
} {
  // Treat empty strings as unset, as shells commonly export VAR= to clear one.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const raw = env[name];
      const shown = name.includes("SECRET") || name.includes("KEY") || name.includes("URL") ? "" : ` (got "${raw}")`;
      return `${name} ${issue.message}${shown}`;
    });
    throw new ConfigError(`Custody cannot start: ${problems.join("; ")}.`);
  }
  const e = result.data;
  if (e.CUSTODY_BENCH_SKIP_AUDIT === "1" && e.NODE_ENV !== "test") {
    throw new ConfigError("Custody cannot start: CUSTODY_BENCH_SKIP_AUDIT is for the benchmark only and needs NODE_ENV=test.");
  }
  if (e.CUSTODY_TEST_CLOCK_FILE && e.NODE_ENV !== "test") {
    throw new ConfigError("Custody cannot start: CUSTODY_TEST_CLOCK_FILE is for tests only and needs NODE_ENV=test.");
  }
  const dataDir = path.resolve(e.DATA_DIR);
  let blobStore: Config["blobStore"] = { kind: "fs", dir: path.join(dataDir, "blobs") };
  if (e.BLOB_STORE) {
    const url = new URL(e.BLOB_STORE);
    blobStore = {
      kind: "s3",
      bucket: url.hostname,
      prefix: url.pathname.replace(/^\/+|\/+$/g, ""),
      endpoint: e.S3_ENDPOINT,
      region: e.S3_REGION,
    };
  }
  if (e.AUDIT_SIGNING_KEY) {
    try {
      parseSigningKey(e.AUDIT_SIGNING_KEY);
    } catch (error) {
      if (error instanceof SigningKeyError) throw new ConfigError(`Custody cannot start: AUDIT_SIGNING_KEY ${error.message}.`);
      throw error;
    }
  }
  const bucket = e.AUDIT_CHECKPOINT_BUCKET ? new URL(e.AUDIT_CHECKPOINT_BUCKET) : null;
  return {
    audit: {
      signingKeyPem: e.AUDIT_SIGNING_KEY,
      sinks: {
        file: path.resolve(e.AUDIT_CHECKPOINT_FILE ?? path.join(dataDir, "audit-checkpoints.jsonl")),
        httpUrl: e.AUDIT_CHECKPOINT_URL,
        s3: bucket
          ? {
              bucket: bucket.hostname,
              prefix: bucket.pathname.replace(/^\/+|\/+$/g, ""),
              endpoint: e.S3_ENDPOINT,
              region: e.S3_REGION,
              retentionDays: e.AUDIT_CHECKPOINT_RETENTION_DAYS,
            }
          : undefined,
      },
    },
    blobStore,
    uploadMaxBytes: e.UPLOAD_MAX_MB * 1024 * 1024,
    testClockFile: e.CUSTODY_TEST_CLOCK_FILE,
    benchSkipAudit: e.CUSTODY_BENCH_SKIP_AUDIT === "1",
    smtpUrl: e.SMTP_URL,
    trustProxy: e.TRUST_PROXY === "1",
    mailFrom: e.MAIL_FROM ?? "Custody <no-reply@custody.invalid>",
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    sessionSecret: e.SESSION_SECRET,
    encryptionKey: e.ENCRYPTION_KEY,
    seedDemo: e.SEED_DEMO === undefined ? e.DATABASE_URL === undefined : e.SEED_DEMO === "1",
  };
}

const SecretsFile = z.object({
  sessionSecret: secret,
  encryptionKey: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * Secrets the embedded mode needs are generated on first run and kept in
 * DATA_DIR/secrets.json with mode 0600. Values from the environment win.
 */
export function loadOrCreateSecrets(dataDir: string): z.infer<typeof SecretsFile> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode !== 0o600) chmodSync(file, 0o600);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      throw new ConfigError(
        `Custody cannot start: ${file} is not valid JSON; restore it from backup or remove it to generate new secrets.`,
      );
    }
    const result = SecretsFile.safeParse(parsed);
    if (!result.success) {
      throw new ConfigError(`Custody cannot start: ${file} is incomplete or malformed; restore it from backup.`);
    }
    return result.data;
  }
  const secrets = {
    sessionSecret: randomBytes(48).toString("base64url"),
    encryptionKey: randomBytes(32).toString("hex"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  return secrets;
}

/** Validate the environment and complete it with stored or generated secrets. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = parseEnv(env);
  let { sessionSecret, encryptionKey } = parsed;
  if (!sessionSecret || !encryptionKey) {
    const stored = loadOrCreateSecrets(parsed.dataDir);
    sessionSecret ??= stored.sessionSecret;
    encryptionKey ??= stored.encryptionKey;
  }
  const signingKeyPem = parsed.audit.signingKeyPem ?? loadOrCreateSigningKeyFile(parsed.dataDir);
  return {
    ...parsed,
    sessionSecret,
    encryptionKey: encryptionKey.toLowerCase(),
    audit: { signingKeyPem, sinks: parsed.audit.sinks },
  };
}
