import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { permissionsOf, ROLES } from "../../app/modules/access/permissions.ts";
import { type Actor, inTransaction, type ModuleContext } from "../../app/modules/context.server.ts";
import type { Database } from "../../db/client.ts";
import { testClient, testSecrets } from "./accounts.ts";

/** The actor a signed-in account would be, without going through sign-in. */
export function actorOf(
  account: ProvisionedAccount,
  organisationKind: "agency" | "vendor" | "platform" = ROLES[account.role].organisationKind,
): Actor {
  return {
    kind: "person",
    personId: account.personId,
    sessionId: null,
    tokenId: null,
    label: account.email,
    organisationId: account.organisationId,
    ip: testClient.ip,
    userAgent: testClient.userAgent,
    role: account.role,
    organisationKind,
    permissions: permissionsOf(account.role),
  };
}

/** Run module code as an account, in one transaction, as a route would. */
export function as<T>(db: Database, account: ProvisionedAccount, now: Date, fn: (ctx: ModuleContext) => Promise<T>) {
  return inTransaction(db, { actor: actorOf(account), now, secrets: testSecrets }, fn);
}

/** A complete vendor form, as a procurement officer would fill it in. */
export function vendorInput(overrides: Record<string, unknown> = {}) {
  return {
    legalName: `Cloud Vendor ${Math.random().toString(36).slice(2, 8)} Inc.`,
    headquarters: "Austin, Texas",
    headquartersCountry: "US",
    serviceKinds: ["saas", "rms"],
    dataCategories: ["cji", "rms-records"],
    keyCustody: "agency",
    legalNoticeAddress: "1 Example Way, Austin, TX 78701",
    locations: [{ dataCategory: "cji", country: "US", region: "Texas" }],
    ...overrides,
  };
}

export function contractInput(vendorId: string, overrides: Record<string, unknown> = {}) {
  return { kind: "master-agreement", vendorId, title: "Records management hosting", stage: "draft", ...overrides };
}

/** A minimal, well-formed PDF. */
export function pdfBytes(text = "Custody test document") {
  const body = `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** A multipart upload request, as a browser submits the document form. */
export function uploadRequest(
  path: string,
  cookie: string,
  file: { name: string; type: string; bytes: Uint8Array },
  fields: Record<string, string> = { stage: "draft" },
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("file", new File([Buffer.from(file.bytes)], file.name, { type: file.type }));
  return new Request(`http://localhost${path}`, { method: "POST", headers: { Cookie: cookie }, body: form });
}
