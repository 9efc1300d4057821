import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { createContract } from "../../app/modules/contracts/contracts.server.ts";
import { NotFound } from "../../app/modules/context.server.ts";
import {
  agencyRoster,
  decideRosterChange,
  getRosterChange,
  portalRoster,
  proposeRosterChange,
} from "../../app/modules/roster/roster.server.ts";
import { rosterFlags, trainingDueOn } from "../../app/modules/roster/vocabulary.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import { action as proposeAction } from "../../app/routes/portal.roster-propose.tsx";
import { loader as agencyFileLoader } from "../../app/routes/roster.file.tsx";
import { loader as portalFileLoader } from "../../app/routes/portal.roster-file.tsx";
import type { DatabaseHandle } from "../../db/client.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import { notifications } from "../../db/schema/notifications.ts";
import { rosterChanges, rosterFiles, rosterPeople } from "../../db/schema/roster.ts";
import { appContext, makeAccount, seedOrganisations, signIn } from "../support/accounts.ts";
import { as, contractInput, pdfBytes, uploadRequest, vendorInput } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs, thrownStatus } from "../support/routes.ts";

let handle: DatabaseHandle;
let context: AppContext;
const clock = { now: new Date("2026-11-23T15:00:00.000Z") };
let officer: ProvisionedAccount;
let buyer: ProvisionedAccount;
let outsider: ProvisionedAccount;
let rep: ProvisionedAccount;
let otherRep: ProvisionedAccount;
let repCookie: string;
let otherRepCookie: string;
let officerCookie: string;
let outsiderCookie: string;
let vendorId: string;

const person = (overrides: Record<string, string> = {}) => ({
  fullName: "Dana Whitfield",
  jobRole: "Storage administrator",
  unescortedAccess: "yes",
  fingerprintCheckedOn: "2026-01-15",
  fingerprintAgency: "Virginia State Police",
  addendumSignedOn: "2026-01-20",
  trainedOn: "2026-01-22",
  ...overrides,
});

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  context = appContext(handle.db, clock);
  const orgs = await seedOrganisations(handle.db);
  buyer = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", clock.now);
  officer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", clock.now);
  rep = await makeAccount(handle.db, orgs.vendor.id, "vendor-representative", clock.now);
  const other = await seedOrganisations(handle.db);
  outsider = await makeAccount(handle.db, other.agencyA.id, "cjis-officer", clock.now);
  otherRep = await makeAccount(handle.db, other.vendor.id, "vendor-representative", clock.now);
  const cookieOf = async (a: ProvisionedAccount) => (await signIn(handle.db, a, clock.now)).cookie;
  repCookie = await cookieOf(rep);
  otherRepCookie = await cookieOf(otherRep);
  officerCookie = await cookieOf(officer);
  outsiderCookie = await cookieOf(outsider);
  vendorId = (await as(handle.db, buyer, clock.now, (ctx) => registerVendor(ctx, vendorInput({ legalName: "Vendor V" })))).id;
  await as(handle.db, buyer, clock.now, (ctx) =>
    createContract(
      ctx,
      contractInput(vendorId, {
        stage: "signed",
        signedOn: "2026-01-10",
        effectiveOn: "2026-02-01",
        personnelRosterRequired: "on",
      }),
    ),
  );
});
afterAll(async () => {
  await handle?.close();
});

const propose = (
  personId: string | null,
  fields: Record<string, string>,
  file?: { name: string; type: string; bytes: Uint8Array },
) => {
  const path = personId ? `/portal/roster/propose?person=${personId}` : "/portal/roster/propose";
  const request = file
    ? uploadRequest(path, repCookie, file, fields)
    : new Request(`http://localhost${path}`, {
        method: "POST",
        headers: { Cookie: repCookie },
        body: Object.entries(fields).reduce((f, [k, v]) => (f.set(k, v), f), new FormData()),
      });
  return proposeAction({ request, params: {}, context } as never);
};

describe("flags on a roster entry", () => {
  it("flag no fingerprint check, no signed addendum, training older than a year, and a departure whose access stayed open", () => {
    const base = {
      fullName: "A",
      jobRole: "B",
      unescortedAccess: true,
      fingerprintCheckedOn: "2026-01-01",
      fingerprintAgency: "VSP",
      addendumSignedOn: "2026-01-01",
      trainedOn: "2026-01-01",
      leftOn: null,
      accessEndedOn: null,
    };
    expect(rosterFlags(base, "2026-11-23")).toEqual([]);
    expect(rosterFlags({ ...base, fingerprintCheckedOn: null }, "2026-11-23")).toEqual(["no-check"]);
    expect(rosterFlags({ ...base, addendumSignedOn: null }, "2026-11-23")).toEqual(["no-addendum"]);
    expect(rosterFlags({ ...base, trainedOn: "2025-11-22" }, "2026-11-23")).toEqual(["training-due"]);
    expect(rosterFlags({ ...base, trainedOn: "2025-11-23" }, "2026-11-23")).toEqual([]);
    expect(rosterFlags({ ...base, leftOn: "2026-11-01" }, "2026-11-23")).toEqual(["departed-access-open"]);
    expect(rosterFlags({ ...base, leftOn: "2026-11-01", accessEndedOn: "2026-11-05" }, "2026-11-23")).toEqual([
      "departed-access-open",
    ]);
    expect(rosterFlags({ ...base, leftOn: "2026-11-01", accessEndedOn: "2026-11-02", trainedOn: null }, "2026-11-23")).toEqual(
      [],
    );
    expect(trainingDueOn("2024-02-29")).toBe("2025-02-28");
  });
});

describe("the vendor personnel roster", () => {
  it("apply a vendor's proposed addition, with its signed Security Addendum page, only once the CJIS officer approves it", async () => {
    const page = pdfBytes("Security Addendum certification, signed");
    const response = await propose(null, person(), { name: "whitfield-addendum.pdf", type: "application/pdf", bytes: page });
    expect((response as Response).status).toBe(302);
    expect(await handle.db.select().from(rosterPeople)).toHaveLength(0);

    const waiting = await as(handle.db, officer, clock.now, (ctx) => agencyRoster(ctx, vendorId));
    expect(waiting.pending).toHaveLength(1);
    const changeId = waiting.pending[0]!.id;
    const told = await handle.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `roster-change:${changeId}`));
    expect(told.map((n) => n.personId)).toEqual([officer.personId]);

    const view = await as(handle.db, officer, clock.now, (ctx) => getRosterChange(ctx, changeId));
    expect(view.diff.map((d) => d.field)).toContain("fingerprintCheckedOn");
    expect(view.file!.filename).toBe("whitfield-addendum.pdf");
    expect(view.flagsAfter).toEqual([]);

    await as(handle.db, officer, clock.now, (ctx) => decideRosterChange(ctx, changeId, { decision: "approve", reason: "" }));
    const roster = await as(handle.db, officer, clock.now, (ctx) => agencyRoster(ctx, vendorId));
    expect(roster.people.map((p) => [p.fullName, p.flags])).toEqual([["Dana Whitfield", []]]);
    expect(roster.people[0]!.addendumFile!.filename).toBe("whitfield-addendum.pdf");

    // The signed page is encrypted at rest and comes back byte for byte, to the agency and to the vendor.
    const fileId = roster.people[0]!.addendumFileId!;
    for (const [cookie, loader, path] of [
      [officerCookie, agencyFileLoader, `/roster/files/${fileId}`],
      [repCookie, portalFileLoader, `/portal/roster/files/${fileId}`],
    ] as const) {
      const download = (await loader(loaderArgs(context, path, { rosterFileId: fileId }, { cookie }))) as Response;
      expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(page))).toBe(true);
    }
    const [stored] = await handle.db.select().from(rosterFiles).where(eq(rosterFiles.id, fileId));
    expect(stored!.blobSha256).not.toBe(stored!.sha256);
  });

  it("flag a person who left when the vendor reports the departure without ending access, and tell the vendor of the decision", async () => {
    const [dana] = await handle.db.select().from(rosterPeople);
    await propose(dana!.id, person({ leftOn: "2026-11-10" }));
    const change = (await as(handle.db, rep, clock.now, (ctx) => portalRoster(ctx))).pending[0]!;
    await as(handle.db, officer, clock.now, (ctx) => decideRosterChange(ctx, change.id, { decision: "approve", reason: "" }));
    const roster = await as(handle.db, officer, clock.now, (ctx) => agencyRoster(ctx, vendorId));
    expect(roster.people[0]!.flags).toEqual(["departed-access-open"]);
    const told = await handle.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `roster-decided:${change.id}`));
    expect(told.map((n) => n.personId)).toEqual([rep.personId]);
  });

  it("keep the roster as it was when the officer rejects a change, and show the vendor the reason", async () => {
    const [dana] = await handle.db.select().from(rosterPeople);
    await propose(dana!.id, person({ leftOn: "2026-11-10", accessEndedOn: "2026-11-11", trainedOn: "2026-11-20" }));
    const change = (await as(handle.db, rep, clock.now, (ctx) => portalRoster(ctx))).pending[0]!;
    await expect(
      as(handle.db, officer, clock.now, (ctx) => decideRosterChange(ctx, change.id, { decision: "reject", reason: "" })),
    ).rejects.toMatchObject({ fieldErrors: { reason: "Give the reason for rejecting; the vendor sees it." } });
    await as(handle.db, officer, clock.now, (ctx) =>
      decideRosterChange(ctx, change.id, { decision: "reject", reason: "Attach the training certificate first." }),
    );
    const [after] = await handle.db.select().from(rosterPeople);
    expect(after!.accessEndedOn).toBeNull();
    const portal = await as(handle.db, rep, clock.now, (ctx) => portalRoster(ctx));
    expect(portal.decided.find((c) => c.id === change.id)!.decisionReason).toBe("Attach the training certificate first.");
    await expect(
      handle.db.update(rosterChanges).set({ status: "approved" }).where(eq(rosterChanges.id, change.id)),
    ).rejects.toThrow();
  });

  it("refuse a proposal with each problem beside its field, and a renamed executable as the signed page, storing nothing", async () => {
    const before = (await handle.db.select().from(rosterChanges)).length;
    const bad = (await propose(
      null,
      person({ fullName: "", fingerprintAgency: "", trainedOn: "2027-01-01", unescortedAccess: "" }),
    )) as { data: { errors: Record<string, string> } };
    expect(bad.data.errors).toMatchObject({
      fullName: "Enter the person's full name.",
      fingerprintAgency: "Name the agency that ran the fingerprint check.",
      trainedOn: "The training date cannot be in the future.",
      unescortedAccess: "Say whether the person has unescorted access.",
    });
    const exe = (await propose(null, person({ fullName: "Sam Ortega" }), {
      name: "addendum.pdf",
      type: "application/pdf",
      bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0]),
    })) as { data: { errors: Record<string, string> } };
    expect(exe.data.errors.file).toBe(
      "“addendum.pdf” is not a PDF, PNG or JPEG file, whatever its name says. Upload the signed page in one of those formats.",
    );
    const page = (await propose(null, person({ fullName: "Sam Ortega" }), {
      name: "addendum.pdf",
      type: "application/pdf",
      bytes: new TextEncoder().encode("%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"),
    })) as { data: { errors: Record<string, string> } };
    expect(page.data.errors.file).toMatch(/^This PDF is damaged or not a PDF at all/);
    expect((await handle.db.select().from(rosterChanges)).length).toBe(before);
  });

  it("answer 404 to another vendor's representative and to an agency with no contract with the vendor", async () => {
    const [dana] = await handle.db.select().from(rosterPeople);
    const otherPropose = await thrownStatus(
      proposeAction({
        request: new Request(`http://localhost/portal/roster/propose?person=${dana!.id}`, {
          method: "POST",
          headers: { Cookie: otherRepCookie },
          body: new FormData(),
        }),
        params: {},
        context,
      } as never),
    );
    expect(otherPropose.status).toBe(404);
    const fileId = dana!.addendumFileId!;
    expect(
      (
        await thrownStatus(
          portalFileLoader(
            loaderArgs(context, `/portal/roster/files/${fileId}`, { rosterFileId: fileId }, { cookie: otherRepCookie }),
          ),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await thrownStatus(
          agencyFileLoader(loaderArgs(context, `/roster/files/${fileId}`, { rosterFileId: fileId }, { cookie: outsiderCookie })),
        )
      ).status,
    ).toBe(404);
    await expect(as(handle.db, outsider, clock.now, (ctx) => agencyRoster(ctx, vendorId))).rejects.toBeInstanceOf(NotFound);
    const [change] = await handle.db.select().from(rosterChanges).limit(1);
    await expect(as(handle.db, outsider, clock.now, (ctx) => getRosterChange(ctx, change!.id))).rejects.toBeInstanceOf(NotFound);
    await expect(
      as(handle.db, buyer, clock.now, (ctx) => decideRosterChange(ctx, change!.id, { decision: "approve", reason: "" })),
    ).rejects.toThrow("roster:approve");
    await expect(
      as(handle.db, otherRep, clock.now, (ctx) => proposeRosterChange(ctx, context.blobs, dana!.id, null, person())),
    ).rejects.toBeInstanceOf(NotFound);
  });
});
