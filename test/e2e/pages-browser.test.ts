import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import routes from "../../app/routes.ts";
import { browserAvailable, demoServerAndBrowser } from "../support/browser.ts";
import { oneAccountPerRole, roleOf, signedInPage } from "../support/demo.ts";

/**
 * Every page of the route table loaded directly, as a bookmark or a refresh loads it, by the kind
 * of person who uses it: one demo account per role follows the links Custody offers them, from
 * their start page, and opens each page's address afresh. A page that answers 5xx, refuses a link
 * it offered (403, 404), or logs a console error — a hydration mismatch (#418) among them — fails
 * the test. Each route is opened once, by the first role that reaches it.
 */

/** Routes no link leads to as a page: actions, redirects, downloads, one-time links and the API. */
const NOT_PAGES = new Map<string, string>([
  ["sign-in", "the page before signing in (opened by every sign-in in these tests)"],
  ["sign-in/verify", "reached only by posting a password"],
  ["sign-in/directory/callback", "where an agency's directory sends a person back (test/e2e/identity-browser.test.ts)"],
  ["sign-in/directory/saml", "where a SAML directory posts its answer (test/e2e/identity-browser.test.ts)"],
  ["sign-out", "an action"],
  ["invitations/:token", "a one-time link sent by e-mail"],
  ["reports/:report/export.csv", "a download"],
  ["audit/export.csv", "a download"],
  ["audit/events/:eventId/receipt.json", "a download"],
  ["contracts/:contractId/files/:contractFileId", "a download"],
  ["contracts/:contractId/documents", "a redirect for old links"],
  ["contracts/:contractId/documents/:documentId", "a redirect for old links"],
  ["contracts/:contractId/gaps.csv", "a download"],
  ["contracts/:contractId/assessment-results.oscal.json", "a download"],
  ["contracts/:contractId/poam.oscal.json", "a download"],
  ["vendors/:vendorId/component-definition.oscal.json", "a download"],
  ["catalog/:framework/:version/oscal.json", "a download"],
  ["admin/exports/:exportId/download", "a download"],
  ["evidence/:itemId/custody.csv", "a download"],
  ["evidence/:itemId/custody-receipt.json", "a download"],
  ["evidence/:itemId/custody.pdf", "a download"],
  ["evidence/:itemId/files/:fileId", "a download"],
  ["documents/:generationId/download/:format", "a download"],
  ["documents/:generationId/changes.docx", "a download"],
  ["roster/files/:rosterFileId", "a download"],
  ["portal/roster/files/:rosterFileId", "a download"],
  ["portal/evidence/:itemId/files/:fileId", "a download"],
  ["catalog/:framework", "a redirect to the framework's current version"],
  ["api/v1/me", "the API"],
  ["api/v1/catalog/frameworks", "the API"],
  ["api/v1/oscal/*", "the API"],
  ["scim/v2/*", "SCIM, for the agency's directory (tokens only)"],
  ["api/*", "the API"],
  ["*", "the not-found page"],
]);

/** Records some pages need, made the way their users make them, before that role follows its links. */
const SETUP: Record<string, (page: Page, origin: string) => Promise<void>> = {
  "Agency administrator": async (page, origin) => {
    await page.goto(`${origin}/admin/reviews`);
    await page.getByRole("button", { name: "Start a review" }).click();
    await page.waitForURL(/\/admin\/reviews\/[0-9a-f-]{36}$/);
  },
  "CJIS officer": async (page, origin) => {
    await page.goto(`${origin}/documents`);
    await page.getByRole("link", { name: "Generate Access Governance Report" }).click();
    await page.getByRole("button", { name: "Generate" }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}(\?.*)?$/);
  },
};

const pagePatterns = routes.map((r) => (r.index ? "" : r.path!)).filter((p) => !NOT_PAGES.has(p));

function patternOf(pathname: string): string | null {
  const segments = pathname.replace(/^\//, "").split("/");
  const candidates = pagePatterns.filter((p) => {
    const parts = p === "" ? [""] : p.split("/");
    const required = parts.filter((x) => !x.endsWith("?")).length;
    if (segments.length < required || segments.length > parts.length) return false;
    return segments.every((s, i) => parts[i]!.startsWith(":") || parts[i] === s);
  });
  // The most specific: the most literal segments.
  candidates.sort(
    (a, b) => b.split("/").filter((x) => !x.startsWith(":")).length - a.split("/").filter((x) => !x.startsWith(":")).length,
  );
  return candidates[0] ?? null;
}

const isDownload = (pathname: string) =>
  /\.(csv|docx|pdf|zip|json)$/.test(pathname) || /\/(download|files)\/[^/]+/.test(pathname) || pathname.startsWith("/api/");

async function linksOn(page: Page, origin: string) {
  const hrefs = await page.evaluate(() => [...document.querySelectorAll<HTMLAnchorElement>("a[href]")].map((a) => a.href));
  return hrefs
    .map((h) => new URL(h))
    .filter((u) => u.origin === origin && !isDownload(u.pathname) && !u.pathname.startsWith("/sign-in"))
    .map((u) => `${u.pathname}${u.search}`);
}

describe.runIf(browserAvailable)("every page, loaded directly", () => {
  const running = demoServerAndBrowser();

  it("opens every page of the route table by its address, as the role that uses it, with no 5xx, no refused link and no console error", async () => {
    const { server, browser } = running;
    const accounts = oneAccountPerRole(server);
    const opened = new Map<string, string>();
    const problems: string[] = [];
    for (const account of accounts) {
      const role = roleOf(account);
      const page = await signedInPage(browser, server, account);
      let current = "";
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`${role} ${current}: console: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`${role} ${current}: ${String(e)}`));
      await page.waitForLoadState("networkidle");
      await SETUP[role]?.(page, server.url);
      // Each role opens each kind of page once: what a page shows, and so what it may break, depends on the role.
      const mine = new Set<string>();
      const queue = [`${new URL(page.url()).pathname}`, ...(await linksOn(page, server.url))];
      while (queue.length > 0) {
        const next = queue.shift()!;
        const pattern = patternOf(new URL(next, server.url).pathname);
        if (pattern === null || mine.has(pattern)) continue;
        mine.add(pattern);
        if (pattern.includes(":") && opened.has(pattern)) {
          // A page of this kind was drawn in the browser already: check only that this role may open the link it was offered.
          const status = (await page.request.get(`${server.url}${next}`, { maxRedirects: 0 })).status();
          if (status >= 400) problems.push(`${role} ${next}: answered ${status} to a link Custody offered`);
          continue;
        }
        current = next;
        const response = await page.goto(`${server.url}${next}`, { waitUntil: "load" });
        // A mismatch between the server's page and the browser's first render is reported while React hydrates.
        await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
        const status = response?.status() ?? 0;
        if (status >= 400) problems.push(`${role} ${next}: answered ${status} to a link Custody offered`);
        if (!opened.has(pattern)) opened.set(pattern, `${role} ${next}`);
        // One date pattern across the product: every date field is the browser's date control and states the format it shows.
        const undated = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLInputElement>("input[type=date]")]
            .filter((input) => {
              const hint = (input.getAttribute("aria-describedby") ?? "")
                .split(" ")
                .map((id) => document.getElementById(id)?.textContent ?? "")
                .join(" ");
              return !hint.includes("mm/dd/yyyy");
            })
            .map((input) => input.name),
        );
        if (undated.length > 0) problems.push(`${role} ${next}: date fields without the mm/dd/yyyy hint: ${undated.join(", ")}`);
        const typedDates = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLInputElement>("input:not([type=date]):not([type=hidden])")]
            .filter((input) =>
              /YYYY-MM-DD|e\.g\. \d{4}-\d{2}-\d{2}/.test(document.querySelector(`label[for="${input.id}"]`)?.textContent ?? ""),
            )
            .map((input) => input.name),
        );
        if (typedDates.length > 0) problems.push(`${role} ${next}: dates typed into text fields: ${typedDates.join(", ")}`);
        queue.push(...(await linksOn(page, server.url)));
      }
      await page.context().close();
    }
    const missed = pagePatterns.filter((p) => !opened.has(p));
    expect(missed, "pages of the route table no role reached by a link").toEqual([]);
    expect(problems).toEqual([]);
    expect(opened.size).toBe(pagePatterns.length);
    // The figure for the closing note: how many pages each role opened is in the log.
    console.log(`opened ${opened.size} kinds of page: ${[...opened.values()].join("; ")}`);
  }, 600_000);
});
