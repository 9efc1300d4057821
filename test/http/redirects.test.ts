import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { safeRedirect } from "../../app/http/cookies.server.ts";
import { loader as signInLoader } from "../../app/routes/sign-in.tsx";
import type { DatabaseHandle } from "../../db/client.ts";
import { appContext, makeAccount, seedOrganisations, signIn } from "../support/accounts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs, thrownStatus } from "../support/routes.ts";

/** Where a browser would go after the redirect: the Location resolved as a browser resolves it. */
const browserTarget = (location: string) => new URL(location, "https://custody.example.gov");

// Each of these leaves the site in some browser: tabs and newlines are stripped, a backslash is a slash.
const offSite = [
  "//evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "/\\/evil.example",
  " //evil.example",
  "https://evil.example",
  "http:evil.example",
  "javascript:alert(1)",
  "evil.example",
  "/\u0000/evil.example",
];

describe("the page a person returns to after signing in", () => {
  it.each(offSite.map((t) => [JSON.stringify(t), t]))("never leaves the site for %s", (_, target) => {
    const result = safeRedirect(target);
    expect(result).toBe("/");
    expect(browserTarget(result).host).toBe("custody.example.gov");
  });

  it("keeps a path on this site, with its query and fragment", () => {
    expect(safeRedirect("/contracts/42?tab=files#top")).toBe("/contracts/42?tab=files#top");
    expect(safeRedirect("/evidence/%2F%2Fevil.example")).toBe("/evidence/%2F%2Fevil.example");
    expect(browserTarget(safeRedirect("/evidence/%2F%2Fevil.example")).host).toBe("custody.example.gov");
    expect(safeRedirect(undefined, "/account")).toBe("/account");
  });
});

describe("signing in with a crafted return address", () => {
  let handle: DatabaseHandle;
  const clock = { now: new Date("2026-11-23T15:00:00.000Z") };
  let cookie: string;
  beforeAll(async () => {
    handle = await createTestDatabase();
    const orgs = await seedOrganisations(handle.db);
    const officer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", clock.now);
    cookie = (await signIn(handle.db, officer, clock.now)).cookie;
  });
  afterAll(async () => {
    await handle?.close();
  });

  // As the query string arrives: the tab and the slashes percent-encoded, as in the report.
  it.each([
    ["%2F%09%2Fevil.example"],
    ["%2F%0A%2Fevil.example"],
    ["%2F%5Cevil.example"],
    ["%2F%2Fevil.example"],
    ["https%3A%2F%2Fevil.example"],
  ])("sends a signed-in person home, not off the site, for redirectTo=%s", async (encoded) => {
    const result = await thrownStatus(
      signInLoader(loaderArgs(appContext(handle.db, clock), `/sign-in?redirectTo=${encoded}`, {}, { cookie })),
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe("/");
  });
});
