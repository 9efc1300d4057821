import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, expectVisible, launchBrowser, noteViolations, screenshot, visit } from "../support/browser.ts";
import { signedInOnce } from "../support/demo.ts";
import { docxText, pdfPages } from "../support/documents.ts";
import { startServer, type RunningServer } from "../support/server.ts";

/**
 * Documents in a real browser against the demo: legal staff open the
 * EvidenceCloud contract, generate the CJIS addendum (first with a value
 * missing), preview it and download the DOCX and the PDF; the CJIS officer
 * produces the audit binder from the vendor's roster page; each page passes axe.
 */
describe.runIf(browserAvailable)("documents in a real browser", () => {
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

  async function download(page: Page, name: string) {
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
    return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
  }

  it("lets legal staff generate the CJIS addendum for a contract, preview it, and download it as DOCX and PDF", async () => {
    const legal = await signedIn("Legal", "Riverside");
    await visit(legal, `${server.url}/contracts`);
    await legal.getByRole("link", { name: "Body-worn camera evidence storage" }).first().click();
    await legal.getByRole("link", { name: "Generate CJIS addendum" }).click();
    await expectVisible(legal.getByRole("heading", { name: "For Body-worn camera evidence storage (EvidenceCloud Inc.)" }));
    expect(await legal.getByLabel("Agency (legal name)").inputValue()).toBe("Riverside Police Department");
    expect(await legal.getByLabel("Provider (legal name)").inputValue()).toBe("EvidenceCloud Inc.");
    await noteViolations(axe, legal, "addendum form");
    await screenshot(legal, "documents-addendum-form");

    // Governing law is not in the contract record: generating without it is refused beside the field.
    await legal.getByRole("button", { name: "Generate" }).click();
    await expectVisible(legal.getByText("The document was not generated. Correct the fields listed here."));
    // The USWDS error pattern: the summary at the top takes focus and is on screen, however far down the button was;
    // the title starts with "Error:"; each message links to its field.
    const summary = legal.locator(".custody-error-summary");
    await legal.waitForFunction(() => document.activeElement?.classList.contains("custody-error-summary"));
    expect(
      await summary.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().top < window.innerHeight),
    ).toBe(true);
    await legal.waitForFunction(() => document.title.startsWith("Error: "));
    const link = summary.getByRole("link", { name: "Enter governing law." });
    expect(await link.getAttribute("href")).toBe("#field-v.governingLaw");
    await link.click();
    expect(await legal.evaluate(() => document.activeElement?.id)).toBe("field-v.governingLaw");
    await expectVisible(legal.locator(".usa-error-message", { hasText: "Enter governing law." }));
    await noteViolations(axe, legal, "addendum form with errors");

    await legal.getByLabel("Governing law").fill("the Commonwealth of Virginia");
    await legal.locator("label", { hasText: "Independent third-party report only" }).click();
    await legal.getByRole("button", { name: "Generate" }).click();
    await expectVisible(legal.getByText("The document is generated and stored. Download it below."));
    const preview = legal.getByRole("article", { name: "Preview of Cloud Services CJIS Addendum" });
    await expectVisible(preview.getByRole("heading", { name: /^2\.2 FBI CJIS Security Addendum/ }));
    await expectVisible(preview.getByText("the report of an independent assessor, acceptable to the Agency"));
    await expectVisible(preview.getByText("the Commonwealth of Virginia"));
    await noteViolations(axe, legal, "generated addendum");
    await screenshot(legal, "documents-addendum");

    const docx = await download(legal, "Download DOCX");
    expect(docx.name).toMatch(/^cjis-addendum-.*\.docx$/);
    const words = await docxText(docx.bytes);
    expect(words).toContain("This Addendum is governed by the law of the Commonwealth of Virginia.");
    const pdf = await download(legal, "Download PDF");
    expect(pdf.name).toMatch(/^cjis-addendum-.*\.pdf$/);
    const text = (await pdfPages(pdf.bytes)).join(" ");
    expect(text).toContain("FBI CJIS Security Addendum");
    expect(text).toMatch(/Addendum — DRAFT/i);
    expect(text).not.toContain("cjis-addendum v");

    // Regenerated with another wording, the page shows what changed, clause by clause.
    await legal.getByRole("link", { name: "Regenerate from the current records" }).click();
    await legal.locator("label", { hasText: "Provider's own report, with an Agency right to verify" }).click();
    await legal.getByLabel("Cyber-liability insurance minimum (US dollars)").fill("$10,000,000");
    await legal.getByRole("button", { name: "Generate" }).click();
    await expectVisible(legal.getByRole("heading", { name: "Changes since the previous generation" }));
    await expectVisible(legal.getByRole("region", { name: "Changed: Audit" }));
    const insurance = legal.getByRole("region", { name: "Changed: Independent assessment and insurance" });
    await expectVisible(insurance);
    // Word by word: the figure's old digits struck through, the new ones inserted.
    expect((await insurance.locator("del").allInnerTexts()).join("|")).toContain("5");
    expect((await insurance.locator("ins").allInnerTexts()).join("|")).toContain("10");
    await noteViolations(axe, legal, "regenerated addendum with its changes");
    await screenshot(legal, "documents-addendum-changes");
    const redline = await download(legal, "Download the changes as Word tracked changes");
    expect(redline.name).toMatch(/^cjis-addendum-changes-.*\.docx$/);
    expect(await docxText(redline.bytes)).toContain("at least $10,000,000 per claim");

    // From the contract's gap report, the memo for the vendor's counsel.
    await visit(legal, `${server.url}/contracts`);
    await legal.getByRole("link", { name: "Body-worn camera evidence storage" }).first().click();
    await legal.getByRole("link", { name: "Gap report" }).click();
    await legal.getByRole("link", { name: "Gap analysis memo for the vendor’s counsel" }).click();
    await expectVisible(legal.getByRole("heading", { name: "Gap analysis memo" }));
    await expectVisible(legal.getByRole("heading", { name: "For Body-worn camera evidence storage (EvidenceCloud Inc.)" }));

    await visit(legal, `${server.url}/documents`);
    await expectVisible(legal.getByRole("link", { name: "Cloud services CJIS addendum" }));
    await noteViolations(axe, legal, "documents list");
    await screenshot(legal, "documents-list");
    expect(axe).toEqual([]);
  });

  it("lets the CJIS officer produce the audit binder of a vendor's accepted evidence", async () => {
    const officer = await signedIn("CJIS officer", "Riverside");
    await visit(officer, `${server.url}/roster`);
    await officer.getByRole("link", { name: "EvidenceCloud Inc." }).click();
    await officer.getByRole("link", { name: "Audit binder" }).click();
    await expectVisible(officer.getByRole("heading", { name: "For EvidenceCloud Inc." }));
    await officer.getByRole("button", { name: "Generate" }).click();
    await expectVisible(officer.getByText("The document is generated and stored. Download it below."));
    await noteViolations(axe, officer, "audit binder");
    const binder = await download(officer, "Download PDF");
    const binderPages = await pdfPages(binder.bytes);
    expect(binderPages.at(-1)).toMatch(/Exhibit 1 - accepted \d{4}-\d{2}-\d{2} - SHA-256 [0-9a-f]{64}/);
    await screenshot(officer, "documents-binder");
    expect(axe).toEqual([]);
  });
});
