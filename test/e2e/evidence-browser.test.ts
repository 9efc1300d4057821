import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  expectVisible,
  launchBrowser,
  noteViolations,
  screenshot,
  tick,
  visit,
  reload,
} from "../support/browser.ts";
import { pdfBytes } from "../support/contracts.ts";
import { demoAccount, signedInPage } from "../support/demo.ts";
import { startServer, type RunningServer } from "../support/server.ts";

/**
 * The evidence journey in a real browser against the demo: Riverside's CJIS
 * officer asks EvidenceCloud for its insurance certificate; the vendor's
 * representative uploads one with the attestation; the officer rejects it for a
 * low limit; the vendor resubmits; the officer accepts; the contract's matrix
 * shows the requirement evidenced.
 */
describe.runIf(browserAvailable)("evidence in a real browser", () => {
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

  const signedIn = (label: string, organisation?: string) =>
    signedInPage(browser, server, demoAccount(server, label, organisation));
  const checkAccessibility = (page: Page, name: string) => noteViolations(axe, page, name);
  async function fillInsurance(page: Page, perClaim: string, file: string) {
    await page.getByLabel("Issue date (optional)").fill("2026-11-01");
    await page.getByLabel("Valid from (optional)").fill("2026-11-01");
    await page.getByLabel("Expires", { exact: true }).fill("2027-11-01");
    await page.getByLabel("Insurance carrier").fill("Granite Mutual");
    await page.getByLabel("Policy number").fill("CY-2026-0042");
    await page.getByLabel("Coverage", { exact: true }).fill("Cyber liability, first and third party");
    await page.getByLabel("Per-claim limit").fill(perClaim);
    await page.getByLabel("Aggregate limit").fill("10,000,000");
    await page
      .getByLabel(/^File/)
      .setInputFiles({ name: file, mimeType: "application/pdf", buffer: Buffer.from(pdfBytes(file)) });
    await page.getByLabel("Your full name").fill("Casey Duncan");
    await page.getByLabel("Your job title").fill("Compliance manager");
    await tick(page, "I make this attestation");
    await page.getByRole("button", { name: "Submit" }).click();
  }

  it("takes an insurance certificate from request to rejection, resubmission and acceptance, and the matrix shows it evidenced", async () => {
    // The officer asks for the certificate.
    const officer = await signedIn("CJIS officer", "Riverside");
    await visit(officer, `${server.url}/evidence/request`);
    await officer
      .getByLabel("Contract", { exact: true })
      .selectOption({ label: "Body-worn camera evidence storage (EvidenceCloud Inc.)" });
    await officer
      .getByLabel("Kind of evidence", { exact: true })
      .selectOption({ label: "Cyber-liability insurance certificate" });
    await officer.getByRole("button", { name: "Continue" }).click();
    await expectVisible(officer.getByRole("heading", { name: "Cyber-liability insurance certificate from EvidenceCloud Inc." }));
    await checkAccessibility(officer, "request form");
    await officer.getByLabel("Title (optional)").fill("Insurance certificate 2026–27");
    await tick(officer, "Every 12 months (how often this kind of evidence is renewed)");
    await officer.getByLabel("Internal notes (optional)").fill("Broker confirmed the renewal by phone.");
    await officer.getByRole("button", { name: "Send the request" }).click();
    await expectVisible(officer.getByText("The request is sent; the vendor sees it in the vendor portal."));
    const itemPath = new URL(officer.url()).pathname;
    await screenshot(officer, "evidence-requested");

    // The vendor uploads a certificate whose per-claim limit is below the contract's minimum.
    const vendor = await signedIn("Vendor representative");
    await visit(vendor, `${server.url}/portal`);
    await expectVisible(vendor.getByRole("heading", { name: /Vendor portal/ }));
    await checkAccessibility(vendor, "portal home");
    await vendor.getByRole("link", { name: "Insurance certificate 2026–27" }).click();
    expect(await vendor.getByText("Broker confirmed").count()).toBe(0);
    await vendor.getByRole("button", { name: "Submit" }).click();
    await expectVisible(vendor.getByText("Tick the box to make the attestation; nothing is submitted without it."));
    await checkAccessibility(vendor, "portal form with errors");
    await fillInsurance(vendor, "1,000,000", "COI 2026.pdf");
    await expectVisible(vendor.getByText("Version 1 is submitted; Riverside Police Department will review it."));
    await screenshot(vendor, "evidence-submitted");

    // The officer sees the flag and rejects it.
    await visit(officer, `${server.url}/evidence/review`);
    await officer.getByRole("link", { name: "Insurance certificate 2026–27" }).click();
    await expectVisible(officer.getByText("Insurance below the contract's minimum (IACP principle 10)").first());
    await officer.getByRole("button", { name: "Start review" }).click();
    await tick(officer, "Reject");
    await officer.getByRole("button", { name: "Record the decision" }).click();
    await expectVisible(officer.getByText("Say why it is rejected; the vendor sees this reason and needs it to resubmit."));
    await tick(officer, "Reject");
    await officer.getByLabel("Reason").fill("The per-claim limit is $1,000,000; the contract requires at least $5,000,000.");
    await officer.getByRole("button", { name: "Record the decision" }).click();
    await expectVisible(officer.getByText("The submission is rejected."));

    // The vendor reads the reason and resubmits.
    await reload(vendor);
    await expectVisible(
      vendor.getByText("The per-claim limit is $1,000,000; the contract requires at least $5,000,000.").first(),
    );
    // The new version starts from the last one's values: only the limit that was wrong needs changing.
    expect(await vendor.getByLabel("Insurance carrier").inputValue()).toBe("Granite Mutual");
    expect(await vendor.getByLabel("Policy number").inputValue()).toBe("CY-2026-0042");
    expect(await vendor.getByLabel("Per-claim limit").inputValue()).toBe("1000000");
    expect(await vendor.getByLabel("Aggregate limit").inputValue()).toBe("10000000");
    expect(await vendor.getByLabel("Expires", { exact: true }).inputValue()).toBe("2027-11-01");
    expect(await vendor.getByLabel("Your full name").inputValue()).toBe("Casey Duncan");
    expect(await vendor.getByLabel("Your job title").inputValue()).toBe("Compliance manager");
    await fillInsurance(vendor, "5,000,000", "COI 2026 corrected.pdf");
    await expectVisible(vendor.getByText("Version 2 is submitted; Riverside Police Department will review it."));

    // The officer accepts; the next year's request opens, and the matrix counts the requirement evidenced.
    await visit(officer, `${server.url}${itemPath}`);
    await tick(officer, "Accept");
    await officer.getByRole("button", { name: "Record the decision" }).click();
    await expectVisible(officer.getByText("The submission is accepted. The next request of the series is open."));
    await expectVisible(officer.getByRole("cell", { name: /COI 2026 corrected\.pdf/ }).first());
    await checkAccessibility(officer, "evidence item");
    await screenshot(officer, "evidence-accepted");
    await officer.getByRole("link", { name: "Body-worn camera evidence storage" }).first().click();
    await expectVisible(officer.getByRole("heading", { name: "Coverage matrix" }));
    await expectVisible(officer.locator(`a[href="${itemPath}"]`, { hasText: "Evidenced" }).first());
    await checkAccessibility(officer, "matrix with evidence");
    await screenshot(officer, "matrix-evidenced");

    // The register lists it accepted, and charts the vendor's evidence.
    await visit(officer, `${server.url}/evidence?status=accepted`);
    await expectVisible(officer.getByRole("link", { name: "Insurance certificate 2026–27" }));
    await expectVisible(officer.getByRole("heading", { name: "Evidence status by vendor" }));
    await checkAccessibility(officer, "register");
    await screenshot(officer, "evidence-register");
    expect(axe).toEqual([]);
  });
});
