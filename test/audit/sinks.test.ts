import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { appendFileSync, statSync } from "node:fs";
import { S3Client } from "@aws-sdk/client-s3";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordNow, systemActor } from "../../app/modules/audit/audit.server.ts";
import { Sealer } from "../../app/modules/audit/sealer.server.ts";
import { checkpointNote, type SignedCheckpoint } from "../../app/modules/audit/signing.server.ts";
import { fileSink, httpSink, s3Sink } from "../../app/modules/audit/sinks.server.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { testSigner, tempCheckpointFile } from "../support/audit.ts";
import { createTestDatabase } from "../support/database.ts";

/** A checkpoint as the sealer makes them (the sinks only carry it). */
function checkpoint(treeSize: number): SignedCheckpoint {
  const rootHash = Buffer.alloc(32, treeSize);
  const issuedAt = new Date(Date.UTC(2026, 11, 5, 12, 0, treeSize));
  const note = checkpointNote({ treeSize, rootHash, issuedAt, keyId: testSigner.keyId });
  return {
    treeSize,
    rootHash: rootHash.toString("hex"),
    issuedAt: issuedAt.toISOString(),
    keyId: testSigner.keyId,
    note,
    signature: testSigner.sign(note),
  };
}

describe("the checkpoint file kept outside the database", () => {
  it("appends one JSON line per checkpoint, readable only by the server's user, and reads them all back", async () => {
    const { file, sink } = tempCheckpointFile();
    await sink.write(checkpoint(3));
    await sink.write(checkpoint(9));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await sink.readAll!()).toEqual([checkpoint(3), checkpoint(9)]);
  });

  it("names the line that is not a checkpoint instead of skipping it", async () => {
    const { file, sink } = tempCheckpointFile();
    await sink.write(checkpoint(3));
    appendFileSync(file, "{half a line\n");
    await expect(sink.readAll!()).rejects.toThrow(`line 2 of ${file} is not a checkpoint`);
  });
});

describe("the SIEM over HTTP", () => {
  const received: { body: unknown; type: string | undefined }[] = [];
  let failNext = 0;
  const collector = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(503).end();
        return;
      }
      received.push({ body: JSON.parse(Buffer.concat(chunks).toString("utf8")), type: req.headers["content-type"] });
      res.writeHead(204).end();
    });
  });
  let url: string;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/ingest/custody`;
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    collector.close();
    await handle.close();
  });

  it("receives each checkpoint as JSON", async () => {
    await httpSink(url).write(checkpoint(4));
    expect(received.at(-1)).toEqual({ body: { type: "custody.audit.checkpoint", ...checkpoint(4) }, type: "application/json" });
  });

  it("gets the newest checkpoint on the sealer's next pass after it was down, without waiting for new events", async () => {
    const logged: string[] = [];
    const { sink: file } = tempCheckpointFile();
    const sealer = new Sealer(handle.db, testSigner, [file, httpSink(url)], { log: (m) => logged.push(m) });
    await recordNow(handle.db, systemActor("test"), [{ action: "test.one" }, { action: "test.two" }]);
    failNext = 1;
    received.length = 0;
    await sealer.sealNow();
    expect(received).toEqual([]);
    expect(logged).toEqual([
      expect.stringMatching(
        /^Audit checkpoint at size 2 could not be written to http:\/\/127\.0\.0\.1:\d+ \(tried again next second\): .* answered 503$/,
      ),
    ]);
    expect((await file.readAll!()).map((c) => c.treeSize)).toEqual([2]);
    await sealer.sealNow();
    expect(received.map((r) => (r.body as SignedCheckpoint).treeSize)).toEqual([2]);
    // Nothing new and nothing missed: nothing is sent twice.
    await sealer.sealNow();
    expect(received).toHaveLength(1);
  });
});

describe("the S3-compatible bucket under object lock", () => {
  const endpoint = "http://s3.custody.test";
  const objects = new Map<string, { body: string; mode: string | null; until: string | null }>();
  const key = (url: string) => decodeURIComponent(new URL(url).pathname.replace(/^\/audit-bucket\//, ""));
  const s3 = setupServer(
    http.put(`${endpoint}/audit-bucket/*`, async ({ request }) => {
      objects.set(key(request.url), {
        body: await request.text(),
        mode: request.headers.get("x-amz-object-lock-mode"),
        until: request.headers.get("x-amz-object-lock-retain-until-date"),
      });
      return new HttpResponse(null, { status: 200, headers: { ETag: '"etag"' } });
    }),
    http.get(`${endpoint}/audit-bucket`, ({ request }) => {
      const prefix = new URL(request.url).searchParams.get("prefix") ?? "";
      const contents = [...objects.keys()]
        .filter((k) => k.startsWith(prefix))
        .map((k) => `<Contents><Key>${k}</Key><Size>1</Size></Contents>`)
        .join("");
      return new HttpResponse(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>audit-bucket</Name><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
        { headers: { "Content-Type": "application/xml" } },
      );
    }),
    http.get(`${endpoint}/audit-bucket/*`, ({ request }) => {
      const object = objects.get(key(request.url));
      return object
        ? new HttpResponse(object.body, { headers: { "Content-Type": "application/json" } })
        : new HttpResponse(null, { status: 404 });
    }),
  );
  beforeAll(() => s3.listen({ onUnhandledRequest: "error" }));
  afterAll(() => s3.close());

  it("writes each checkpoint as its own object, locked in compliance mode for the retention period, and reads the newest back", async () => {
    const client = new S3Client({
      region: "us-gov-west-1",
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: "t", secretAccessKey: "t" },
    });
    const sink = await s3Sink({ bucket: "audit-bucket", prefix: "county", retentionDays: 400 }, client);
    const before = Date.now();
    await sink.write(checkpoint(10));
    await sink.write(checkpoint(250));
    expect([...objects.keys()]).toEqual([
      "county/audit-checkpoints/0000000000000010.json",
      "county/audit-checkpoints/0000000000000250.json",
    ]);
    const stored = objects.get("county/audit-checkpoints/0000000000000250.json")!;
    expect(stored.mode).toBe("COMPLIANCE");
    const until = Date.parse(stored.until!);
    expect(until - before).toBeGreaterThanOrEqual(399 * 86_400_000);
    expect(until - before).toBeLessThanOrEqual(401 * 86_400_000);
    expect(JSON.parse(stored.body)).toEqual(checkpoint(250));
    expect(await sink.readAll!()).toEqual([checkpoint(250)]);
    expect(sink.description).toBe("s3://audit-bucket/county/audit-checkpoints");
  });
});

describe("the file sink's path", () => {
  it("creates the folder it is given", async () => {
    const { file } = tempCheckpointFile();
    const nested = file.replace(/audit-checkpoints\.jsonl$/, "deeper/still/checkpoints.jsonl");
    await fileSink(nested).write(checkpoint(1));
    expect((await fileSink(nested).readAll!()).map((c) => c.treeSize)).toEqual([1]);
  });
});
