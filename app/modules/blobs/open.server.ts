import path from "node:path";
import { type BlobStore, FileSystemBlobStore } from "./store.server.ts";

/** The configured store. The S3 client is loaded only when a bucket is configured (it is slow to load). */
export async function openBlobStore(
  config:
    | { kind: "fs"; dir: string }
    | { kind: "s3"; bucket: string; prefix: string; endpoint: string | undefined; region: string | undefined },
  dataDir: string,
): Promise<BlobStore> {
  if (config.kind === "fs") return new FileSystemBlobStore(config.dir);
  const { S3BlobStore } = await import("./s3-store.server.ts");
  return new S3BlobStore({ ...config, endpoint: config.endpoint, region: config.region, spoolDir: path.join(dataDir, "spool") });
}
