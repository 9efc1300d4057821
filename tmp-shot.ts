import { startServer } from "./test/support/server.ts";
import { demoAccount, signInOverHttp } from "./test/support/demo.ts";
import { launchBrowser } from "./test/support/browser.ts";
const server = await startServer({ database: "embedded" });
const browser = await launchBrowser();
try {
  const cookie = await signInOverHttp(server, demoAccount(server, "CJIS officer"));
  const register = await (await fetch(`${server.url}/evidence?status=accepted`, { headers: { Cookie: cookie } })).text();
  const id = [...register.matchAll(/href="\/evidence\/([0-9a-f-]{36})"/g)].map((m) => m[1])[0];
  await new Promise((r) => setTimeout(r, 1500));
  const [name, value] = cookie.split(";")[0]!.split("=");
  const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
  await context.addCookies([{ name: name!, value: value!, url: server.url }]);
  const page = await context.newPage();
  await page.goto(`${server.url}/evidence/${id}`);
  await page.locator("#custody").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "/tmp/item-1024.png" });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.locator("#custody").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "/tmp/item-1440.png" });
  const pdf = await fetch(`${server.url}/evidence/${id}/custody.pdf`, { headers: { Cookie: cookie } });
  (await import("node:fs")).writeFileSync("/tmp/custody.pdf", Buffer.from(await pdf.arrayBuffer()));
} finally {
  await browser.close();
  await server.stop();
}
