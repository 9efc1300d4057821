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
 * The procurement officer's day, in a real browser against the demo: register a
 * vendor, create a contract shared with the county, upload its draft, mark
 * requirements, read the gap report. Then the county's CJIS officer reads it and
 * cannot change it, and a third agency cannot find it.
 */
describe.runIf(browserAvailable)("vendors and contracts in a real browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let contractPath = "";
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

  it("lets a procurement officer register a vendor, create a shared contract, upload a draft, mark requirements and read the gap report", async () => {
    const page = await signedIn("Procurement officer", "Riverside");
    await expectVisible(page.getByRole("heading", { name: "Dashboard" }));
    await checkAccessibility(page, "dashboard");
    await screenshot(page, "dashboard");

    // Register a vendor that stores data abroad and holds the keys itself.
    await page.getByRole("link", { name: "Register a vendor" }).click();
    await expectVisible(page.getByRole("heading", { name: "Register a vendor" }));
    await page.getByRole("button", { name: "Register the vendor" }).click();
    await expectVisible(page.getByText("Enter the vendor's legal name."));
    await checkAccessibility(page, "vendor form with errors");
    await page.getByLabel("Legal name").fill("Skyline Records Cloud Ltd.");
    await page.getByLabel("Headquarters", { exact: true }).fill("Toronto, Ontario");
    await page.getByLabel("Country of the headquarters").selectOption("CA");
    await tick(page, "Records management (RMS)");
    await tick(page, "RMS records");
    await page.getByLabel("Row 1: data category").selectOption("rms-records");
    await page.getByLabel("Row 1: country").selectOption("CA");
    await page.getByLabel("Row 2: data category").selectOption("personal-data");
    await page.getByLabel("Row 2: country").selectOption("IN");
    await tick(page, "The provider holds the keys");
    await page.getByLabel("Legal-notice address").fill("Skyline Records Cloud Ltd., 100 King St W, Toronto ON");
    await page.getByRole("button", { name: "Register the vendor" }).click();
    await expectVisible(page.getByRole("heading", { name: "Skyline Records Cloud Ltd." }));
    await expectVisible(page.getByText("The vendor is registered."));
    await expectVisible(page.getByText(/Personal data is stored in India/));
    await screenshot(page, "vendor");
    // The banner is shown once, to the person whose action caused it, and the address carries nothing that would repeat it.
    expect(new URL(page.url()).search).toBe("");
    await reload(page);
    await expectVisible(page.getByRole("heading", { name: "Skyline Records Cloud Ltd." }));
    expect(await page.getByText("The vendor is registered.").count()).toBe(0);

    // A contract shared with Lake County; the end before the start is refused first.
    await visit(page, `${server.url}/contracts/new`);
    await page.getByLabel("Title", { exact: true }).fill("Regional RMS hosting");
    await page.getByLabel("Vendor", { exact: true }).selectOption({ label: "Skyline Records Cloud Ltd." });
    await page.getByLabel("Contract value (US dollars, optional)").fill("-10");
    await page.getByLabel("Effective from").fill("2026-07-01");
    await page.getByLabel("Ends on").fill("2026-01-01");
    await tick(page, "Lake County Sheriff's Office");
    await page.getByRole("button", { name: "Create the contract" }).click();
    await expectVisible(page.getByText("The end date is before the effective date."));
    await expectVisible(page.getByText("The contract value cannot be negative."));
    await checkAccessibility(page, "contract form with errors");
    await page.getByLabel("Contract value (US dollars, optional)").fill("480,000");
    await page.getByLabel("Ends on").fill("2029-06-30");
    await page.getByRole("button", { name: "Create the contract" }).click();
    await expectVisible(page.getByRole("heading", { name: "Regional RMS hosting" }));
    contractPath = new URL(page.url()).pathname;
    await expectVisible(page.getByText("Status: Draft"));
    await expectVisible(page.getByText(/stored in India/));

    // Upload the draft: a text file named .pdf is refused, the real PDF kept.
    // The agreement as negotiated is uploaded under "Contract files" ("Documents" in the menu holds generated ones).
    await page.getByRole("link", { name: "Contract files" }).click();
    await page
      .getByLabel(/^File/)
      .setInputFiles({ name: "draft.pdf", mimeType: "application/pdf", buffer: Buffer.from("not really a pdf") });
    await page.getByRole("button", { name: "Upload" }).click();
    await expectVisible(
      page.getByText(
        "“draft.pdf” is not a PDF or a Word document (DOCX), whatever its name says. Upload the contract as PDF or DOCX.",
      ),
    );
    await page
      .getByLabel(/^File/)
      .setInputFiles({ name: "RMS draft v1.pdf", mimeType: "application/pdf", buffer: Buffer.from(pdfBytes("RMS draft")) });
    await page.getByRole("button", { name: "Upload" }).click();
    await expectVisible(page.getByText("Version 1 is stored."));
    await expectVisible(page.getByRole("link", { name: "RMS draft v1.pdf" }));
    await checkAccessibility(page, "documents");

    // Mark provisions 9 and 10 addressed, CJIS IR-6 missing.
    // The matrix opens on the first group with work left; the others are opened as the person needs them.
    await visit(page, `${server.url}${contractPath}/coverage`);
    expect(await page.locator("details.custody-matrix-group[open]").count()).toBe(1);
    expect(await page.locator("input[name=requirementIds]").count()).toBe(12);
    // Opening a group is a link like the rows' (a bare <a>, decision 0034): followed inside the app, not by a reload.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.getByRole("link", { name: "Show its 13 requirements" }).click();
    await page.waitForURL(/open=iacp-principles&open=iacp-provisions/);
    await page
      .locator("input[name=requirementIds]")
      .nth(12 + 13 - 1)
      .waitFor({ state: "attached" });
    await tick(page, "Select IACP provision 9");
    await tick(page, "Select IACP provision 10");
    await page.getByLabel("Status", { exact: true }).selectOption("addressed");
    await page.getByLabel("Contract section").fill("§7.2, Schedule B");
    await page.getByRole("button", { name: "Mark ticked requirements" }).click();
    await expectVisible(page.getByText("2 requirement(s) marked addressed."));
    await page.getByRole("link", { name: "Show its 54 requirements" }).click();
    await page.waitForURL(/open=cjis-policy/);
    await page
      .locator("input[name=requirementIds]")
      .nth(12 + 13 + 54 - 1)
      .waitFor({ state: "attached" });
    expect(await page.locator("input[name=requirementIds]").count()).toBe(12 + 13 + 54);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await tick(page, "Select CJIS IR-6");
    await page.getByLabel("Status", { exact: true }).selectOption("missing");
    await page.getByRole("button", { name: "Mark ticked requirements" }).click();
    await expectVisible(page.getByText("1 requirement(s) marked missing."));
    await checkAccessibility(page, "coverage matrix");
    await screenshot(page, "coverage-matrix");

    // One group per framework, its counts in its heading; a group closes (details, no script needed); the bar that
    // filters and marks stays in view while the person scrolls down to the CJIS controls.
    const groups = page.locator("details.custody-matrix-group");
    expect(await groups.count()).toBe(3);
    await expectVisible(
      groups.nth(2).locator("summary", { hasText: /^CJIS Security Policy \(6\.0\) 54 requirements: .*1 missing/ }),
    );
    await groups.nth(0).locator("summary").click();
    expect(await groups.nth(0).evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(
      await page
        .locator("#" + (await page.locator("label", { hasText: "Select IACP principle 1" }).first().getAttribute("for")))
        .count(),
    ).toBe(1);
    expect(await page.getByRole("checkbox", { name: "Select IACP principle 1", exact: true }).isVisible()).toBe(false);
    await page.getByRole("checkbox", { name: "Select CJIS IR-6" }).scrollIntoViewIfNeeded();
    const bar = await page.locator(".custody-matrix-toolbar").boundingBox();
    expect(bar!.y).toBeGreaterThanOrEqual(-1);
    expect(bar!.y).toBeLessThan(5);
    await expectVisible(page.getByRole("button", { name: "Mark ticked requirements" }));

    // Provision 9 shows what it contributes to. The matrix's row links are bare <a>s (decision 0034); a click on one
    // still opens the page inside the app, without loading the document again.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page
      .getByRole("link", { name: /^9 Audit/ })
      .first()
      .click();
    await expectVisible(page.getByRole("heading", { name: "Contributes to" }));
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await expectVisible(page.getByRole("link", { name: /IACP principle 6/ }));

    await visit(page, `${server.url}${contractPath}/gaps`);
    await expectVisible(page.getByRole("link", { name: /CJIS IR-6/ }));
    const csv = await page.request.get(`${server.url}${contractPath}/gaps.csv`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain("IR-6");
    await checkAccessibility(page, "gap report");
    await screenshot(page, "gap-report");
  });

  it("shows the contract to the county's CJIS officer, read-only", async () => {
    const page = await signedIn("CJIS officer", "Lake County");
    await visit(page, `${server.url}/contracts`);
    await expectVisible(page.getByRole("link", { name: "Regional RMS hosting" }));
    await visit(page, `${server.url}${contractPath}`);
    await expectVisible(page.getByText("Read-only: the owning agency changes this contract."));
    expect(await page.getByRole("link", { name: "Edit the contract" }).count()).toBe(0);
    await visit(page, `${server.url}${contractPath}/coverage`);
    await expectVisible(page.getByText(/Riverside Police Department owns this contract and keeps its matrix/));
    expect(await page.getByRole("button", { name: "Mark ticked requirements" }).count()).toBe(0);
    const edit = await page.goto(`${server.url}${contractPath}/edit`);
    expect(edit!.status()).toBe(403);
  });

  it("refuses the county's procurement officer the owner's edit page, and hides the contract from a third agency", async () => {
    const buyer = await signedIn("Procurement officer", "Lake County");
    const edit = await buyer.goto(`${server.url}${contractPath}/edit`);
    expect(edit!.status()).toBe(404);
    const third = await signedIn("CJIS officer", "Harbor City");
    await visit(third, `${server.url}/contracts`);
    await expectVisible(third.getByRole("heading", { name: "Contracts" }));
    expect(await third.getByRole("link", { name: "Regional RMS hosting" }).count()).toBe(0);
    const direct = await third.goto(`${server.url}${contractPath}`);
    expect(direct!.status()).toBe(404);
    expect(axe).toEqual([]);
  });
});
