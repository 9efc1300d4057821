import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, hydrated, launchBrowser, noteViolations, screenshot, visit } from "../support/browser.ts";
import { demoAccount, nextCode, signedInOnce } from "../support/demo.ts";
import { startDirectory, type Directory } from "../support/oidc-directory.ts";
import { startSamlDirectory, type SamlDirectory } from "../support/saml-directory.ts";
import { startServer, type RunningServer } from "../support/server.ts";

/**
 * An agency's directory, end to end in Chromium: Riverside's administrator connects an OpenID provider
 * (`oidc-provider`, in-process) from the administration pages; the CJIS officer signs in through it
 * (the directory reports no multi-factor, so Custody asks for its own code); then the directory's SCIM
 * client deactivates the officer, and the officer's open page loses its session on the next request.
 * Riverside's legal counsel registers a passkey through Chromium's virtual authenticator (DevTools
 * protocol), signs in with it alone and as the second factor after a password, sees a replayed answer
 * refused, and removes it.
 */
describe.runIf(browserAvailable)("directory sign-in and passkeys in a real browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let directory: Directory;
  let adfs: SamlDirectory;
  const axe: string[] = [];

  beforeAll(async () => {
    server = await startServer({});
    browser = await launchBrowser();
    directory = await startDirectory(server.url);
    adfs = await startSamlDirectory(`${server.url}/sign-in/directory/saml`, { serve: true });
  });
  afterAll(async () => {
    await browser?.close();
    await directory?.close();
    await adfs?.close();
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
    await officer.getByLabel("Agency e-mail").fill("cjis@riverside-pd.example");
    await noteViolations(axe, officer, "sign-in with a directory");
    await officer.getByRole("button", { name: "Use your agency’s directory" }).click();
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

  it("lets a person register a passkey, sign in with it alone or as the second factor, refuses a replayed answer, and removes it", async () => {
    const account = demoAccount(server, "Legal", "Riverside");
    const page = await signedIn("Legal", "Riverside");
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await visit(page, `${server.url}/account/passkeys`);
    await page.getByText("You have no passkey yet.").waitFor();
    await noteViolations(axe, page, "passkeys");
    // Without a name nothing starts; the message is next to the button.
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByText("Name the passkey first").waitFor();
    await page.getByLabel("Name").fill("Work laptop");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByText("Added “Work laptop”.").waitFor();
    await page.getByRole("rowheader", { name: "Work laptop" }).waitFor();
    // Chromium's virtual authenticator presents a batch attestation certificate; the page says it was not checked.
    await page
      .getByText("presented its maker's attestation certificate (packed), not checked against the FIDO metadata service")
      .waitFor();
    await screenshot(page, "passkeys-registered");

    const signOut = async () => {
      await page.getByRole("button", { name: /: account menu$/ }).click();
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in\?reason=signed-out/);
      await hydrated(page);
    };
    // The passkey alone signs in (it verified the person: both factors); its answer is captured on the way.
    await signOut();
    let answer: string | null = null;
    page.on("request", (request) => {
      const body = request.postData();
      if (request.method() === "POST" && body?.includes("intent=passkey")) answer = new URLSearchParams(body).get("response");
    });
    await page.getByRole("button", { name: "Sign in with a passkey or security key" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    await page.getByRole("button", { name: /^Dana Whitfield.*: account menu$/ }).waitFor();
    expect(answer).toBeTruthy();

    // The same answer sent again is refused: its challenge was spent.
    // Sent from elsewhere, with only the acknowledged notice (no session).
    const cookies = (await page.context().cookies())
      .filter((c) => c.name === "custody_banner")
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
    const replay = await fetch(`${server.url}/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookies },
      body: new URLSearchParams({ intent: "passkey", response: answer!, redirectTo: "/" }),
    });
    expect(replay.status).toBe(401);

    // After a password, the passkey stands in for the authenticator code.
    await signOut();
    await page.getByLabel("E-mail address").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/sign-in\/verify/);
    await hydrated(page);
    await page.getByRole("button", { name: "Use a passkey or security key instead" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));

    // Removed, it signs no one in.
    await visit(page, `${server.url}/account/passkeys`);
    await page.getByRole("button", { name: "Remove Work laptop" }).click();
    await page.getByText("Removed “Work laptop”").waitFor();
    await signOut();
    await page.getByRole("button", { name: "Sign in with a passkey or security key" }).click();
    await page.getByText("That passkey did not sign you in").waitFor();
    expect(axe).toEqual([]);
  });

  it("lets the administrator switch to a SAML directory by pasting its metadata, and a person sign in through it", async () => {
    const admin = await signedIn("Agency administrator", "Riverside");
    await visit(admin, `${server.url}/admin/directory`);
    await admin.locator(`label[for="field-protocol-saml"]`).click();
    await admin.getByLabel("Identity provider metadata (easiest)").fill(adfs.metadata);
    await admin.getByRole("button", { name: "Save the directory settings" }).click();
    await admin.getByText("Saved: the directory settings are updated.").waitFor();
    await admin.getByText("on: people may sign in through the directory or with their password.").waitFor();

    const context = await browser.newContext();
    const person = await context.newPage();
    await visit(person, `${server.url}/sign-in?redirectTo=%2Fcontracts`);
    await person.getByRole("button", { name: "I understand and agree" }).click();
    await person.getByLabel("Agency e-mail").fill("procurement@riverside-pd.example");
    await person.getByRole("button", { name: "Use your agency’s directory" }).click();
    await person.waitForURL(`${adfs.entryPoint}**`);
    await person.getByLabel("E-mail").fill("procurement@riverside-pd.example");
    await person.getByRole("button", { name: "Sign in to ADFS" }).click();
    // The directory's page posts the signed response to Custody from its own origin.
    await person.getByRole("button", { name: "Continue to Custody" }).click();
    await person.waitForURL(`${server.url}/sign-in/verify**`);
    await person.getByLabel("Code").fill(nextCode(demoAccount(server, "Procurement officer", "Riverside")));
    await person.getByRole("button", { name: "Sign in" }).click();
    await person.waitForURL(`${server.url}/contracts`);
    await person.getByRole("button", { name: /^Jordan Lee.*: account menu$/ }).waitFor();
    await context.close();
  });
});
