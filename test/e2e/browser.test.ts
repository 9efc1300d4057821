import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContextOptions } from "playwright-core";
import { totpCode } from "../../app/modules/access/totp.server.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  browserRequired,
  chromiumPath,
  expectVisible,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
  skipNotice,
} from "../support/browser.ts";
import { demoAccount, nextCode, signInInBrowser } from "../support/demo.ts";
import { startServer, type RunningServer } from "../support/server.ts";

if (!browserAvailable && !browserRequired) console.log(skipNotice);

if (!browserAvailable && browserRequired) {
  describe("the browser requirement", () => {
    it("is met: REQUIRE_BROWSER=1 is set, so a missing Chromium is a failure, not a skip", () => {
      expect.fail(`No Chromium at ${chromiumPath}; install Debian's chromium or set CHROMIUM_PATH.`);
    });
  });
}

describe.runIf(browserAvailable)("Custody in a real browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let signedIn: BrowserContextOptions["storageState"];
  const problems: string[] = [];

  const clockFile = path.join(mkdtempSync(path.join(tmpdir(), "custody-clock-")), "offset-ms");
  const moveClock = (ms: number) => writeFileSync(clockFile, String(ms));

  beforeAll(async () => {
    moveClock(0);
    server = await startServer({ env: { NODE_ENV: "test", CUSTODY_TEST_CLOCK_FILE: clockFile } });
    browser = await launchBrowser();
    // Sign in once, through the real pages, as Riverside's CJIS officer; later tests reuse the session.
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, server, demoAccount(server, "CJIS officer", "Riverside"));
    signedIn = await context.storageState();
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string, options: { javaScriptEnabled?: boolean; width?: number } = {}) {
    const context = await browser.newContext({
      storageState: signedIn,
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      viewport: { width: options.width ?? 1280, height: 900 },
    });
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`${path}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`${path}: ${String(e)}`));
    const response = await page.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
    expect(response!.status()).toBe(200);
    return page;
  }

  it("shows the system-use notice before sign-in, then asks for the password and the authenticator code", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/catalog/cjis-policy/6.0/IR-6`);
    await page.waitForURL(/\/sign-in\?redirectTo=%2Fcatalog%2Fcjis-policy%2F6\.0%2FIR-6$/);
    await expectVisible(page.getByRole("heading", { name: "Restricted system: read before you sign in" }));
    expect(await page.getByLabel("Password").count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "sign-in-notice");
    await page.getByRole("button", { name: "I understand and agree" }).click();

    const account = demoAccount(server, "Legal", "Riverside");
    await page.getByLabel("E-mail address").fill(account.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Continue" }).click();
    await expectVisible(page.getByText("The e-mail address or password is not right, or the account is locked or disabled."));

    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Continue" }).click();
    await expectVisible(page.getByRole("heading", { name: "Enter your code" }));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByLabel("Code").fill(nextCode(account));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/catalog\/cjis-policy\/6\.0\/IR-6$/);
    await expectVisible(page.locator("h1", { hasText: "IR-6 Incident reporting" }));
    // Signing out is in the account menu, beside the person's name.
    await page.getByRole("button", { name: /: account menu$/ }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in\?reason=signed-out/);
    await page.goto(`${server.url}/catalog`);
    await page.waitForURL(/\/sign-in\?redirectTo=%2Fcatalog$/);
    await context.close();
  });

  it("signs a person out after 30 idle minutes and brings them back to the same page after signing in again", async () => {
    const account = demoAccount(server, "Procurement officer", "Riverside");
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, server, account, "/catalog/cjis-policy/6.0/AC-11");
    await expectVisible(page.locator("h1", { hasText: "AC-11 Device lock" }));
    const offset = 31 * 60 * 1000;
    moveClock(offset);
    try {
      await page.reload();
      await page.waitForURL(/\/sign-in\?redirectTo=%2Fcatalog%2Fcjis-policy%2F6\.0%2FAC-11&reason=idle$/);
      await expectVisible(page.getByText("You were signed out after 30 minutes without activity."));
      await screenshot(page, "sign-in-after-idle");
      await page.getByLabel("E-mail address").fill(account.email);
      await page.getByLabel("Password").fill(account.password);
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByLabel("Code").fill(totpCode(account.totpSecret, new Date(Date.now() + offset + 30_000)));
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/catalog\/cjis-policy\/6\.0\/AC-11$/);
      await expectVisible(page.locator("h1", { hasText: "AC-11 Device lock" }));
    } finally {
      moveClock(0);
      await context.close();
    }
  });

  it("lets a platform administrator disable a person everywhere, which ends that person's open session", async () => {
    const vendorContext = await browser.newContext();
    const vendorPage = await vendorContext.newPage();
    const rep = demoAccount(server, "Vendor representative");
    await signInInBrowser(vendorPage, server, rep, "/catalog");
    await expectVisible(vendorPage.locator("h1", { hasText: "Requirement catalog" }));

    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signInInBrowser(admin, server, demoAccount(server, "Platform administrator"), "/admin/people");
    await admin.getByRole("link", { name: "Casey Duncan" }).click();
    await expectVisible(admin.locator("h1", { hasText: "Casey Duncan" }));
    expect(await seriousAccessibilityViolations(admin)).toEqual([]);
    await admin.getByLabel("Reason to disable").fill("Left EvidenceCloud on 2026-11-20");
    await admin.getByRole("button", { name: "Disable everywhere" }).click();
    await expectVisible(admin.getByText("Disabled everywhere: every session and API token of theirs has stopped working."));
    // The status comes from the page data, which reloads just after the action answers.
    await expectVisible(
      admin.getByTestId("person-status").filter({ hasText: /^Disabled .* — Left EvidenceCloud on 2026-11-20$/ }),
    );
    await screenshot(admin, "admin-disabled-person");

    await vendorPage.reload();
    await vendorPage.waitForURL(/\/sign-in\?redirectTo=%2Fcatalog$/);
    await adminContext.close();
    await vendorContext.close();
  });

  it("shows an agency's CJIS officer the dashboard as home page: contracts by status, coverage, deadlines, flagged vendors", async () => {
    const page = await open("/");
    await expect(page.title()).resolves.toMatch(/^Custody/);
    expect(await page.locator("h1").innerText()).toBe("Dashboard");
    expect(await page.locator(".usa-header .usa-logo").innerText()).toBe("Custody");
    await expectVisible(page.getByRole("heading", { name: "Contracts by status" }));
    await expectVisible(page.getByRole("link", { name: "Body-worn camera evidence storage" }));
    await expectVisible(page.getByRole("img", { name: /^Body-worn camera evidence storage: \d+ addressed/ }));
    await expectVisible(page.getByText(/last day to give notice of non-renewal for/));
    await expectVisible(page.getByText(/CAD data is stored in Ireland/));
    // No create buttons for a CJIS officer: the role does not draft contracts.
    expect(await page.getByRole("link", { name: "New contract" }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "home");
    expect(problems).toEqual([]);
  });

  it("lists the four frameworks of the catalog", async () => {
    const page = await open("/catalog");
    for (const title of [
      "IACP Guiding Principles on Cloud Computing in Law Enforcement",
      "FBI CJIS Security Policy",
      "FBI CJIS Security Addendum",
    ]) {
      await expectVisible(page.getByText(title, { exact: true }));
    }
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it("shows a requirement with its figure, source and crosswalk, and no accessibility failures", async () => {
    const page = await open("/catalog/cjis-policy/6.0/AC-7");
    expect(await page.locator("h1").innerText()).toBe("AC-7 Unsuccessful logon attempts");
    await expectVisible(page.getByText("5 consecutive failures within 15 minutes lock the account"));
    await expectVisible(page.getByText("CJIS Security Policy v6.0, AC-7 (section 5.5)"));
    expect(await page.getByTestId("audit-priority").innerText()).toMatch(
      /^Audit priority: not recorded\. .*Priority 1 and existing requirements are auditable since October 1, 2024/,
    );
    expect(await page.locator(".usa-breadcrumb li").allInnerTexts()).toEqual([
      "Home",
      "Catalog",
      "CJIS Security Policy 6.0",
      "5.5",
      "AC-7",
    ]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "requirement-ac-7");

    const principle = await open("/catalog/iacp-principles/2015/10");
    expect(await principle.locator("section:has(#crosswalk) tbody tr").count()).toBeGreaterThan(5);
    expect(await seriousAccessibilityViolations(principle)).toEqual([]);
    await screenshot(principle, "requirement-principle-10");
    expect(problems).toEqual([]);
  });

  it("lets a user walk the crosswalk in both directions: principle to CJIS control and back", async () => {
    const page = await open("/catalog/iacp-principles/2015/1");
    await page.getByRole("link", { name: "CJIS SA-9 External system services" }).click();
    await page.waitForURL(/\/catalog\/cjis-policy\/6\.0\/SA-9$/);
    await expectVisible(page.locator("h1", { hasText: "SA-9 External system services" }));
    const row = page.locator("tr", { has: page.getByRole("link", { name: "IACP principle 1 CJIS Security Policy compliance" }) });
    expect(await row.locator("td").first().innerText()).toBe("Part of");
    await row.getByRole("link").click();
    await page.waitForURL(/\/catalog\/iacp-principles\/2015\/1$/);
    await expectVisible(page.locator("h1", { hasText: "Principle 1 CJIS Security Policy compliance" }));
  });

  it("filters a framework without JavaScript, with the form alone", async () => {
    const page = await open("/catalog/cjis-policy/6.0", { javaScriptEnabled: false });
    await page.getByLabel("Filter requirements").fill("fingerprint");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/q=fingerprint/);
    await expectVisible(page.getByText("2 of 74 entries match “fingerprint”."));
    expect(await page.locator("main h3").allInnerTexts()).toEqual(["PS-3 Personnel screening"]);
  });

  it("offers every page of the navigation without JavaScript: a menu opens while focus is in it, and a phone shows the menu in the page", async () => {
    const desktop = await open("/", { javaScriptEnabled: false });
    const group = desktop.getByRole("button", { name: "Contracts & vendors" });
    expect(await desktop.getByRole("link", { name: "Vendors", exact: true }).isVisible()).toBe(false);
    await group.focus();
    await expectVisible(desktop.getByRole("link", { name: "Vendors", exact: true }));
    await desktop.keyboard.press("Tab");
    expect(await desktop.evaluate(() => document.activeElement?.textContent)).toBe("Contracts");
    await expectVisible(desktop.getByRole("link", { name: "Vendors", exact: true }));
    const phone = await open("/", { javaScriptEnabled: false, width: 400 });
    await expectVisible(phone.getByRole("link", { name: "Documents", exact: true }));
    expect(await phone.getByRole("button", { name: "Menu", exact: true }).isVisible()).toBe(false);
  });

  it("opens the navigation menu on a phone-sized screen, so the USWDS script runs under the CSP", async () => {
    const page = await open("/catalog", { width: 400 });
    expect(await page.locator(".usa-nav").isVisible()).toBe(false);
    await page.getByRole("button", { name: "Menu", exact: true }).click();
    await expectVisible(page.locator(".usa-nav"));
    await screenshot(page, "catalog-mobile-menu");
    expect(problems).toEqual([]);
  });
});
