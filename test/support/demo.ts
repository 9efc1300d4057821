import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { totpCode } from "../../app/modules/access/totp.server.ts";
import type { RunningServer } from "./server.ts";

export type DemoAccount = { label: string; email: string; password: string; totpSecret: string };

/** The demo accounts the server wrote into its data directory. */
export function demoAccounts(server: RunningServer): DemoAccount[] {
  const text = readFileSync(path.join(server.dataDir, "demo-accounts.txt"), "utf8");
  const blocks = text.split("\n\n").filter((b) => b.includes("e-mail:"));
  return blocks.map((block) => {
    const lines = block.trim().split("\n");
    const value = (key: string) =>
      lines
        .find((l) => l.trim().startsWith(key))!
        .split(":")
        .slice(1)
        .join(":")
        .trim();
    return { label: lines[0]!.trim(), email: value("e-mail"), password: value("password"), totpSecret: value("TOTP secret") };
  });
}

/** The role a demo account holds, as its label names it ("CJIS officer"). */
export const roleOf = (account: DemoAccount) => account.label.split(" — ")[0]!;

/** The first demo account of each role: one person per kind of user. */
export function oneAccountPerRole(server: RunningServer): DemoAccount[] {
  const seen = new Set<string>();
  return demoAccounts(server).filter((a) => !seen.has(roleOf(a)) && Boolean(seen.add(roleOf(a))));
}

export function demoAccount(server: RunningServer, labelStart: string, organisation?: string): DemoAccount {
  const found = demoAccounts(server).find(
    (a) => a.label.startsWith(labelStart) && (!organisation || a.label.includes(organisation)),
  );
  if (!found) throw new Error(`no demo account "${labelStart}"`);
  return found;
}

/** A code for the next 30-second step: never the one used at enrolment, still inside the accepted window. */
export const nextCode = (account: DemoAccount) => totpCode(account.totpSecret, new Date(Date.now() + 30_000));

function cookiesFrom(response: Response, jar: Map<string, string>) {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const [name, ...rest] = pair!.split("=");
    jar.set(name!, rest.join("="));
  }
}

/** Sign in over plain HTTP, as a form-posting browser without JavaScript would. Returns the Cookie header. */
export async function signInOverHttp(server: RunningServer, account: DemoAccount): Promise<string> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const post = async (path: string, form: Record<string, string>) => {
    const response = await fetch(`${server.url}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie() },
      body: new URLSearchParams(form),
    });
    cookiesFrom(response, jar);
    return response;
  };
  await post("/sign-in", { intent: "acknowledge", redirectTo: "/" });
  const password = await post("/sign-in", {
    intent: "password",
    email: account.email,
    password: account.password,
    redirectTo: "/",
  });
  if (password.status !== 302) throw new Error(`password step answered ${password.status}`);
  const verify = await post("/sign-in/verify", { code: nextCode(account), redirectTo: "/" });
  if (verify.status !== 302) throw new Error(`second factor answered ${verify.status}`);
  return cookie();
}

/** Sign in through the pages in a browser: notice, password, code. */
export async function signInInBrowser(page: Page, server: RunningServer, account: DemoAccount, redirectTo = "/") {
  await page.goto(`${server.url}/sign-in?redirectTo=${encodeURIComponent(redirectTo)}`);
  await page.getByRole("button", { name: "I understand and agree" }).click();
  await page.getByLabel("E-mail address").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Code").fill(nextCode(account));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/** A fresh browser context signed in as a demo account, at a desktop size. */
export async function signedInPage(browser: Browser, server: RunningServer, account: DemoAccount) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInInBrowser(page, server, account);
  return page;
}

/**
 * One signed-in page per demo account for a whole test file: a second sign-in
 * inside the same 30-second step would replay its TOTP code, which Custody refuses.
 */
export function signedInOnce(browser: () => Browser, server: () => RunningServer) {
  const pages = new Map<string, Promise<Page>>();
  return (label: string, organisation?: string) => {
    const key = `${label}|${organisation ?? ""}`;
    if (!pages.has(key)) pages.set(key, signedInPage(browser(), server(), demoAccount(server(), label, organisation)));
    return pages.get(key)!;
  };
}
