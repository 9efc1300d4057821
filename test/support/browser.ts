import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import axe from "axe-core";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { projectRoot, type RunningServer, startServer } from "./server.ts";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const browserRequired = process.env.REQUIRE_BROWSER === "1";
export const browserAvailable = existsSync(chromiumPath);
export const resultsDir = path.join(projectRoot, "test-results");

/** The one-line notice printed when browser tests are skipped. */
export const skipNotice = `Browser tests skipped: no Chromium at ${chromiumPath}. Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH; REQUIRE_BROWSER=1 makes this a failure.`;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** Run axe-core in the page; returns the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page) {
  await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] }),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Wait until the element is visible; fails the test with Playwright's message if it never is. */
export async function expectVisible(locator: Locator, timeout = 5_000) {
  await locator.first().waitFor({ state: "visible", timeout });
}

/** USWDS draws its own boxes and hides the real input: tick a checkbox or radio by clicking its label, as a person does. */
export async function tick(page: Page, label: string) {
  await page
    .locator("label")
    .filter({ hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) })
    .first()
    .click();
}

/** Add the page's serious accessibility violations, named, to a list a test asserts empty at its end. */
export async function noteViolations(into: string[], page: Page, name: string) {
  for (const v of await seriousAccessibilityViolations(page)) into.push(`${name}: ${JSON.stringify(v)}`);
}

/**
 * A demo server and one browser for a whole test file, started before its tests and stopped
 * after them (one browser per file keeps CI's two runs short). Read `.server` and `.browser`
 * inside a test, once they are started.
 */
export function demoServerAndBrowser() {
  const running = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    running.server = await startServer({});
    running.browser = await launchBrowser();
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.server?.stop();
  });
  return running;
}

/**
 * Open a page by its address and wait until React has hydrated it. A click that lands while the
 * server-drawn page is still being hydrated can be lost on a loaded machine, so a journey that
 * clicks straight after a full page load waits for this first.
 */
export async function visit(page: Page, url: string) {
  const response = await page.goto(url);
  await hydrated(page);
  return response;
}

/** Reload the page and wait until React has hydrated it again. */
export async function reload(page: Page) {
  await page.reload();
  await hydrated(page);
}

export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}
