import { createReadStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";

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

export const HASH = /^[0-9a-f]{64}$/;
export function checkHash(sha256: string) {
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
