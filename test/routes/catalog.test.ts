import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import * as frameworkRedirect from "../../app/routes/catalog.framework.tsx";
import * as frameworkPage from "../../app/routes/catalog.framework.version.tsx";
import * as requirementPage from "../../app/routes/catalog.requirement.tsx";
import * as notFound from "../../app/routes/not-found.tsx";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { appContext, makeAccount, seedOrganisations, signIn } from "../support/accounts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs, thrownStatus } from "../support/routes.ts";

let handle: DatabaseHandle;
let context: AppContext;
let cookie: string;
const clock = { now: new Date("2026-11-23T10:00:00.000Z") };

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  const orgs = await seedOrganisations(handle.db);
  const officer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", clock.now);
  cookie = (await signIn(handle.db, officer, clock.now)).cookie;
  context = appContext(handle.db, clock);
});
afterAll(async () => {
  await handle.close();
});

const get = (path: string, params: Record<string, string>) => loaderArgs(context, path, params, { cookie });

describe("catalog routes", () => {
  it("send a visitor without a session to sign in, returning to the page afterwards, and record the attempt", async () => {
    const result = await thrownStatus(
      requirementPage.loader(
        loaderArgs(context, "/catalog/cjis-policy/6.0/AC-7", { framework: "cjis-policy", version: "6.0", code: "AC-7" }),
      ),
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe("/sign-in?redirectTo=%2Fcatalog%2Fcjis-policy%2F6.0%2FAC-7");
    const denied = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "access.unauthenticated"));
    expect(denied.at(-1)).toMatchObject({
      outcome: "denied",
      ip: "192.0.2.10",
      details: { path: "/catalog/cjis-policy/6.0/AC-7", method: "GET" },
    });
  });

  it("send /catalog/:framework to the framework's newest version", async () => {
    const response = (await frameworkRedirect.loader(get("/catalog/cjis-policy", { framework: "cjis-policy" }))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/catalog/cjis-policy/6.0");
  });

  it("answer 404 for a framework, version or requirement that does not exist", async () => {
    expect((await thrownStatus(frameworkRedirect.loader(get("/catalog/nope", { framework: "nope" })))).status).toBe(404);
    expect(
      (await thrownStatus(frameworkPage.loader(get("/catalog/cjis-policy/9.9", { framework: "cjis-policy", version: "9.9" }))))
        .status,
    ).toBe(404);
    const requirement = requirementPage.loader(
      get("/catalog/cjis-policy/6.0/XX-1", { framework: "cjis-policy", version: "6.0", code: "XX-1" }),
    );
    expect((await thrownStatus(requirement)).status).toBe(404);
    expect((await thrownStatus(Promise.resolve().then(() => notFound.loader()))).status).toBe(404);
  });

  it("answer 400 with a plain explanation when the revision in the address is not a number", async () => {
    const result = await thrownStatus(
      frameworkPage.loader(get("/catalog/cjis-policy/6.0?revision=abc", { framework: "cjis-policy", version: "6.0" })),
    );
    expect(result.status).toBe(400);
    expect(result.body).toBe("The address is not valid: revision must be a positive whole number.");
  });

  it("explain a filter that is too long next to the field instead of running it", async () => {
    const data = await frameworkPage.loader(
      get(`/catalog/cjis-policy/6.0?q=${"a".repeat(201)}`, { framework: "cjis-policy", version: "6.0" }),
    );
    expect(data.filterError).toBe("Enter 200 characters or fewer.");
    expect(data.matched).toBe(data.total);
  });

  it("find a control whose code has parentheses from its address, and record who read it", async () => {
    const data = await requirementPage.loader(
      get("/catalog/cjis-policy/6.0/AC-2(13)", { framework: "cjis-policy", version: "6.0", code: "AC-2(13)" }),
    );
    expect(data.requirement.title).toBe("Disable accounts for high-risk individuals");
    expect(data.parent!.code).toBe("AC-2");
    const [read] = await handle.db.select().from(auditEvents).where(eq(auditEvents.objectId, data.requirement.id));
    expect(read).toMatchObject({
      action: "catalog.requirement.read",
      outcome: "success",
      actorLabel: expect.stringMatching(/^cjis-officer\./),
    });
  });
});
