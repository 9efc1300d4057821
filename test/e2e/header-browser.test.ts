import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, demoServerAndBrowser, resultsDir, seriousAccessibilityViolations } from "../support/browser.ts";
import { oneAccountPerRole, roleOf, signedInPage } from "../support/demo.ts";

/**
 * The header as each kind of person meets it, at the widths they use: signed in as one demo
 * account per role, the page is resized (not reopened) through phone, tablet and desktop widths.
 * At each, no two header elements overlap, none leaves the screen and no label wraps; below the
 * desktop width the same holds inside the opened menu. At desktop width every page the header
 * offers is reached with the keyboard alone, opening each menu with Enter.
 */

const WIDTHS = [320, 768, 1024, 1280, 1440, 1920];

/** Where each role starts: vendor people on their portal, CJIS and procurement officers on the dashboard, auditors on their reports, administrators on their people, legal staff on documents. */
const LANDING: Record<string, string> = {
  "Platform administrator": "/admin/people",
  "Agency administrator": "/admin/people",
  "Procurement officer": "/",
  "CJIS officer": "/",
  Legal: "/documents",
  "Auditor (read-only)": "/reports",
  "Vendor administrator": "/portal",
  "Vendor representative": "/portal",
};

/** What is wrong with the header's layout as drawn now (in the page), in words. */
function layoutProblems(page: Page, scope: "bar" | "drawer") {
  return page.evaluate((scope) => {
    const viewport = document.documentElement.clientWidth;
    const selectors =
      scope === "bar"
        ? [
            ".usa-header .usa-logo",
            ".usa-header .usa-menu-btn",
            ".usa-header .usa-nav__primary:not(.custody-account) > .usa-nav__primary-item > :is(a, button)",
            ".usa-header .custody-header__tools > li > a",
            ".usa-header .custody-account__button",
          ]
        : [
            ".usa-nav.is-visible .usa-nav__primary:not(.custody-account) > .usa-nav__primary-item > :is(a, button)",
            ".usa-nav.is-visible .custody-header__tools > li > a",
            ".usa-nav.is-visible .custody-account__button",
            ".usa-nav.is-visible .usa-nav__close",
          ];
    const shown = selectors
      .flatMap((s) => [...document.querySelectorAll<HTMLElement>(s)])
      .filter((el) => el.checkVisibility() && el.getBoundingClientRect().width > 0);
    const name = (el: HTMLElement) => `“${(el.innerText || el.getAttribute("aria-label") || el.className).trim().slice(0, 40)}”`;
    const problems: string[] = [];
    for (const el of shown) {
      const r = el.getBoundingClientRect();
      if (r.left < -0.5 || r.right > viewport + 0.5)
        problems.push(`${name(el)} leaves the screen (${r.left}–${r.right} of ${viewport})`);
      const label = el.querySelector("span") ?? el;
      const lines = new Set([...label.getClientRects()].map((rect) => Math.round(rect.top)));
      if (label !== el && lines.size > 1) problems.push(`${name(el)} wraps onto ${lines.size} lines`);
      if (label === el && r.height > 3 * parseFloat(getComputedStyle(el).lineHeight || "24"))
        problems.push(`${name(el)} is ${r.height}px tall`);
    }
    for (let i = 0; i < shown.length; i += 1)
      for (let j = i + 1; j < shown.length; j += 1) {
        const a = shown[i]!.getBoundingClientRect();
        const b = shown[j]!.getBoundingClientRect();
        const overlap =
          Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
          Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
        if (overlap > 1) problems.push(`${name(shown[i]!)} overlaps ${name(shown[j]!)}`);
      }
    if (shown.length < (scope === "bar" ? 2 : 3)) problems.push(`only ${shown.length} header elements are visible`);
    return problems;
  }, scope);
}

/** Tab through the header from the top of the page, pressing Enter on each closed menu: every link and button reached. */
async function reachedByKeyboard(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const reached: string[] = [];
  let entered = false;
  for (let step = 0; step < 80; step += 1) {
    await page.keyboard.press("Tab");
    const active = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return null;
      return {
        inHeader: Boolean(el.closest(".usa-header")),
        href: el instanceof HTMLAnchorElement ? new URL(el.href).pathname : null,
        text: el.innerText.trim(),
        closedMenu: el.matches("button.usa-nav__link") && el.getAttribute("aria-expanded") === "false",
      };
    });
    if (!active) break;
    if (!active.inHeader) {
      if (entered) break;
      continue;
    }
    entered = true;
    reached.push(active.href ?? `button: ${active.text}`);
    if (active.closedMenu) await page.keyboard.press("Enter");
  }
  return reached;
}

describe.runIf(browserAvailable)("the header, for every role at every width", () => {
  const running = demoServerAndBrowser();

  it("starts each role on its work and fits at 320 to 1920 px: nothing overlaps, leaves the screen or wraps, and the keyboard reaches every page it offers", async () => {
    const { server, browser } = running;
    const oneOfEachRole = oneAccountPerRole(server);
    expect(oneOfEachRole.map((a) => roleOf(a))).toHaveLength(8);
    const problems: string[] = [];
    for (const account of oneOfEachRole) {
      const role = roleOf(account);
      const page = await signedInPage(browser, server, account);
      page.on("console", (m) => {
        // The refused page below is answered 403 on purpose; the browser notes every such answer.
        if (m.type() === "error" && !/status of 403/.test(m.text())) problems.push(`${role}: console: ${m.text()}`);
      });
      // Signing in ends on the page of the role's work.
      await page.waitForLoadState("networkidle");
      expect(new URL(page.url()).pathname, `${role} starts on`).toBe(LANDING[role]);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 800 });
        await page.locator(".usa-header .usa-logo").waitFor();
        problems.push(...(await layoutProblems(page, "bar")).map((p) => `${role} at ${width} px: ${p}`));
        if (width < 1024) {
          await page.getByRole("button", { name: "Menu", exact: true }).click();
          await page.locator(".usa-nav.is-visible").waitFor();
          await page.waitForTimeout(400); // the drawer slides in
          problems.push(...(await layoutProblems(page, "drawer")).map((p) => `${role} at ${width} px, menu open: ${p}`));
          await page.locator(".usa-nav__close").click();
        }
        if (width === 1024 || width === 1440) {
          const slug = role
            .toLowerCase()
            .replace(/[^a-z]+/g, "-")
            .replace(/-$/, "");
          await page.screenshot({ path: `${resultsDir}/header-${slug}-${width}.png`, clip: { x: 0, y: 0, width, height: 180 } });
        }
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      const offered = await page.evaluate(() => [
        ...new Set(
          [...document.querySelectorAll<HTMLAnchorElement>(".usa-header .usa-nav a")].map((a) => new URL(a.href).pathname),
        ),
      ]);
      const reached = await reachedByKeyboard(page);
      expect(
        offered.filter((path) => !reached.includes(path)),
        `${role}: pages the keyboard does not reach`,
      ).toEqual([]);
      expect(reached, `${role}: signing out by keyboard`).toContain("button: Sign out");
      expect(offered, `${role}: the account page and notifications are offered`).toEqual(
        expect.arrayContaining(["/account", "/notifications"]),
      );
      expect(await seriousAccessibilityViolations(page), role).toEqual([]);
      if (role === "Vendor representative") {
        // A page the role may not open says so in words, and who can grant it; the permission's name is for administrators.
        const response = await page.goto(`${server.url}/vendors`);
        expect(response?.status()).toBe(403);
        const intro = await page.locator(".usa-intro").innerText();
        expect(intro).toBe(
          "This page is for people who may read vendor records. Your role, Vendor representative at EvidenceCloud Inc., may not.",
        );
        await expect(page.locator("main").innerText()).resolves.toContain(
          "ask your vendor's administrator to give you a role that allows it",
        );
        expect(await page.locator("main details").innerText()).not.toContain("vendor:read");
        await page.locator("main details summary").click();
        expect(await page.locator("main details").innerText()).toContain("Permission needed: vendor:read (Read vendor records).");
        expect(await seriousAccessibilityViolations(page), "not allowed page").toEqual([]);
      }
      await page.context().close();
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
