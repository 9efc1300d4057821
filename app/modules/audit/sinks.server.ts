import { createHash } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SignedCheckpoint } from "./signing.server.ts";

/**
 * Where checkpoints are kept outside the database, so that whoever controls the database cannot
 * rewrite the log and its checkpoints together (decision 0026): an append-only file under the data
 * directory (always), and optionally an S3-compatible bucket with object lock and an HTTP endpoint
 * of the agency's SIEM.
 */
export type CheckpointSink = {
  description: string;
  write(checkpoint: SignedCheckpoint): Promise<void>;
  /** The checkpoints this sink holds, when it can be read back (the file and the bucket; not a SIEM). */
  readAll?(): Promise<SignedCheckpoint[]>;
};

export type SinkConfig = {
  file: string;
  httpUrl?: string;
  s3?: { bucket: string; prefix: string; endpoint?: string; region?: string; retentionDays: number };
};

/** One JSON line per checkpoint, appended with O_APPEND and flushed to disk before the write returns. */
export function fileSink(file: string): CheckpointSink {
  return {
    description: file,
    async write(checkpoint) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const fd = openSync(file, "a", 0o600);
      try {
        writeSync(fd, JSON.stringify(checkpoint) + "\n");
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
    async readAll() {
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line, i) => {
          try {
            return JSON.parse(line) as SignedCheckpoint;
          } catch {
            throw new Error(`line ${i + 1} of ${file} is not a checkpoint`);
          }
        });
    },
  };
}

/** POST each checkpoint as JSON to the agency's collector (a SIEM's HTTP input). */
export function httpSink(url: string, fetchImpl: typeof fetch = fetch): CheckpointSink {
  return {
    description: new URL(url).origin,
    async write(checkpoint) {
      const response = await fetchImpl(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "custody.audit.checkpoint", ...checkpoint }),
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) throw new Error(`${new URL(url).origin} answered ${response.status}`);
    },
  };
}

/**
 * One object per checkpoint, written under object lock in compliance mode, so not even the bucket's
 * owner can change or delete it before the retention date.
 */
export async function s3Sink(options: NonNullable<SinkConfig["s3"]>, given?: S3Client): Promise<CheckpointSink> {
  // Loaded only when a bucket is configured: the SDK is slow to load.
  const { S3Client: Client, PutObjectCommand, ListObjectsV2Command, GetObjectCommand } = await import("@aws-sdk/client-s3");
  const client =
    given ??
    new Client({
      region: options.region ?? process.env.AWS_REGION ?? "us-east-1",
      requestChecksumCalculation: "WHEN_REQUIRED",
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    });
  const prefix = [options.prefix, "audit-checkpoints"].filter(Boolean).join("/");
  return {
    description: `s3://${options.bucket}/${prefix}`,
    async write(checkpoint) {
      const body = JSON.stringify(checkpoint);
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: `${prefix}/${String(checkpoint.treeSize).padStart(16, "0")}.json`,
          Body: body,
          ContentType: "application/json",
          ChecksumSHA256: createHash("sha256").update(body).digest("base64"),
          ObjectLockMode: "COMPLIANCE",
          ObjectLockRetainUntilDate: new Date(Date.now() + options.retentionDays * 86_400_000),
        }),
      );
    },
    async readAll() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: options.bucket, Prefix: `${prefix}/`, ContinuationToken: token }),
        );
        keys.push(...(page.Contents ?? []).map((o) => o.Key!).filter(Boolean));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      // Names sort by tree size: the newest is enough to hold the database to.
      const newest = keys.sort().at(-1);
      if (!newest) return [];
      const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: newest }));
      return [JSON.parse(await object.Body!.transformToString()) as SignedCheckpoint];
    },
  };
}

export async function openSinks(config: SinkConfig): Promise<CheckpointSink[]> {
  const sinks = [fileSink(config.file)];
  if (config.s3) sinks.push(await s3Sink(config.s3));
  if (config.httpUrl) sinks.push(httpSink(config.httpUrl));
  return sinks;
}
