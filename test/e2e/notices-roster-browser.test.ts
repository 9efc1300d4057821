import { DateTime } from "luxon";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, expectVisible, launchBrowser, noteViolations, screenshot, tick, visit } from "../support/browser.ts";
import { signedInOnce } from "../support/demo.ts";
import { startServer, type RunningServer } from "../support/server.ts";
import { DEMO_TIME_ZONE } from "../../app/demo/accounts.server.ts";

/**
 * Notices and the roster in a real browser against the demo: EvidenceCloud's
 * representative files a breach notice; Riverside's CJIS officer is told at
 * once, opens it from the notifications and sees it judged against the
 * contract's window; the officer approves the roster addition waiting in the
 * demo; the vendor proposes a change; each page passes axe.
 */
describe.runIf(browserAvailable)("notices and the personnel roster in a real browser", () => {
  let server: RunningServer;
  let browser: Browser;
  const axe: string[] = [];

  beforeAll(async () => {
    server = await startServer({});
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signedIn = signedInOnce(
    () => browser,
    () => server,
  );
  const checkAccessibility = (page: Page, name: string) => noteViolations(axe, page, name);

  it("files a breach notice in the portal, alerts the CJIS officer at once, and shows it on time against the contract", async () => {
    const vendor = await signedIn("Vendor representative");
    await visit(vendor, `${server.url}/portal`);
    await vendor.getByRole("link", { name: "Notices" }).first().click();
    await vendor.getByRole("link", { name: "File a notice" }).click();
    await vendor.locator("label", { hasText: "Breach or incident" }).click();
    await vendor.getByRole("button", { name: "Continue" }).click();
    await vendor.getByRole("button", { name: "File the notice" }).click();
    await expectVisible(vendor.getByText("Enter the summary.").first());
    await checkAccessibility(vendor, "notice form with errors");
    await vendor.getByLabel("Summary").fill("Credential stuffing against the evidence portal");
    const discovered = DateTime.now().setZone("America/Phoenix").minus({ minutes: 40 });
    await vendor.getByLabel("Date and local time").fill(discovered.toFormat("yyyy-MM-dd'T'HH:mm"));
    await vendor.getByLabel("Time zone").selectOption("America/Phoenix");
    await vendor
      .getByLabel("What happened")
      .fill("Automated sign-in attempts from a botnet; two accounts were reached before they were locked.");
    await vendor.getByLabel("Data categories affected").fill("Body-worn camera video metadata");
    await vendor.getByRole("button", { name: "File the notice" }).click();
    await expectVisible(vendor.getByText("The notice is filed; the agencies you named have been told."));
    await expectVisible(vendor.getByRole("rowheader", { name: "Riverside Police Department" }));
    await checkAccessibility(vendor, "portal notice");
    await screenshot(vendor, "notice-filed");

    const officer = await signedIn("CJIS officer", "Riverside");
    await visit(officer, `${server.url}/notifications`);
    await checkAccessibility(officer, "notifications");
    await screenshot(officer, "notifications");
    await officer.getByRole("button", { name: "Breach or incident notice from EvidenceCloud Inc." }).click();
    await expectVisible(officer.getByRole("heading", { name: "Credential stuffing against the evidence portal" }));
    await expectVisible(officer.getByText(/to spare \(window: 1 h after\)/));
    await checkAccessibility(officer, "agency notice");
    await screenshot(officer, "notice-agency");
    await visit(officer, `${server.url}/notices`);
    await expectVisible(officer.getByRole("link", { name: "Subpoena for account access logs" }));
    await checkAccessibility(officer, "notices list");
    expect(axe).toEqual([]);
  });

  it("lets the CJIS officer approve the vendor's proposed addition, and the vendor propose the next change", async () => {
    const officer = await signedIn("CJIS officer", "Riverside");
    await visit(officer, `${server.url}/roster`);
    await officer.getByRole("link", { name: "EvidenceCloud Inc." }).click();
    await expectVisible(officer.getByText("Security awareness training missing or older than a year (CJIS AT-2)").first());
    await checkAccessibility(officer, "vendor roster");
    await officer.getByRole("link", { name: "Add Priya Natarajan" }).click();
    await checkAccessibility(officer, "roster change");
    await screenshot(officer, "roster-change");
    await tick(officer, "Approve: the roster takes this record");
    await officer.getByRole("button", { name: "Record the decision" }).click();
    await expectVisible(officer.getByText(/^Approved by/));
    await officer.getByRole("link", { name: "EvidenceCloud Inc." }).click();
    await expectVisible(officer.getByRole("rowheader", { name: /Priya Natarajan/ }));
    await screenshot(officer, "roster-agency");

    const vendor = await signedIn("Vendor representative");
    await visit(vendor, `${server.url}/portal/roster`);
    await vendor.getByRole("link", { name: "Marcus Bell" }).click();
    await vendor
      .getByLabel(/Security awareness training completed on/)
      .fill(DateTime.now().setZone(DEMO_TIME_ZONE).toFormat("yyyy-MM-dd"));
    await vendor.getByRole("button", { name: "Propose" }).click();
    await expectVisible(
      vendor.getByText("Your change is proposed; a CJIS officer of one of your agencies will approve or reject it."),
    );
    await expectVisible(vendor.getByRole("rowheader", { name: "Change Marcus Bell" }));
    await checkAccessibility(vendor, "portal roster");
    await screenshot(vendor, "roster-portal");
    expect(axe).toEqual([]);
  });
});
