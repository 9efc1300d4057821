import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { testSecrets } from "../support/accounts.ts";
import { createTestDatabase } from "../support/database.ts";
import { projectRoot } from "../support/server.ts";

// The built pages, driven in this process through React Router's own request handler (no HTTP server, so
// the only timers are the pages' own).
let database: DatabaseHandle;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  database = await createTestDatabase();
  const build = (await import(pathToFileURL(path.join(projectRoot, "build", "server", "index.js")).href)) as ServerBuild;
  const handler = createRequestHandler(build, "production");
  const context = {
    db: database.db,
    cspNonce: "test-nonce",
    secrets: testSecrets,
    client: { ip: "127.0.0.1", userAgent: "test" },
    now: () => new Date(),
    mailer: null,
    publicUrl: "http://localhost:3000",
    blobs: null,
    uploadMaxBytes: 1024,
    auditPublicKeyPem: null,
  } as unknown as AppContext;
  handle = (request) => handler(request, context as never);
});

afterAll(async () => {
  await database?.close();
});

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

describe("drawing a page", () => {
  it("lets go of each page's render once the page is written, instead of holding it for seconds after", async () => {
    // Under load every page held its render (the whole React tree and the data it drew) until a six-second
    // abort timer ran out: hundreds of pages' worth of memory at a time (decision 0033 has the figures).
    const before = timers();
    for (let i = 0; i < 5; i++) {
      const response = await handle(new Request(`http://localhost:3000/no-such-page-${i}`));
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(await response.text()).toContain("</html>");
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(timers()).toBe(before);
  });

  it("sends a page whole, with its length stated", async () => {
    // No page defers data, so a page is drawn to the end before a byte leaves (decision 0034): the browser knows its
    // size before it arrives.
    const response = await handle(new Request("http://localhost:3000/no-such-page"));
    expect(response.status).toBe(404);
    const body = new Uint8Array(await response.arrayBuffer());
    expect(response.headers.get("content-length")).toBe(String(body.byteLength));
    expect(new TextDecoder().decode(body)).toMatch(/<\/html>$/);
  });
});
