import { createReadStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound as S3NotFound,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";

/**
 * A content-addressed store for uploaded files: each blob is kept under the
 * SHA-256 of its bytes, so the same file uploaded twice is stored once and a
 * record that names a hash names exactly those bytes. Two implementations
 * behind one small interface: a directory (the default, DATA_DIR/blobs) and an
 * S3-compatible bucket (BLOB_STORE=s3://bucket/prefix).
 */
export interface BlobStore {
  readonly description: string;
  /** Where uploads are spooled (and hashed) before they are stored. */
  readonly spoolDir: string;
  /** Store a spooled file under its hash; the file is consumed. Storing a hash already present is a no-op. */
  putFile(sha256: string, file: string, size: number, mediaType: string): Promise<void>;
  has(sha256: string): Promise<boolean>;
  get(sha256: string): Promise<Readable>;
  delete(sha256: string): Promise<void>;
  /** Every stored blob with when it was stored, for the orphan sweep. */
  list(): AsyncIterable<{ sha256: string; storedAt: Date }>;
}

export class BlobMissing extends Error {
  override name = "BlobMissing";
  constructor(readonly sha256: string) {
    super(`blob ${sha256} is not in the store`);
  }
}

const HASH = /^[0-9a-f]{64}$/;
function checkHash(sha256: string) {
  if (!HASH.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
}

export class FileSystemBlobStore implements BlobStore {
  readonly description: string;
  readonly spoolDir: string;
  constructor(private readonly dir: string) {
    this.description = `files under ${dir}`;
    this.spoolDir = path.join(dir, "spool");
  }

  private pathOf(sha256: string) {
    checkHash(sha256);
    return path.join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async putFile(sha256: string, file: string, _size?: number, _mediaType?: string) {
    const target = this.pathOf(sha256);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    // rename is atomic on one file system: a reader sees the whole blob or none.
    await rename(file, target);
  }

  async has(sha256: string) {
    return stat(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  async get(sha256: string): Promise<Readable> {
    const file = this.pathOf(sha256);
    if (!(await this.has(sha256))) throw new BlobMissing(sha256);
    return createReadStream(file);
  }

  async delete(sha256: string) {
    await rm(this.pathOf(sha256), { force: true });
  }

  async *list() {
    const level = async (dir: string) => readdir(dir).catch(() => [] as string[]);
    for (const a of await level(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await level(path.join(this.dir, a))) {
        for (const name of await level(path.join(this.dir, a, b))) {
          if (!HASH.test(name)) continue;
          const info = await stat(path.join(this.dir, a, b, name)).catch(() => null);
          if (info) yield { sha256: name, storedAt: info.mtime };
        }
      }
    }
  }
}

export class S3BlobStore implements BlobStore {
  readonly description: string;
  private readonly client: S3Client;
  constructor(
    private readonly options: { bucket: string; prefix: string; endpoint?: string; region?: string; spoolDir: string },
    client?: S3Client,
  ) {
    this.description = `s3://${options.bucket}/${options.prefix}`;
    this.client =
      client ??
      new S3Client({
        region: options.region ?? process.env.AWS_REGION ?? "us-east-1",
        // Checksums travel as headers we compute ourselves, not as streamed trailers some S3-compatible stores refuse.
        requestChecksumCalculation: "WHEN_REQUIRED",
        ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      });
  }
  get spoolDir() {
    return this.options.spoolDir;
  }

  private keyOf(sha256: string) {
    checkHash(sha256);
    return [this.options.prefix, sha256.slice(0, 2), sha256].filter(Boolean).join("/");
  }

  async putFile(sha256: string, file: string, size: number, mediaType: string) {
    try {
      if (!(await this.has(sha256))) {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.options.bucket,
            Key: this.keyOf(sha256),
            Body: createReadStream(file),
            ContentLength: size,
            ContentType: mediaType,
            // S3 checks the bytes it received against the hash we computed while they arrived.
            ChecksumSHA256: Buffer.from(sha256, "hex").toString("base64"),
            Metadata: { sha256 },
          }),
        );
      }
    } finally {
      await rm(file, { force: true });
    }
  }

  async has(sha256: string) {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (error) {
      if (error instanceof S3NotFound || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return false;
      throw error;
    }
  }

  async get(sha256: string): Promise<Readable> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
      return result.Body as Readable;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) throw new BlobMissing(sha256);
      throw error;
    }
  }

  async delete(sha256: string) {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(sha256) }));
  }

  async *list() {
    let token: string | undefined;
    const prefix = this.options.prefix ? `${this.options.prefix}/` : "";
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const name = object.Key?.split("/").pop() ?? "";
        if (HASH.test(name)) yield { sha256: name, storedAt: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

export function openBlobStore(
  config:
    | { kind: "fs"; dir: string }
    | { kind: "s3"; bucket: string; prefix: string; endpoint: string | undefined; region: string | undefined },
  dataDir: string,
): BlobStore {
  if (config.kind === "fs") return new FileSystemBlobStore(config.dir);
  return new S3BlobStore({ ...config, endpoint: config.endpoint, region: config.region, spoolDir: path.join(dataDir, "spool") });
}
