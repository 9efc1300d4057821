import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyExport } from "../../app/modules/portability/agency-import.server.ts";
import { browserAvailable, launchBrowser, noteViolations, screenshot, visit } from "../support/browser.ts";
import { signedInOnce } from "../support/demo.ts";
import { projectRoot, startServer, type RunningServer } from "../support/server.ts";

/**
 * Taking an agency's records out in a real browser: Riverside's administrator starts an export, leaves
 * the page and comes back to it, watches it finish, downloads the file and checks it against the
 * installation's published key; another installation loads it with `npm run import` and refuses it the
 * second time. A CJIS officer downloads the contract's OSCAL documents from the contract page.
 */
describe.runIf(browserAvailable)("agency export and OSCAL downloads in a real browser", () => {
  let server: RunningServer;
  let browser: Browser;
  const axe: string[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), "custody-export-e2e-"));

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

  it("starts an export, survives leaving the page, shows it ready, and the downloaded file checks against the published key", async () => {
    const admin = await signedIn("Agency administrator", "Riverside");
    await visit(admin, `${server.url}/admin/exports`);
    await noteViolations(axe, admin, "agency export");
    await admin.getByRole("button", { name: "Start an export" }).click();
    await admin.getByText(/The export of Riverside Police Department has started/).waitFor();
    // Leave, and come back by the menu: the job goes on without the page.
    await visit(admin, `${server.url}/`);
    await visit(admin, `${server.url}/admin/exports`);
    // The page reloads itself while the export is written; it ends with a download link.
    const link = admin.getByRole("link", { name: /^Download \(/ });
    await link.waitFor({ timeout: 60_000 });
    await screenshot(admin, "agency-export-ready");
    await noteViolations(axe, admin, "agency export ready");
    const [download] = await Promise.all([admin.waitForEvent("download"), link.click()]);
    const file = path.join(dir, "riverside.zip");
    await download.saveAs(file);
    const shown = (await admin.locator("code.custody-hash").first().textContent())!.trim();
    expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(shown);
    const key = await (await fetch(`${server.url}/.well-known/custody-audit-key.pem`)).text();
    const keyFile = path.join(dir, "source-key.pem");
    writeFileSync(keyFile, key);
    const manifest = await verifyExport(file, key);
    expect(manifest.agency.name).toBe("Riverside Police Department");

    // Another installation (a fresh embedded one) loads it, and refuses it a second time.
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: path.join(dir, "other-installation"), NODE_ENV: "production" };
    delete env.DATABASE_URL;
    const run = () =>
      spawnSync(process.execPath, ["--import", "tsx", "scripts/import.ts", file, "--key", keyFile], {
        cwd: projectRoot,
        env,
        encoding: "utf8",
        timeout: 120_000,
      });
    const first = run();
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Imported Riverside Police Department: \d+ records, \d+ files/);
    expect(first.stdout).toMatch(/invitations\/[A-Za-z0-9_-]+/);
    const second = run();
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(
      /Import refused; nothing was written\. Riverside Police Department .* is already in this installation/,
    );
    expect(axe).toEqual([]);
  }, 180_000);

  it("gives a CJIS officer the contract's OSCAL assessment results and plan of action from the contract page", async () => {
    const officer: Page = await signedIn("CJIS officer", "Riverside");
    await visit(officer, `${server.url}/contracts`);
    await officer.getByRole("link", { name: "Body-worn camera evidence storage" }).first().click();
    await officer.getByRole("heading", { name: "Exchange in NIST OSCAL" }).waitFor();
    for (const name of ["Assessment results", "Plan of action and milestones"]) {
      const [download] = await Promise.all([officer.waitForEvent("download"), officer.getByRole("link", { name }).click()]);
      const saved = path.join(dir, download.suggestedFilename());
      await download.saveAs(saved);
      const document = JSON.parse(readFileSync(saved, "utf8")) as Record<string, { metadata: { "oscal-version": string } }>;
      const [model] = Object.keys(document);
      expect(model).toBe(name === "Assessment results" ? "assessment-results" : "plan-of-action-and-milestones");
      expect(document[model!]!.metadata["oscal-version"]).toBe("1.0.6");
    }
    await noteViolations(axe, officer, "contract page with OSCAL downloads");
    expect(axe).toEqual([]);
  }, 120_000);
});
