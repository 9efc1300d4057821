import { createHash, randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import { ALL_ROLES, permissionsOf, ROLES, type Permission, type Role } from "../../app/modules/access/permissions.ts";
import routeConfig from "../../app/routes.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { accessReviews } from "../../db/schema/access.ts";
import { contractFiles } from "../../db/schema/contracts.ts";
import { evidenceKinds } from "../../db/schema/catalog.ts";
import { evidenceFiles, evidenceItemContracts, evidenceItems, evidenceVersions } from "../../db/schema/evidence.ts";
import { sealUpload } from "../../app/modules/blobs/sealed-files.server.ts";
import { noticeAgencies, notices } from "../../db/schema/notices.ts";
import { rosterChanges, rosterFiles } from "../../db/schema/roster.ts";
import { documentGenerations, documentOutputs } from "../../db/schema/documents.ts";
import { agencyExports } from "../../db/schema/portability.ts";
import { createContract } from "../../app/modules/contracts/contracts.server.ts";
import { getMatrix } from "../../app/modules/contracts/coverage.server.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import { as, contractInput, pdfBytes, vendorInput } from "../support/contracts.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { appendEvents } from "../../app/modules/audit/audit.server.ts";
import { addOrganisation, appContext, makeAccount, seedOrganisations, signIn, testSecrets } from "../support/accounts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs } from "../support/routes.ts";

/**
 * Every route in app/routes.ts, as every role, against an object of the role's
 * own organisation, of another agency and of another vendor. The expected
 * answer follows from the route's declared permission and the object's owner;
 * each denial must be in the audit trail.
 */

type RouteEntry = { path: string; file: string };
type RouteModule = { permission?: string; loader?: (args: never) => unknown };

function flatten(
  entries: {
    path?: string;
    index?: boolean;
    file: string;
    children?: unknown[];
  }[],
): RouteEntry[] {
  return entries.flatMap((e) => [{ path: e.index ? "" : (e.path ?? ""), file: e.file }]);
}
const routes = flatten(routeConfig as never);
const modules = new Map<string, RouteModule>();

type Tenant = "own" | "other-agency" | "other-vendor" | "participating";
const tenants: Tenant[] = ["own", "other-agency", "other-vendor"];
/** A contract of one's own agency, one another agency shares with it, and one it has no part in. */
const contractTenants: Tenant[] = ["own", "participating", "other-agency"];

let handle: DatabaseHandle;
let context: AppContext;
const clock = { now: new Date("2026-11-23T11:00:00.000Z") };
const cookies = new Map<Role, { cookie: string; personId: string }>();
let subjects: Record<string, Partial<Record<Tenant, string>>>;
let reviews: Record<string, Partial<Record<Tenant, string>>>;
let events: Record<string, Partial<Record<Tenant, string>>>;
let contractsByTenant: Record<string, { contractId: string; contractFileId: string }>;
let vendorId: string;
let requirementId: string;
/** An agency a platform administrator may decommission. */
let agencyId: string;
/** Evidence: A's item asked of vendor V, B's item on the contract B shares with A (also V's), and B's own item asked of vendor W. */
let evidenceByTenant: Record<string, { itemId: string; fileId: string }>;
/** Notices and roster records: vendor V's, concerning agency A (which contracts with V), and vendor W's, concerning agency B only. */
let noticesByTenant: Record<string, string>;
let rosterByTenant: Record<string, { changeId: string; rosterFileId: string }>;
/** Generated documents: agency A's own, and agency B's. */
let generationsByTenant: Record<string, string>;
/** Finished agency exports: agency A's own, and agency B's. */
let exportsByTenant: Record<string, string>;

beforeAll(async () => {
  for (const r of routes) modules.set(r.file, (await import(`../../app/${r.file}`)) as RouteModule);
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  const orgs = await seedOrganisations(handle.db);
  agencyId = orgs.agencyB.id;
  const vendorW = await addOrganisation(handle.db, {
    kind: "vendor",
    name: "Vendor W",
  });
  context = appContext(handle.db, clock);
  const home = (role: Role) =>
    ROLES[role].organisationKind === "agency"
      ? orgs.agencyA.id
      : ROLES[role].organisationKind === "vendor"
        ? orgs.vendor.id
        : orgs.platform.id;
  for (const role of ALL_ROLES) {
    const account = await makeAccount(handle.db, home(role), role, clock.now);
    cookies.set(role, {
      cookie: (await signIn(handle.db, account, clock.now)).cookie,
      personId: account.personId,
    });
  }
  // People to look at: one in each organisation a role might or might not see.
  const person = async (organisationId: string) =>
    (
      await makeAccount(
        handle.db,
        organisationId,
        organisationId === orgs.agencyA.id || organisationId === orgs.agencyB.id ? "legal" : "vendor-representative",
        clock.now,
      )
    ).personId;
  const inA = await person(orgs.agencyA.id);
  const inB = await person(orgs.agencyB.id);
  const inV = await person(orgs.vendor.id);
  const inW = await person(vendorW.id);
  subjects = {
    agency: { own: inA, "other-agency": inB, "other-vendor": inV },
    vendor: { own: inV, "other-agency": inA, "other-vendor": inW },
    platform: { own: inA, "other-agency": inB, "other-vendor": inW },
  };
  // An access review in each organisation.
  const review = async (organisationId: string, by: string) =>
    (await handle.db.insert(accessReviews).values({ organisationId, startedBy: by, startedAt: clock.now }).returning())[0]!.id;
  const [rA, rB, rV, rW] = [
    await review(orgs.agencyA.id, inA),
    await review(orgs.agencyB.id, inB),
    await review(orgs.vendor.id, inV),
    await review(vendorW.id, inW),
  ];
  reviews = {
    agency: { own: rA, "other-agency": rB, "other-vendor": rV },
    vendor: { own: rV, "other-agency": rA, "other-vendor": rW },
    platform: { own: rA, "other-agency": rB, "other-vendor": rW },
  };
  // An audit event concerning each organisation (a receipt is given only for an event the reader may see).
  const event = async (organisationId: string) => {
    const id = randomUUID();
    await handle.db.transaction((tx) =>
      appendEvents(tx, [
        {
          id,
          occurredAt: clock.now,
          actorPersonId: null,
          actorSessionId: null,
          actorTokenId: null,
          actorLabel: "matrix",
          organisationId,
          ip: null,
          userAgent: null,
          action: "test.matrix",
          objectType: null,
          objectId: null,
          outcome: "success",
          details: {},
        },
      ]),
    );
    return id;
  };
  const [eA, eB, eV, eW] = [
    await event(orgs.agencyA.id),
    await event(orgs.agencyB.id),
    await event(orgs.vendor.id),
    await event(vendorW.id),
  ];
  events = {
    agency: { own: eA, "other-agency": eB, "other-vendor": eV },
    vendor: { own: eV, "other-agency": eA, "other-vendor": eW },
    platform: { own: eA, "other-agency": eB, "other-vendor": eW },
  };
  // Contracts: A's own, B's shared with A, and B's alone; each with one document in the blob store.
  const buyerA = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", clock.now);
  const buyerB = await makeAccount(handle.db, orgs.agencyB.id, "procurement-officer", clock.now);
  vendorId = (await as(handle.db, buyerA, clock.now, (ctx) => registerVendor(ctx, vendorInput()))).id;
  const contract = async (buyer: typeof buyerA, sharedWith: string[]) => {
    const { id } = await as(handle.db, buyer, clock.now, (ctx) => createContract(ctx, contractInput(vendorId, { sharedWith })));
    const bytes = pdfBytes(id);
    const spool = path.join(context.blobs.spoolDir, `${id}.part`);
    await mkdir(context.blobs.spoolDir, { recursive: true });
    await writeFile(spool, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await context.blobs.putFile(sha256, spool, bytes.length, "application/pdf");
    const [doc] = await handle.db
      .insert(contractFiles)
      .values({
        contractId: id,
        version: 1,
        stage: "draft",
        filename: "draft.pdf",
        mediaType: "application/pdf",
        sizeBytes: bytes.length,
        sha256,
        uploadedBy: buyer.personId,
        uploadedAt: clock.now,
      })
      .returning();
    return { contractId: id, contractFileId: doc!.id };
  };
  contractsByTenant = {
    own: await contract(buyerA, []),
    participating: await contract(buyerB, [orgs.agencyA.id]),
    "other-agency": await contract(buyerB, []),
  };
  const vendorV = (await as(handle.db, buyerA, clock.now, (ctx) => registerVendor(ctx, vendorInput({ legalName: "Vendor V" }))))
    .id;
  const vendorWRecord = (
    await as(handle.db, buyerB, clock.now, (ctx) => registerVendor(ctx, vendorInput({ legalName: "Vendor W" })))
  ).id;
  const [kind] = await handle.db.select().from(evidenceKinds).limit(1);
  const evidence = async (agencyId: string, vendor: string, contractId: string) => {
    const [item] = await handle.db
      .insert(evidenceItems)
      .values({
        agencyId,
        vendorId: vendor,
        kindId: kind!.id,
        title: "Evidence",
        status: "submitted",
        currentVersion: 1,
        createdAt: clock.now,
        updatedAt: clock.now,
      })
      .returning();
    await handle.db.insert(evidenceItemContracts).values({ itemId: item!.id, contractId });
    const [version] = await handle.db
      .insert(evidenceVersions)
      .values({
        itemId: item!.id,
        version: 1,
        status: "submitted",
        fields: {},
        submittedAt: clock.now,
        submittedByOrganisationKind: "vendor",
      })
      .returning();
    const bytes = pdfBytes(item!.id);
    const spoolPath = path.join(context.blobs.spoolDir, `${item!.id}.part`);
    await writeFile(spoolPath, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const sealed = await sealUpload(context.blobs, testSecrets, {
      spoolPath,
      filename: "evidence.pdf",
      size: bytes.length,
      sha256,
      declaredType: "application/pdf",
    });
    const [file] = await handle.db
      .insert(evidenceFiles)
      .values({
        versionId: version!.id,
        filename: "evidence.pdf",
        mediaType: "application/pdf",
        sizeBytes: bytes.length,
        sha256,
        ...sealed,
        uploadedAt: clock.now,
      })
      .returning();
    return { itemId: item!.id, fileId: file!.id };
  };
  evidenceByTenant = {
    own: await evidence(orgs.agencyA.id, vendorV, contractsByTenant.own!.contractId),
    participating: await evidence(orgs.agencyB.id, vendorV, contractsByTenant.participating!.contractId),
    "other-agency": await evidence(orgs.agencyB.id, vendorWRecord, contractsByTenant["other-agency"]!.contractId),
  };
  await as(handle.db, buyerA, clock.now, (ctx) => createContract(ctx, contractInput(vendorV, { title: "Contract with V" })));
  const notice = async (vendor: string, agencyId: string) => {
    const [n] = await handle.db
      .insert(notices)
      .values({
        vendorId: vendor,
        kind: "breach-notice",
        summary: "Notice",
        occurredAt: clock.now,
        occurredZone: "UTC",
        notifiedAt: clock.now,
        notifiedZone: "UTC",
        details: {},
        filedByKind: "vendor",
        filedAt: clock.now,
      })
      .returning();
    await handle.db.insert(noticeAgencies).values({ noticeId: n!.id, agencyId, late: false });
    return n!.id;
  };
  noticesByTenant = {
    own: await notice(vendorV, orgs.agencyA.id),
    "other-agency": await notice(vendorWRecord, orgs.agencyB.id),
  };
  const roster = async (vendor: string) => {
    const bytes = pdfBytes(vendor);
    const spoolPath = path.join(context.blobs.spoolDir, `${vendor}.roster.part`);
    await writeFile(spoolPath, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const sealed = await sealUpload(context.blobs, testSecrets, {
      spoolPath,
      filename: "addendum.pdf",
      size: bytes.length,
      sha256,
      declaredType: "application/pdf",
    });
    const [file] = await handle.db
      .insert(rosterFiles)
      .values({
        vendorId: vendor,
        filename: "addendum.pdf",
        mediaType: "application/pdf",
        sizeBytes: bytes.length,
        sha256,
        ...sealed,
        uploadedAt: clock.now,
      })
      .returning();
    const [change] = await handle.db
      .insert(rosterChanges)
      .values({
        vendorId: vendor,
        kind: "add",
        proposed: { fullName: "A Person" },
        addendumFileId: file!.id,
        proposedAt: clock.now,
      })
      .returning();
    return { changeId: change!.id, rosterFileId: file!.id };
  };
  rosterByTenant = {
    own: await roster(vendorV),
    "other-agency": await roster(vendorWRecord),
  };
  // A generated document of agency A's and one of agency B's, each with its sealed PDF.
  const generation = async (agencyId: string, previousId: string | null = null) => {
    const bytes = pdfBytes(agencyId);
    const spoolPath = path.join(context.blobs.spoolDir, `${agencyId}.generated.part`);
    await writeFile(spoolPath, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const sealed = await sealUpload(context.blobs, testSecrets, {
      spoolPath,
      filename: "tco.pdf",
      size: bytes.length,
      sha256,
      declaredType: "application/pdf",
    });
    const [g] = await handle.db
      .insert(documentGenerations)
      .values({
        agencyId,
        templateId: "tco-worksheet",
        templateVersion: "1.0.0",
        templateTitle: "Total cost of ownership worksheet",
        kind: "report",
        subjectType: "agency",
        subjectLabel: "Agency",
        inputs: {},
        inputsSha256: sha256,
        model: {
          templateId: "tco-worksheet",
          templateVersion: "1.0.0",
          kind: "report",
          title: "TCO",
          subtitle: "",
          language: "en-US",
          final: true,
          inputsSha256: sha256,
          generatedAt: clock.now.toISOString(),
          blocks: [],
        },
        final: true,
        previousId,
        generatedAt: clock.now,
      })
      .returning();
    await handle.db.insert(documentOutputs).values({
      generationId: g!.id,
      format: "pdf",
      filename: "tco.pdf",
      mediaType: "application/pdf",
      sizeBytes: bytes.length,
      sha256,
      ...sealed,
    });
    return g!.id;
  };
  // Each regenerated once, so the page of its changes exists.
  generationsByTenant = {
    own: await generation(orgs.agencyA.id, await generation(orgs.agencyA.id)),
    "other-agency": await generation(orgs.agencyB.id, await generation(orgs.agencyB.id)),
  };
  // A finished agency export of A's and one of B's, each with its sealed file.
  const agencyExport = async (agencyId: string) => {
    const bytes = pdfBytes(`export ${agencyId}`);
    const spoolPath = path.join(context.blobs.spoolDir, `${agencyId}.export.part`);
    await writeFile(spoolPath, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const sealed = await sealUpload(context.blobs, testSecrets, {
      spoolPath,
      filename: "export.zip",
      size: bytes.length,
      sha256,
      declaredType: "application/zip",
    });
    const [job] = await handle.db
      .insert(agencyExports)
      .values({
        agencyId,
        requestedAt: clock.now,
        status: "complete",
        finishedAt: clock.now,
        sha256,
        sizeBytes: bytes.length,
        ...sealed,
        expiresAt: new Date(clock.now.getTime() + 86_400_000),
      })
      .returning();
    return job!.id;
  };
  exportsByTenant = { own: await agencyExport(orgs.agencyA.id), "other-agency": await agencyExport(orgs.agencyB.id) };
  const matrix = await as(handle.db, buyerA, clock.now, (ctx) => getMatrix(ctx, contractsByTenant.own!.contractId));
  requirementId = matrix.sections.find((s) => s.framework.key === "cjis-policy")!.rows.find((r) => r.code === "AC-7")!.id;
});
afterAll(async () => {
  await handle?.close();
});

/** Concrete parameters for a route path, for a role and tenant. */
function fill(path: string, role: Role, tenant: Tenant) {
  const params: Record<string, string> = {};
  const concrete = path
    .split("/")
    .map((segment) => {
      const name = segment.replace(/^:/, "").replace(/\?$/, "");
      if (!segment.startsWith(":")) return segment === "*" ? "anything" : segment;
      const value =
        name === "contractId" || name === "contractFileId"
          ? (contractsByTenant[tenant] ?? contractsByTenant.own!)[name]
          : name === "itemId" || name === "fileId"
            ? (evidenceByTenant[tenant] ?? evidenceByTenant.own!)[name]
            : name === "noticeId"
              ? (noticesByTenant[tenant] ?? noticesByTenant.own!)
              : name === "generationId"
                ? (generationsByTenant[tenant] ?? generationsByTenant.own!)
                : name === "exportId"
                  ? (exportsByTenant[tenant] ?? exportsByTenant.own!)
                  : name === "changeId" || name === "rosterFileId"
                    ? (rosterByTenant[tenant] ?? rosterByTenant.own!)[name]
                    : name === "vendorId" || name === "organisationId"
                      ? name === "vendorId"
                        ? vendorId
                        : agencyId
                      : name === "requirementId"
                        ? requirementId
                        : name === "personId"
                          ? subjects[ROLES[role].organisationKind]![tenant]!
                          : name === "reviewId"
                            ? reviews[ROLES[role].organisationKind]![tenant]!
                            : name === "eventId"
                              ? events[ROLES[role].organisationKind]![tenant]!
                              : (
                                  {
                                    framework: "cjis-policy",
                                    version: "6.0",
                                    code: "AC-7",
                                    report: "access-list",
                                    token: "not-a-real-token",
                                    templateId: "cjis-addendum",
                                    format: "pdf",
                                  } as Record<string, string>
                                )[name]!;
      params[name] = value;
      return value;
    })
    .join("/");
  return { url: `/${concrete}`, params };
}

/** Routes that show one object, owned by some organisation. */
const objectRoutes = (path: string) => /:(personId|reviewId|contractId|eventId)/.test(path);
/** Routes that show a notice or a roster record: the agency's or vendor's own, or another's. */
const recordRoutes = (path: string) => /:(noticeId|changeId|rosterFileId|generationId|exportId)/.test(path);
const tenantsOf = (path: string) =>
  /:(contractId|itemId)/.test(path)
    ? contractTenants
    : recordRoutes(path)
      ? (["own", "other-agency"] as Tenant[])
      : objectRoutes(path)
        ? tenants
        : (["own"] as Tenant[]);

function expected(permission: string, path: string, role: Role, tenant: Tenant): "allow" | 403 | 404 {
  if (permission === "public" || permission === "signed-in") return "allow";
  if (!permissionsOf(role).has(permission as Permission)) return 403;
  // A shared contract is read by the participating agency and changed only by its owner.
  if (/:contractId/.test(path))
    return tenant === "own" || (tenant === "participating" && permission !== "contract:edit") ? "allow" : 404;
  // Evidence on a shared contract is read by the participating agency; the vendor asked sees its own, from any agency.
  if (/:itemId/.test(path)) return tenant === "other-agency" ? 404 : "allow";
  // The platform administrator exports any agency, and takes the file.
  if (/:exportId/.test(path) && role === "platform-admin") return "allow";
  if (recordRoutes(path)) return tenant === "own" ? "allow" : 404;
  if (objectRoutes(path) && tenant !== "own" && role !== "platform-admin") return 404;
  return "allow";
}

async function outcome(mod: RouteModule, url: string, params: Record<string, string>, cookie: string): Promise<"allow" | number> {
  try {
    const result = await mod.loader!(loaderArgs(context, url, params, { cookie }) as never);
    if (result instanceof Response && result.status >= 400) return result.status;
    return "allow";
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status >= 300 && thrown.status < 400 ? "allow" : thrown.status;
    const status = (thrown as { init?: { status?: number } }).init?.status;
    if (status) return status;
    throw thrown;
  }
}

describe("the route table", () => {
  it("has every route declare the permission it needs", () => {
    const missing = routes.filter((r) => typeof modules.get(r.file)?.permission !== "string").map((r) => r.file);
    expect(missing).toEqual([]);
    const known = new Set<string>([
      "public",
      "signed-in",
      "any-token",
      ...Object.keys(permissionsOf("platform-admin")),
      ...ALL_ROLES.flatMap((r) => [...permissionsOf(r)]),
    ]);
    for (const r of routes) expect(known.has(modules.get(r.file)!.permission!), r.file).toBe(true);
  });

  it("answers every page, for every role and tenant, as its permission and the object's owner say; every denial is audited", async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const mod = modules.get(route.file)!;
      // The API and SCIM answer tokens only; the last test of this file holds them to that.
      if (!mod.loader || mod.permission === "public" || route.path.startsWith("api/") || route.path.startsWith("scim/")) continue;
      for (const role of ALL_ROLES) {
        for (const tenant of tenantsOf(route.path)) {
          const { url, params } = fill(route.path, role, tenant);
          const want = expected(mod.permission!, route.path, role, tenant);
          const got = await outcome(mod, url, params, cookies.get(role)!.cookie);
          checked += 1;
          if (got !== want) {
            mismatches.push(`${role} ${tenant} GET ${url}: expected ${want}, got ${got}`);
            continue;
          }
          if (want === 403 || want === 404) {
            const action = want === 403 ? "access.denied" : "access.not-found";
            const found = await handle.db
              .select({ seq: auditEvents.seq, details: auditEvents.details })
              .from(auditEvents)
              .where(
                and(
                  eq(auditEvents.action, action),
                  eq(auditEvents.actorPersonId, cookies.get(role)!.personId),
                  eq(auditEvents.outcome, "denied"),
                ),
              );
            if (!found.some((e) => (e.details as { path?: string }).path === url.split("?")[0]))
              mismatches.push(`${role} ${tenant} GET ${url}: ${want} not in the audit trail`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  });

  it("answers every API route without a token with a JSON 401, even for a signed-in browser", async () => {
    for (const route of routes.filter((r) => r.path.startsWith("api/v1") || r.path.startsWith("scim/"))) {
      const mod = modules.get(route.file)!;
      const { url, params } = fill(route.path, "platform-admin", "own");
      const response = await (
        mod.loader!(
          loaderArgs(context, url, params, {
            cookie: cookies.get("platform-admin")!.cookie,
          }) as never,
        ) as Promise<Response>
      ).catch((r: unknown) => r as Response);
      expect(response.status, url).toBe(401);
      expect(response.headers.get("Content-Type"), url).toMatch(/application\/(scim\+)?json/);
    }
  });
});
