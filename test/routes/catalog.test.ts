import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as frameworkRedirect from "../../app/routes/catalog.framework.tsx";
import * as frameworkPage from "../../app/routes/catalog.framework.version.tsx";
import * as requirementPage from "../../app/routes/catalog.requirement.tsx";
import * as notFound from "../../app/routes/not-found.tsx";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs, thrownStatus } from "../support/routes.ts";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
});
afterAll(async () => {
  await handle.close();
});

describe("catalog routes", () => {
  it("send /catalog/:framework to the framework's newest version", async () => {
    const response = (await frameworkRedirect.loader(loaderArgs(handle.db, "/catalog/cjis-policy", { framework: "cjis-policy" }))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/catalog/cjis-policy/6.0");
  });

  it("answer 404 for a framework, version or requirement that does not exist", async () => {
    expect((await thrownStatus(frameworkRedirect.loader(loaderArgs(handle.db, "/catalog/nope", { framework: "nope" })))).status).toBe(404);
    const page = frameworkPage.loader(loaderArgs(handle.db, "/catalog/cjis-policy/9.9", { framework: "cjis-policy", version: "9.9" }));
    expect((await thrownStatus(page)).status).toBe(404);
    const requirement = requirementPage.loader(
      loaderArgs(handle.db, "/catalog/cjis-policy/6.0/XX-1", { framework: "cjis-policy", version: "6.0", code: "XX-1" }),
    );
    expect((await thrownStatus(requirement)).status).toBe(404);
    expect((await thrownStatus(Promise.resolve().then(() => notFound.loader()))).status).toBe(404);
  });

  it("answer 400 with a plain explanation when the revision in the address is not a number", async () => {
    const result = await thrownStatus(
      frameworkPage.loader(loaderArgs(handle.db, "/catalog/cjis-policy/6.0?revision=abc", { framework: "cjis-policy", version: "6.0" })),
    );
    expect(result.status).toBe(400);
    expect(result.body).toBe("The address is not valid: revision must be a positive whole number.");
  });

  it("explain a filter that is too long next to the field instead of running it", async () => {
    const long = "a".repeat(201);
    const data = await frameworkPage.loader(
      loaderArgs(handle.db, `/catalog/cjis-policy/6.0?q=${long}`, { framework: "cjis-policy", version: "6.0" }),
    );
    expect(data.filterError).toBe("Enter 200 characters or fewer.");
    expect(data.matched).toBe(data.total);
  });

  it("find a control whose code has parentheses from its address", async () => {
    const data = await requirementPage.loader(
      loaderArgs(handle.db, "/catalog/cjis-policy/6.0/AC-2(13)", { framework: "cjis-policy", version: "6.0", code: "AC-2(13)" }),
    );
    expect(data.requirement.title).toBe("Disable accounts for high-risk individuals");
    expect(data.parent!.code).toBe("AC-2");
  });
});
