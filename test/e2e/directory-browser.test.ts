import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchBrowser, noteViolations, screenshot, visit } from "../support/browser.ts";
import { demoAccount, nextCode, signedInOnce } from "../support/demo.ts";
import { startDirectory, type Directory } from "../support/oidc-directory.ts";
import { startServer, type RunningServer } from "../support/server.ts";

/**
 * An agency's directory, end to end in Chromium: Riverside's administrator connects an OpenID provider
 * (`oidc-provider`, in-process) from the administration pages; the CJIS officer signs in through it
 * (the directory reports no multi-factor, so Custody asks for its own code); then the directory's SCIM
 * client deactivates the officer, and the officer's open page loses its session on the next request.
 */
describe.runIf(browserAvailable)("directory sign-in in a real browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let directory: Directory;
  const axe: string[] = [];

  beforeAll(async () => {
    server = await startServer({});
    browser = await launchBrowser();
    directory = await startDirectory(server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await directory?.close();
    await server?.stop();
  });
  const signedIn = signedInOnce(
    () => browser,
    () => server,
  );

  it("lets an administrator connect the directory, a person sign in through it, and a SCIM deactivation cut that session", async () => {
    const admin = await signedIn("Agency administrator", "Riverside");
    await visit(admin, `${server.url}/admin/directory`);
    await noteViolations(axe, admin, "directory settings");
    // A refused form says where: the issuer that does not answer, next to its field.
    await admin.getByLabel("Directory name").fill("Riverside County directory");
    await admin.getByLabel("Issuer").fill(`${directory.issuer}/wrong-tenant`);
    await admin.getByLabel("Client id").fill(directory.clientId);
    await admin.getByLabel("Client secret").fill(directory.clientSecret);
    await admin.getByLabel("Allowed e-mail domains").fill("riverside-pd.example");
    await admin.getByRole("button", { name: "Connect the directory" }).click();
    await admin
      .getByText(/could not read the provider's OpenID configuration/)
      .first()
      .waitFor();
    expect(await admin.title()).toMatch(/^Error: /);
    await admin.getByLabel("Issuer").fill(directory.issuer);
    await admin.getByLabel("Client secret").fill(directory.clientSecret);
    await admin.getByRole("button", { name: "Connect the directory" }).click();
    await admin.getByText("Saved: the agency's people can now sign in through the directory.").waitFor();
    await screenshot(admin, "directory-settings");

    const context = await browser.newContext();
    const officer = await context.newPage();
    await visit(officer, `${server.url}/sign-in`);
    await officer.getByRole("button", { name: "I understand and agree" }).click();
    await officer.getByLabel("Work e-mail address").fill("cjis@riverside-pd.example");
    await noteViolations(axe, officer, "sign-in with a directory");
    await officer.getByRole("button", { name: "Continue with your directory" }).click();
    // The directory's own sign-in and consent pages.
    await officer.waitForURL(`${directory.issuer}/**`);
    await officer.locator('input[name="login"]').fill("cjis@riverside-pd.example");
    await officer.locator('input[name="password"]').fill("directory-password");
    await officer.locator('button[type="submit"]').click();
    await officer.locator('button[type="submit"]', { hasText: /continue/i }).click();
    // Back in Custody: the directory did no multi-factor, so Custody asks for its own code.
    await officer.waitForURL(`${server.url}/sign-in/verify**`);
    await officer.getByLabel("Code").fill(nextCode(demoAccount(server, "CJIS officer", "Riverside")));
    await officer.getByRole("button", { name: "Sign in" }).click();
    await officer.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    await officer.getByRole("button", { name: /^Sam Okafor.*: account menu$/ }).waitFor();
    await screenshot(officer, "directory-signed-in");

    // The directory's provisioning deactivates the officer, with a SCIM token the administrator made.
    await visit(admin, `${server.url}/admin/tokens`);
    await admin.getByLabel("Integration name").fill("Riverside directory provisioning");
    await admin.locator(`label[for="perm-scim:provision"]`).click();
    await admin.getByRole("button", { name: "Create token" }).click();
    const token = (await admin.getByTestId("new-token").textContent())!.trim();
    const scim = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}/scim/v2/${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" },
      });
    const found = (await (
      await scim(`Users?filter=${encodeURIComponent('userName eq "cjis@riverside-pd.example"')}`)
    ).json()) as {
      Resources: { id: string }[];
    };
    expect(found.Resources).toHaveLength(1);
    const patched = await scim(`Users/${found.Resources[0]!.id}`, {
      method: "PATCH",
      body: JSON.stringify({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "Replace", path: "active", value: "False" }],
      }),
    });
    expect(patched.status).toBe(200);
    await officer.reload();
    await officer.waitForURL(`${server.url}/sign-in**`);
    await context.close();
    expect(axe).toEqual([]);
  });
});
