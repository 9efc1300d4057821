import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { authorize } from "../../app/http/guard.server.ts";
import { InvalidInput } from "../../app/modules/context.server.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { vendors } from "../../db/schema/vendors.ts";
import { appContext, makeAccount, seedOrganisations, signIn } from "../support/accounts.ts";
import { vendorInput } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs, thrownStatus } from "../support/routes.ts";

/** The one door: what a route gets back when the module refuses the input. */
let handle: DatabaseHandle;
const clock = { now: new Date("2026-11-23T15:00:00.000Z") };
let buyer: ProvisionedAccount;
let cookie: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  const orgs = await seedOrganisations(handle.db);
  buyer = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", clock.now);
  cookie = (await signIn(handle.db, buyer, clock.now)).cookie;
});
afterAll(async () => {
  await handle?.close();
});

const door = () => authorize(loaderArgs(appContext(handle.db, clock), "/vendors/new", {}, { cookie }), "vendor:edit");

describe("the door every route goes through", () => {
  it("gives a submitted change that the module refuses back as field errors, and changes nothing", async () => {
    const auth = await door();
    const before = (await handle.db.select().from(vendors)).length;
    const result = await auth.submit((ctx) => registerVendor(ctx, vendorInput({ legalName: "", headquartersCountry: "ZZ" })));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors)).toEqual(expect.arrayContaining(["legalName"]));
    expect(result.message).toBe(Object.values(result.errors)[0]);
    expect((await handle.db.select().from(vendors)).length).toBe(before);
  });

  it("hands back the value of a change the module accepts", async () => {
    const result = await (await door()).submit((ctx) => registerVendor(ctx, vendorInput({ legalName: "Accepted Vendor Inc." })));
    expect(result.ok && result.value.legalName).toBe("Accepted Vendor Inc.");
  });

  it("answers input refused inside a plain run with 400 and its message, never a server error", async () => {
    const auth = await door();
    const thrown = await thrownStatus(
      auth.run(async () => {
        throw new InvalidInput({ reason: "Give the reason, in a few words." });
      }),
    );
    expect(thrown).toMatchObject({ status: 400, body: "Give the reason, in a few words." });
  });
});
