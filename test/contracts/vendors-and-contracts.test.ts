import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { InvalidInput, NotFound } from "../../app/modules/context.server.ts";
import {
  createContract,
  getContract,
  getEditableContract,
  listContracts,
  updateContract,
} from "../../app/modules/contracts/contracts.server.ts";
import { getDashboard } from "../../app/modules/dashboard/dashboard.server.ts";
import { lifecycleOf } from "../../app/modules/contracts/lifecycle.ts";
import { getVendor, listVendors, registerVendor, updateVendor } from "../../app/modules/vendors/vendors.server.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { frameworks } from "../../db/schema/catalog.ts";
import { contracts, contractShares } from "../../db/schema/contracts.ts";
import { vendorProfiles, vendors } from "../../db/schema/vendors.ts";
import { addOrganisation, makeAccount, seedOrganisations } from "../support/accounts.ts";
import { as, contractInput, vendorInput } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";

let handle: DatabaseHandle;
const now = new Date("2026-11-23T15:00:00.000Z");
let buyerA: ProvisionedAccount;
let cjisA: ProvisionedAccount;
let buyerB: ProvisionedAccount;
let cjisB: ProvisionedAccount;
let cjisC: ProvisionedAccount;
let auditorA: ProvisionedAccount;

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  const orgs = await seedOrganisations(handle.db);
  const agencyC = await addOrganisation(handle.db, { kind: "agency", name: "Agency C", state: "DC", ori: "DC0990300" });
  buyerA = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", now);
  cjisA = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", now);
  auditorA = await makeAccount(handle.db, orgs.agencyA.id, "auditor", now);
  buyerB = await makeAccount(handle.db, orgs.agencyB.id, "procurement-officer", now);
  cjisB = await makeAccount(handle.db, orgs.agencyB.id, "cjis-officer", now);
  cjisC = await makeAccount(handle.db, agencyC.id, "cjis-officer", now);
});
afterAll(async () => {
  await handle?.close();
});

const count = async (table: typeof contracts | typeof vendors | typeof vendorProfiles) =>
  (await handle.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
const fieldErrors = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InvalidInput) return error.fieldErrors;
    throw error;
  }
  throw new Error("expected InvalidInput");
};

describe("vendors", () => {
  it("are shared by every agency, while each agency's record of a vendor stays its own", async () => {
    const vendor = await as(handle.db, buyerA, now, (ctx) =>
      registerVendor(ctx, vendorInput({ legalName: "Shared Storage Corp.", notes: "Agency A's private note" })),
    );
    const seenByB = await as(handle.db, buyerB, now, (ctx) => getVendor(ctx, vendor.id));
    expect(seenByB.vendor.legalName).toBe("Shared Storage Corp.");
    expect(seenByB.profile).toBeNull();
    expect(seenByB.canEditIdentity).toBe(false);
    const seenByA = await as(handle.db, cjisA, now, (ctx) => getVendor(ctx, vendor.id));
    expect(seenByA.profile?.notes).toBe("Agency A's private note");

    // B records its own profile; A's stays as it was, and B cannot rename the shared vendor.
    await as(handle.db, buyerB, now, (ctx) =>
      updateVendor(ctx, vendor.id, vendorInput({ legalName: "Renamed by B", keyCustody: "provider", notes: "B's note" })),
    );
    const again = await as(handle.db, buyerA, now, (ctx) => getVendor(ctx, vendor.id));
    expect(again.vendor.legalName).toBe("Shared Storage Corp.");
    expect(again.profile?.notes).toBe("Agency A's private note");
    expect(again.profile?.keyCustody).toBe("agency");
    const listB = await as(handle.db, cjisB, now, (ctx) => listVendors(ctx));
    expect(listB.find((v) => v.id === vendor.id)?.flags.map((f) => f.code)).toEqual(["key-custody-provider"]);
  });

  it("flag data stored outside the countries CJIS SC-28 allows, provider-held keys, and a missing legal-notice address", async () => {
    const vendor = await as(handle.db, buyerA, now, (ctx) =>
      registerVendor(
        ctx,
        vendorInput({
          keyCustody: "provider",
          legalNoticeAddress: "",
          locations: [
            { dataCategory: "cji", country: "US" },
            { dataCategory: "bwc-video", country: "IE", region: "Dublin" },
            { dataCategory: "cad-data", country: "CA" },
            { dataCategory: "lpr-reads", country: "PR" },
          ],
        }),
      ),
    );
    const { flags } = await as(handle.db, cjisA, now, (ctx) => getVendor(ctx, vendor.id));
    expect(flags.map((f) => f.code)).toEqual(["storage-location", "key-custody-provider", "no-legal-notice-address"]);
    expect(flags[0]!.message).toContain("Ireland (Dublin)");
    expect(flags[0]!.cites).toContain("SC-28");
  });

  it("refuse a form with missing or malformed fields, say which, and save nothing", async () => {
    const [beforeVendors, beforeProfiles] = [await count(vendors), await count(vendorProfiles)];
    const errors = await fieldErrors(
      as(handle.db, buyerA, now, (ctx) =>
        registerVendor(
          ctx,
          vendorInput({
            legalName: " ",
            headquartersCountry: "XX",
            serviceKinds: [],
            keyCustody: undefined,
            securityContactEmail: "not-an-address",
            locations: [{ dataCategory: "cji", country: "" }],
          }),
        ),
      ),
    );
    expect(errors).toMatchObject({
      legalName: "Enter the vendor's legal name.",
      headquartersCountry: "Choose the country of the headquarters from the list.",
      serviceKinds: "Choose at least one kind of service.",
      keyCustody: "Say who holds the encryption keys for data at rest.",
      securityContactEmail: expect.stringContaining("e-mail address"),
      "locations.0.country": expect.stringContaining("country"),
    });
    expect([await count(vendors), await count(vendorProfiles)]).toEqual([beforeVendors, beforeProfiles]);
  });

  it("cannot be registered twice under the same legal name", async () => {
    await as(handle.db, buyerA, now, (ctx) => registerVendor(ctx, vendorInput({ legalName: "Twice Cloud LLC" })));
    const errors = await fieldErrors(
      as(handle.db, buyerB, now, (ctx) => registerVendor(ctx, vendorInput({ legalName: "twice cloud llc" }))),
    );
    expect(errors.legalName).toContain("already registered");
  });
});

describe("contracts", () => {
  it("belong to one agency, are seen by the agencies they are shared with, and are changed only by the owner", async () => {
    const vendor = await as(handle.db, buyerA, now, (ctx) => registerVendor(ctx, vendorInput()));
    const agencyB = buyerB.organisationId;
    const contract = await as(handle.db, buyerA, now, (ctx) =>
      createContract(ctx, contractInput(vendor.id, { title: "County-wide RMS", sharedWith: [agencyB] })),
    );

    const forB = await as(handle.db, cjisB, now, (ctx) => getContract(ctx, contract.id));
    expect(forB.owned).toBe(false);
    expect(forB.canEdit).toBe(false);
    expect((await as(handle.db, cjisB, now, (ctx) => listContracts(ctx))).map((c) => c.title)).toContain("County-wide RMS");
    // B's procurement officer may edit contracts, but not A's.
    await expect(as(handle.db, buyerB, now, (ctx) => getEditableContract(ctx, contract.id))).rejects.toBeInstanceOf(NotFound);
    await expect(
      as(handle.db, buyerB, now, (ctx) => updateContract(ctx, contract.id, contractInput(vendor.id, { title: "Hijacked" }))),
    ).rejects.toBeInstanceOf(NotFound);
    // A third agency cannot find it at all.
    await expect(as(handle.db, cjisC, now, (ctx) => getContract(ctx, contract.id))).rejects.toBeInstanceOf(NotFound);
    expect((await as(handle.db, cjisC, now, (ctx) => listContracts(ctx))).map((c) => c.id)).not.toContain(contract.id);
    // The owner's auditor reads it; nobody changed the title.
    expect((await as(handle.db, auditorA, now, (ctx) => getContract(ctx, contract.id))).contract.title).toBe("County-wide RMS");

    // Unsharing takes it away from B.
    await as(handle.db, buyerA, now, (ctx) =>
      updateContract(ctx, contract.id, contractInput(vendor.id, { title: "County-wide RMS", sharedWith: [] })),
    );
    await expect(as(handle.db, cjisB, now, (ctx) => getContract(ctx, contract.id))).rejects.toBeInstanceOf(NotFound);
    const shareEvents = await handle.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, contract.id), sql`${auditEvents.action} like 'contract.%share'`))
      .orderBy(auditEvents.seq);
    expect(shareEvents.map((e) => e.action)).toEqual(["contract.share", "contract.unshare"]);
  });

  it("show an agreement's amendments and its parent only to the agencies that may see each, with its shares and frameworks in order", async () => {
    const vendor = await as(handle.db, buyerA, now, (ctx) =>
      registerVendor(ctx, vendorInput({ legalName: "Family Hosting LLC" })),
    );
    const agencyB = buyerB.organisationId;
    const master = await as(handle.db, buyerA, now, (ctx) =>
      createContract(ctx, contractInput(vendor.id, { title: "Master hosting", sharedWith: [agencyB] })),
    );
    const first = await as(handle.db, buyerA, now, (ctx) =>
      createContract(
        ctx,
        contractInput(vendor.id, { title: "Amendment 1", kind: "amendment", parentId: master.id, sharedWith: [agencyB] }),
      ),
    );
    const second = await as(handle.db, buyerA, now, (ctx) =>
      createContract(ctx, contractInput(vendor.id, { title: "Amendment 2", kind: "amendment", parentId: master.id })),
    );

    const forOwner = await as(handle.db, auditorA, now, (ctx) => getContract(ctx, master.id));
    expect(forOwner.children.map((c) => c.title)).toEqual(["Amendment 1", "Amendment 2"]);
    expect(forOwner.children[0]).toEqual({ id: first.id, title: "Amendment 1", kind: "amendment", parentId: master.id });
    expect(forOwner.parent).toBeNull();
    expect(forOwner.shares.map((x) => x.agencyId)).toEqual([agencyB]);
    expect(forOwner.shares[0]!.sharedAt).toBeInstanceOf(Date);
    expect(forOwner.frameworks.map((f) => f.key)).toEqual(["iacp-principles", "iacp-provisions", "cjis-policy"]);
    expect(forOwner.cjisCited?.shortTitle).toBeTruthy();

    // Agency B was given the master and the first amendment, not the second: it sees only what it was given.
    const forB = await as(handle.db, cjisB, now, (ctx) => getContract(ctx, master.id));
    expect(forB.children.map((c) => c.title)).toEqual(["Amendment 1"]);
    expect((await as(handle.db, cjisB, now, (ctx) => getContract(ctx, first.id))).parent?.id).toBe(master.id);
    await expect(as(handle.db, cjisB, now, (ctx) => getContract(ctx, second.id))).rejects.toBeInstanceOf(NotFound);

    // An amendment shared without its master names no parent to the agency that cannot open it.
    const alone = await as(handle.db, buyerA, now, (ctx) =>
      createContract(
        ctx,
        contractInput(vendor.id, { title: "Amendment 3", kind: "amendment", parentId: second.id, sharedWith: [agencyB] }),
      ),
    );
    expect((await as(handle.db, cjisB, now, (ctx) => getContract(ctx, alone.id))).parent).toBeNull();
    expect((await as(handle.db, auditorA, now, (ctx) => getContract(ctx, alone.id))).parent?.title).toBe("Amendment 2");
  });

  it("refuse missing fields, an end before the start and negative money with a message on each field, and save nothing", async () => {
    const vendor = await as(handle.db, buyerA, now, (ctx) => registerVendor(ctx, vendorInput()));
    const before = await count(contracts);
    const errors = await fieldErrors(
      as(handle.db, buyerA, now, (ctx) =>
        createContract(ctx, {
          kind: "amendment",
          vendorId: vendor.id,
          title: "",
          stage: "draft",
          effectiveOn: "2026-07-01",
          endsOn: "2026-06-30",
          valueCents: "-5,000",
          minCyberInsuranceCents: "-1",
          breachNoticeHours: "0",
          availabilityCritical: "99",
          availabilityArchive: "99.9",
        }),
      ),
    );
    expect(errors).toMatchObject({
      title: "Enter a title.",
      endsOn: "The end date is before the effective date.",
      valueCents: "The contract value cannot be negative.",
      minCyberInsuranceCents: "The minimum cyber-liability insurance cannot be negative.",
      breachNoticeHours: expect.stringContaining("at least 1"),
      parentId: "Choose the contract this amendment belongs to.",
      availabilityCritical: expect.stringContaining("CAD before archives"),
    });
    const dates = await fieldErrors(
      as(handle.db, buyerA, now, (ctx) =>
        createContract(ctx, contractInput(vendor.id, { effectiveOn: "2026-02-30", stage: "signed" })),
      ),
    );
    expect(dates).toMatchObject({
      effectiveOn: "The effective date is not a real date.",
      signedOn: "Enter the date the contract was signed.",
    });
    expect(await count(contracts)).toBe(before);
  });

  it("compute their status from the dates: signed, active, expired, renewed automatically, terminated", () => {
    const base = {
      stage: "signed" as const,
      effectiveOn: "2025-01-01",
      endsOn: "2025-12-31",
      autoRenew: false,
      renewalTermMonths: null,
      noticePeriodDays: 60,
      terminatedOn: null,
    };
    expect(lifecycleOf(base, "2024-12-15").status).toBe("signed");
    expect(lifecycleOf(base, "2025-06-01")).toMatchObject({
      status: "active",
      currentEnd: "2025-12-31",
      renewalNoticeBy: "2025-11-01",
    });
    expect(lifecycleOf(base, "2026-01-01")).toMatchObject({ status: "expired", renewalNoticeBy: null });
    expect(lifecycleOf({ ...base, autoRenew: true, renewalTermMonths: 12 }, "2026-11-23")).toMatchObject({
      status: "active",
      currentEnd: "2026-12-31",
      renewalNoticeBy: "2026-11-01",
      renewals: 1,
    });
    expect(lifecycleOf({ ...base, stage: "terminated", terminatedOn: "2025-03-01" }, "2025-06-01").status).toBe("terminated");
    expect(lifecycleOf({ ...base, stage: "negotiation", effectiveOn: null }, "2025-06-01").status).toBe("negotiation");
  });

  it("freeze the catalog revisions they cite, and default to the principles, the provisions and CJIS v6.0", async () => {
    const vendor = await as(handle.db, buyerA, now, (ctx) => registerVendor(ctx, vendorInput()));
    const contract = await as(handle.db, buyerA, now, (ctx) => createContract(ctx, contractInput(vendor.id)));
    const view = await as(handle.db, buyerA, now, (ctx) => getContract(ctx, contract.id));
    expect(view.frameworks.map((f) => `${f.key} ${f.version}`)).toEqual([
      "iacp-principles 2015",
      "iacp-provisions 2015",
      "cjis-policy 6.0",
    ]);
    expect(view.cjisCited?.version).toBe("6.0");
    const frozen = await handle.db.select({ key: frameworks.key, frozenAt: frameworks.frozenAt }).from(frameworks);
    expect(
      frozen
        .filter((f) => f.frozenAt)
        .map((f) => f.key)
        .sort(),
    ).toEqual(["cjis-policy", "iacp-principles", "iacp-provisions"]);
    expect(view.terms).toMatchObject({ breachNoticeHours: 1, auditIntervalMonths: 12, personnelRosterRequired: false });
  });

  it("record every read and change in the audit trail, with the fields that changed", async () => {
    const vendor = await as(handle.db, buyerA, now, (ctx) => registerVendor(ctx, vendorInput()));
    const contract = await as(handle.db, buyerA, now, (ctx) =>
      createContract(ctx, contractInput(vendor.id, { title: "Audited contract" })),
    );
    await as(handle.db, buyerA, now, (ctx) =>
      updateContract(
        ctx,
        contract.id,
        contractInput(vendor.id, { title: "Audited contract", valueCents: "10,000", breachNoticeHours: "4" }),
      ),
    );
    await as(handle.db, cjisA, now, (ctx) => getContract(ctx, contract.id));
    const events = await handle.db
      .select({ action: auditEvents.action, details: auditEvents.details, actor: auditEvents.actorPersonId })
      .from(auditEvents)
      .where(eq(auditEvents.objectId, contract.id))
      .orderBy(auditEvents.seq);
    expect(events.map((e) => e.action)).toEqual(["contract.create", "contract.update", "contract.read"]);
    expect((events[1]!.details as { changes: Record<string, unknown> }).changes).toEqual({
      valueCents: { from: null, to: 1_000_000 },
      breachNoticeHours: { from: 1, to: 4 },
    });
    expect(events[2]!.actor).toBe(cjisA.personId);
  });

  it("put renewal notices and ends of term of the next 90 days on the dashboard", async () => {
    const vendor = await as(handle.db, buyerA, now, (ctx) => registerVendor(ctx, vendorInput({ keyCustody: "provider" })));
    await as(handle.db, buyerA, now, (ctx) =>
      createContract(
        ctx,
        contractInput(vendor.id, {
          title: "Ends in January",
          stage: "signed",
          signedOn: "2025-01-10",
          effectiveOn: "2025-02-01",
          endsOn: "2027-01-31",
          noticePeriodDays: "60",
        }),
      ),
    );
    const dashboard = await as(handle.db, cjisA, now, (ctx) => getDashboard(ctx));
    const mine = dashboard.deadlines.filter((d) => d.title === "Ends in January");
    expect(mine).toEqual([
      { contractId: expect.any(String), title: "Ends in January", kind: "renewal-notice", on: "2026-12-02", daysLeft: 9 },
      { contractId: expect.any(String), title: "Ends in January", kind: "end", on: "2027-01-31", daysLeft: 69 },
    ]);
    expect(dashboard.byStatus.active).toBeGreaterThanOrEqual(1);
    expect(dashboard.flagged.map((v) => v.vendorId)).toContain(vendor.id);
  });

  it("are measured against the principles, provisions and CJIS controls unless told otherwise, and never against nothing", async () => {
    const vendor = await as(handle.db, buyerA, now, (ctx) => registerVendor(ctx, vendorInput()));
    const before = await count(contracts);
    const errors = await fieldErrors(
      as(handle.db, buyerA, now, (ctx) => createContract(ctx, contractInput(vendor.id, { frameworkIds: [] }))),
    );
    expect(errors.frameworkIds).toBe("Measure the contract against at least one framework.");
    expect(await count(contracts)).toBe(before);
  });

  it("keep shares to active agencies: a vendor organization cannot be given a share", async () => {
    const vendor = await as(handle.db, buyerA, now, (ctx) => registerVendor(ctx, vendorInput()));
    const errors = await fieldErrors(
      as(handle.db, buyerA, now, (ctx) => createContract(ctx, contractInput(vendor.id, { sharedWith: [vendor.organisationId] }))),
    );
    expect(errors.sharedWith).toBe("Share only with other participating agencies from the list.");
    expect(await handle.db.select().from(contractShares).where(eq(contractShares.agencyId, vendor.organisationId))).toEqual([]);
  });
});
