import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3BlobStore } from "../../app/modules/blobs/s3-store.server.ts";
import { BlobMissing } from "../../app/modules/blobs/store.server.ts";

/**
 * The S3-compatible blob store against an S3 endpoint played by msw (third-party
 * HTTP is the one thing we fake): an in-memory bucket answering the five calls
 * the store makes, and checking the SHA-256 the store declares for each upload.
 */
const endpoint = "http://s3.custody.test";
const bucket = new Map<string, { body: Uint8Array; type: string; modified: Date }>();
const requests: string[] = [];

const objectKey = (url: string) => decodeURIComponent(new URL(url).pathname.replace(/^\/evidence-bucket\//, ""));
const server = setupServer(
  http.put(`${endpoint}/evidence-bucket/*`, async ({ request }) => {
    const body = new Uint8Array(await request.arrayBuffer());
    const declared = request.headers.get("x-amz-checksum-sha256");
    const actual = createHash("sha256").update(body).digest("base64");
    requests.push(`PUT ${objectKey(request.url)}`);
    if (declared !== actual)
      return new HttpResponse(`<Error><Code>BadDigest</Code><Message>checksum ${declared} != ${actual}</Message></Error>`, {
        status: 400,
        headers: { "Content-Type": "application/xml" },
      });
    bucket.set(objectKey(request.url), { body, type: request.headers.get("content-type") ?? "", modified: new Date() });
    return new HttpResponse(null, { status: 200, headers: { ETag: '"etag"' } });
  }),
  http.head(`${endpoint}/evidence-bucket/*`, ({ request }) => {
    requests.push(`HEAD ${objectKey(request.url)}`);
    const object = bucket.get(objectKey(request.url));
    return object
      ? new HttpResponse(null, { status: 200, headers: { "Content-Length": String(object.body.length) } })
      : new HttpResponse(null, { status: 404 });
  }),
  http.get(`${endpoint}/evidence-bucket`, ({ request }) => {
    const prefix = new URL(request.url).searchParams.get("prefix") ?? "";
    const contents = [...bucket]
      .filter(([key]) => key.startsWith(prefix))
      .map(
        ([key, o]) =>
          `<Contents><Key>${key}</Key><LastModified>${o.modified.toISOString()}</LastModified><Size>${o.body.length}</Size></Contents>`,
      )
      .join("");
    return new HttpResponse(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>evidence-bucket</Name><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
      { headers: { "Content-Type": "application/xml" } },
    );
  }),
  http.get(`${endpoint}/evidence-bucket/*`, ({ request }) => {
    const object = bucket.get(objectKey(request.url));
    if (!object)
      return new HttpResponse(`<Error><Code>NoSuchKey</Code></Error>`, {
        status: 404,
        headers: { "Content-Type": "application/xml" },
      });
    return new HttpResponse(object.body, {
      headers: { "Content-Type": object.type, "Content-Length": String(object.body.length) },
    });
  }),
  http.delete(`${endpoint}/evidence-bucket/*`, ({ request }) => {
    bucket.delete(objectKey(request.url));
    return new HttpResponse(null, { status: 204 });
  }),
);

let store: S3BlobStore;
const spool = mkdtempSync(path.join(os.tmpdir(), "custody-s3-spool-"));

beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  const client = new S3Client({
    region: "us-gov-west-1",
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  store = new S3BlobStore({ bucket: "evidence-bucket", prefix: "custody/blobs", spoolDir: spool }, client);
});
afterAll(() => server.close());

function spooled(text: string) {
  const bytes = new TextEncoder().encode(text);
  const file = path.join(spool, `${Math.random()}.part`);
  writeFileSync(file, bytes);
  return { file, bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

describe("the S3-compatible blob store", () => {
  it("stores a file under its SHA-256, with the checksum S3 verifies, and reads the same bytes back", async () => {
    const f = spooled("%PDF-1.4 signed agreement");
    await store.putFile(f.sha256, f.file, f.bytes.length, "application/pdf");
    expect([...bucket.keys()]).toEqual([`custody/blobs/${f.sha256.slice(0, 2)}/${f.sha256}`]);
    expect(existsSync(f.file)).toBe(false);
    const stream = await store.get(f.sha256);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).toString()).toBe("%PDF-1.4 signed agreement");
    expect(await store.has(f.sha256)).toBe(true);
  });

  it("uploads a file already stored only once", async () => {
    const f = spooled("%PDF-1.4 signed agreement");
    requests.length = 0;
    await store.putFile(f.sha256, f.file, f.bytes.length, "application/pdf");
    expect(requests).toEqual([`HEAD custody/blobs/${f.sha256.slice(0, 2)}/${f.sha256}`]);
  });

  it("lists what it holds for the orphan sweep, deletes, and says when a blob is missing", async () => {
    const f = spooled("an orphan");
    await store.putFile(f.sha256, f.file, f.bytes.length, "text/plain");
    const listed: string[] = [];
    for await (const b of store.list()) listed.push(b.sha256);
    expect(listed).toContain(f.sha256);
    await store.delete(f.sha256);
    expect(await store.has(f.sha256)).toBe(false);
    await expect(store.get(f.sha256)).rejects.toBeInstanceOf(BlobMissing);
  });
});
