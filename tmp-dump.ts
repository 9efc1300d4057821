import { writeFileSync } from "node:fs";
import { startServer } from "./test/support/server.ts";
import { demoAccount, signInOverHttp } from "./test/support/demo.ts";
const server = await startServer({ database: "embedded" });
try {
  const cookie = await signInOverHttp(server, demoAccount(server, "CJIS officer"));
  const register = await (await fetch(`${server.url}/evidence?status=accepted`, { headers: { Cookie: cookie } })).text();
  const ids = [...register.matchAll(/href="\/evidence\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
  await new Promise((r) => setTimeout(r, 1500));
  const pdf = await fetch(`${server.url}/evidence/${ids[0]}/custody.pdf`, { headers: { Cookie: cookie } });
  writeFileSync("/tmp/custody.pdf", Buffer.from(await pdf.arrayBuffer()));
  const page = await (await fetch(`${server.url}/evidence/${ids[0]}`, { headers: { Cookie: cookie } })).text();
  writeFileSync("/tmp/item.html", page);
  writeFileSync("/tmp/cookie.txt", cookie + "\n" + server.url + "\n" + ids[0]);
} finally {
  await server.stop();
}
