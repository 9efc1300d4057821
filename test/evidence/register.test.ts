import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { createContract } from "../../app/modules/contracts/contracts.server.ts";
import { listRegister, REGISTER_PAGE_SIZE } from "../../app/modules/evidence/register.server.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import { evidenceKinds } from "../../db/schema/catalog.ts";
import { evidenceItemContracts, evidenceItems } from "../../db/schema/evidence.ts";
import { makeAccount, seedOrganisations } from "../support/accounts.ts";
import { as, contractInput, vendorInput } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";

let handle: DatabaseHandle;
const now = new Date("2026-11-23T15:00:00.000Z");
let officerA: ProvisionedAccount;
let officerB: ProvisionedAccount;
const titles = { ownA: [] as string[], sharedFromB: [] as string[], privateB: [] as string[] };

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  const orgs = await seedOrganisations(handle.db);
  const buyerA = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", now);
  const buyerB = await makeAccount(handle.db, orgs.agencyB.id, "procurement-officer", now);
  officerA = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", now);
  officerB = await makeAccount(handle.db, orgs.agencyB.id, "cjis-officer", now);
  const vendorId = (await as(handle.db, buyerA, now, (ctx) => registerVendor(ctx, vendorInput()))).id;
  const contractA = (await as(handle.db, buyerA, now, (ctx) => createContract(ctx, contractInput(vendorId)))).id;
  const sharedB = (
    await as(handle.db, buyerB, now, (ctx) => createContract(ctx, contractInput(vendorId, { sharedWith: [orgs.agencyA.id] })))
  ).id;
  const privateB = (await as(handle.db, buyerB, now, (ctx) => createContract(ctx, contractInput(vendorId)))).id;
  const [kind] = await handle.db.select().from(evidenceKinds).limit(1);
  // 60 of A's own, 30 of B's on the contract B shares with A, 10 of B's alone; their times interleave.
  const plan = [
    ...Array.from({ length: 60 }, (_, i) => ({
      agencyId: orgs.agencyA.id,
      contractId: contractA,
      title: `A-${i}`,
      into: titles.ownA,
      minute: i * 3,
    })),
    ...Array.from({ length: 30 }, (_, i) => ({
      agencyId: orgs.agencyB.id,
      contractId: sharedB,
      title: `B-shared-${i}`,
      into: titles.sharedFromB,
      minute: i * 5 + 1,
    })),
    ...Array.from({ length: 10 }, (_, i) => ({
      agencyId: orgs.agencyB.id,
      contractId: privateB,
      title: `B-private-${i}`,
      into: titles.privateB,
      minute: i * 7 + 2,
    })),
  ];
  for (const p of plan) {
    const at = new Date(now.getTime() - p.minute * 60_000);
    const [item] = await handle.db
      .insert(evidenceItems)
      .values({
        agencyId: p.agencyId,
        vendorId,
        kindId: kind!.id,
        title: p.title,
        status: p.minute % 2 ? "requested" : "submitted",
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    await handle.db.insert(evidenceItemContracts).values({ itemId: item!.id, contractId: p.contractId });
    p.into.push(p.title);
  }
});
afterAll(async () => {
  await handle?.close();
});

describe("the evidence register", () => {
  it("pages through the agency's own items and those on contracts shared with it, newest first, each once, and nothing else", async () => {
    const first = await as(handle.db, officerA, now, (ctx) => listRegister(ctx, { page: 1 }));
    const second = await as(handle.db, officerA, now, (ctx) => listRegister(ctx, { page: 2 }));
    expect(first.total).toBe(90);
    expect(first.rows).toHaveLength(REGISTER_PAGE_SIZE);
    expect(second.rows).toHaveLength(40);
    const seen = [...first.rows, ...second.rows];
    expect(new Set(seen.map((r) => r.title))).toEqual(new Set([...titles.ownA, ...titles.sharedFromB]));
    const times = seen.map((r) => r.updatedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(
      seen
        .filter((r) => r.shared)
        .map((r) => r.title)
        .sort(),
    ).toEqual([...titles.sharedFromB].sort());
  });

  it("applies a status filter across both, and counts what it shows", async () => {
    const requested = await as(handle.db, officerA, now, (ctx) => listRegister(ctx, { status: "requested" }));
    expect(requested.rows.every((r) => r.status === "requested")).toBe(true);
    expect(requested.total).toBe(requested.rows.length);
    expect(requested.rows.some((r) => r.shared) && requested.rows.some((r) => !r.shared)).toBe(true);
  });

  it("shows the sharing agency its own items, private and shared, but not what the other agency asked for itself", async () => {
    const b = await as(handle.db, officerB, now, (ctx) => listRegister(ctx, { page: 1 }));
    expect(b.total).toBe(40);
    expect(new Set(b.rows.map((r) => r.title))).toEqual(new Set([...titles.sharedFromB, ...titles.privateB]));
  });
});
