import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAccount, signInOverHttp } from "../support/demo.ts";
import { startServer, type RunningServer } from "../support/server.ts";

let server: RunningServer;
let cookie: string;
beforeAll(async () => {
  server = await startServer();
  cookie = await signInOverHttp(server, demoAccount(server, "Auditor"));
});
const signedIn = (path: string) => fetch(`${server.url}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
afterAll(async () => {
  await server.stop();
});

function expectSecurityHeaders(response: Response) {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(response.headers.get("referrer-policy")).toBe("same-origin");
  expect(response.headers.get("permissions-policy")).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("x-powered-by")).toBeNull();
}

describe("every HTTP response", () => {
  it("carries the security headers, on pages, assets, errors and the health check alike", async () => {
    const page = await signedIn("/catalog");
    const html = await page.text();
    const asset = html.match(/href="(\/assets\/[^"]+\.css)"/)![1]!;
    for (const path of ["/", "/catalog", "/sign-in", asset, "/favicon.svg", "/no/such/page", "/healthz"]) {
      expectSecurityHeaders(await signedIn(path));
      expectSecurityHeaders(await fetch(`${server.url}${path}`, { redirect: "manual" }));
    }
  });

  it("gives each page a fresh nonce, and every script in the page carries it", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await signedIn("/catalog/iacp-principles/2015/4");
      const nonce = response.headers.get("content-security-policy")!.match(/'nonce-([^']+)'/)![1]!;
      nonces.add(nonce);
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g)!;
      expect(scripts.length).toBeGreaterThan(2);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
  });

  it("never gives two responses the same nonce, across hundreds of them", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const response = await fetch(`${server.url}/healthz`);
      await response.arrayBuffer();
      const nonce = response.headers.get("content-security-policy")!.match(/'nonce-([^']+)'/)![1]!;
      // 16 random bytes, in base64.
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(600);
  });

  it("serves the icon and the no-script styles, and leaves every other path to the pages", async () => {
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
    const styles = await fetch(`${server.url}/no-js.css`);
    expect(styles.status).toBe(200);
    expect(styles.headers.get("content-type")).toMatch(/^text\/css/);
    expect(await styles.text()).toMatch(/\{/);
    const page = await fetch(`${server.url}/no-js.css/catalog`, { redirect: "manual" });
    expect(page.headers.get("cache-control")).toBe("no-store");
  });

  it("keeps pages out of every cache, while fingerprinted assets are cached for good", async () => {
    const page = await signedIn("/catalog/cjis-policy/6.0");
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const asset = (await page.text()).match(/href="(\/assets\/[^"]+\.css)"/)![1]!;
    expect((await fetch(`${server.url}${asset}`)).headers.get("cache-control")).toMatch(/max-age=31536000.*immutable/);
  });
});

describe("access without a session", () => {
  it("sends every page to sign-in, keeping the address to return to", async () => {
    for (const path of ["/", "/catalog", "/catalog/cjis-policy/6.0/AC-7", "/account"]) {
      const response = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location"), path).toBe(`/sign-in?redirectTo=${encodeURIComponent(path)}`);
    }
    expect((await fetch(`${server.url}/sign-in`)).status).toBe(200);
  });

  it("refuses a form post from another site, whatever it carries", async () => {
    const response = await fetch(`${server.url}/sign-in`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://attacker.example", Cookie: cookie },
      body: new URLSearchParams({ intent: "acknowledge" }),
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("Refused: this request did not come from a Custody page.");
  });

  it("answers an upload over the size limit with the limit in words, on a connection that stays whole", async () => {
    const buyer = await signInOverHttp(server, demoAccount(server, "Procurement officer", "Riverside"));
    const contracts = await (await fetch(`${server.url}/contracts`, { headers: { Cookie: buyer } })).text();
    const contractId = contracts.match(/\/contracts\/([0-9a-f-]{36})/)![1]!;
    const form = new FormData();
    form.set("stage", "draft");
    form.set("file", new Blob([new Uint8Array(60 * 1024 * 1024)], { type: "application/pdf" }), "huge.pdf");
    const response = await fetch(`${server.url}/contracts/${contractId}/files`, {
      method: "POST",
      headers: { Cookie: buyer, Origin: server.url },
      body: form,
      redirect: "manual",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("The file is larger than the 50 MB limit.");
  });

  it("behind a TLS-terminating proxy (TRUST_PROXY=1) accepts its own https pages' posts and marks cookies Secure", async () => {
    const proxied = await startServer({ env: { TRUST_PROXY: "1" } });
    try {
      const host = new URL(proxied.url).host;
      const response = await fetch(`${proxied.url}/sign-in`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: `https://${host}`, "X-Forwarded-Proto": "https" },
        body: new URLSearchParams({ intent: "acknowledge", redirectTo: "/" }),
        redirect: "manual",
      });
      expect(response.status).toBe(302);
      expect(response.headers.get("set-cookie")).toMatch(/^custody_banner=[^;]+;.*\bSecure\b/i);
    } finally {
      await proxied.stop();
    }
  });
});

describe("addresses", () => {
  it("answer an unknown address with a real 404 page inside the site's header and footer", async () => {
    const response = await signedIn("/catalog/cjis-policy/6.0/ZZ-404");
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain("<title>Page not found — Custody</title>");
    expect(html).toContain('class="usa-header');
    expect(html).toContain('class="usa-footer');
    expect((await fetch(`${server.url}/nothing/here`)).status).toBe(404);
  });

  it("answer a malformed address or missing asset with a 4xx, never a 500", async () => {
    for (const path of ["/catalog/%E0%A4%A", "/catalog/cjis-policy/6.0?revision=-1", "/assets/missing.js"]) {
      const response = await signedIn(path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
  });

  it("report health with the database that answered", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      database: process.env.DATABASE_URL ? "postgres" : "pglite",
    });
  });
});
