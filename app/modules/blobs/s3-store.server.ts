import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
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
import { BlobMissing, type BlobStore, checkHash, HASH } from "./store.server.ts";

/** The blob store in an S3-compatible bucket (BLOB_STORE=s3://bucket/prefix): AWS, GovCloud, MinIO. */
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
