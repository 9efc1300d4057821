import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { people } from "../../db/schema/access.ts";
import { platformOrganisation } from "../modules/access/accounts.server.ts";
import type { Role } from "../modules/access/permissions.ts";
import type { Secrets } from "../modules/access/secrets.server.ts";
import type { BlobStore } from "../modules/blobs/store.server.ts";
import { createDemoOrganisation, type ProvisionedAccount, provisionAccount } from "./accounts.server.ts";
import { seedDemoContracts } from "./contracts.server.ts";
import { seedDemoAcceptedEvidence, seedDemoEvidence, seedDemoVendorRecords } from "./evidence.server.ts";

/**
 * The demo installation: three agencies and one vendor, one person in each
 * role, then contracts, evidence, a roster and a notice, all entered through
 * the modules' own functions as the people would enter them.
 */

const demoPeople: { org: "platform" | "a" | "b" | "c" | "v"; role: Role; name: string; email: string }[] = [
  { org: "platform", role: "platform-admin", name: "Pat Morales", email: "platform.admin@custody.example" },
  { org: "a", role: "agency-admin", name: "Alex Rivera", email: "admin@riverside-pd.example" },
  { org: "a", role: "procurement-officer", name: "Jordan Lee", email: "procurement@riverside-pd.example" },
  { org: "a", role: "cjis-officer", name: "Sam Okafor", email: "cjis@riverside-pd.example" },
  { org: "a", role: "legal", name: "Dana Whitfield", email: "legal@riverside-pd.example" },
  { org: "a", role: "auditor", name: "Chris Nakamura", email: "auditor@riverside-pd.example" },
  { org: "b", role: "agency-admin", name: "Morgan Price", email: "admin@lakecounty-so.example" },
  { org: "b", role: "cjis-officer", name: "Taylor Brooks", email: "cjis@lakecounty-so.example" },
  { org: "b", role: "procurement-officer", name: "Avery Santos", email: "procurement@lakecounty-so.example" },
  { org: "c", role: "cjis-officer", name: "Riley Chen", email: "cjis@harborcity-pd.example" },
  { org: "v", role: "vendor-admin", name: "Robin Castillo", email: "admin@evidencecloud.example" },
  { org: "v", role: "vendor-representative", name: "Casey Duncan", email: "rep@evidencecloud.example" },
];

/** Seed the demo, unless anyone already has an account. Returns the accounts created. */
export async function seedDemo(db: Database, secrets: Secrets, now: Date, blobs: BlobStore): Promise<ProvisionedAccount[]> {
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(people);
  if ((count?.n ?? 0) > 0) return [];
  const platform = await platformOrganisation(db);
  const a = await createDemoOrganisation(db, secrets, now, {
    kind: "agency",
    name: "Riverside Police Department",
    state: "VA",
    ori: "VA0990100",
  });
  const b = await createDemoOrganisation(db, secrets, now, {
    kind: "agency",
    name: "Lake County Sheriff's Office",
    state: "VA",
    ori: "VA0990200",
  });
  const c = await createDemoOrganisation(db, secrets, now, {
    kind: "agency",
    name: "Harbor City Police Department",
    state: "VA",
    ori: "VA0990300",
  });
  const v = await createDemoOrganisation(db, secrets, now, { kind: "vendor", name: "EvidenceCloud Inc." });
  const ids = { platform: platform.id, a: a.id, b: b.id, c: c.id, v: v.id };
  const accounts: ProvisionedAccount[] = [];
  for (const p of demoPeople) {
    accounts.push(
      await provisionAccount(db, secrets, { organisationId: ids[p.org], role: p.role, email: p.email, name: p.name, now }),
    );
  }
  const procurement = accounts.find((x) => x.role === "procurement-officer" && x.organisationId === a.id)!;
  const { evidenceContractId } = await seedDemoContracts(db, secrets, now, { procurement, shareWith: b.id });
  const officer = accounts.find((x) => x.role === "cjis-officer" && x.organisationId === a.id)!;
  await seedDemoEvidence(db, secrets, now, { officer, contractId: evidenceContractId });
  const representative = accounts.find((x) => x.role === "vendor-representative")!;
  await seedDemoVendorRecords(db, secrets, now, { officer, representative, blobs });
  await seedDemoAcceptedEvidence(db, secrets, now, { officer, representative, blobs });
  return accounts;
}
