import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { people } from "../../db/schema/access.ts";
import { platformOrganisation } from "../modules/access/accounts.server.ts";
import type { Secrets } from "../modules/access/secrets.server.ts";
import type { BlobStore } from "../modules/blobs/store.server.ts";
import {
  createDemoOrganisation,
  DEMO_PEOPLE,
  demoPasswords,
  type ProvisionedAccount,
  provisionAccount,
} from "./accounts.server.ts";
import { seedDemoContracts } from "./contracts.server.ts";
import { seedDemoAcceptedEvidence, seedDemoEvidence, seedDemoVendorRecords } from "./evidence.server.ts";

/**
 * The demo installation: three agencies and one vendor, one person in each
 * role, then contracts, evidence, a roster and a notice, all entered through
 * the modules' own functions as the people would enter them.
 */

/** Seed the demo, unless anyone already has an account. Returns the accounts created. */
export async function seedDemo(
  db: Database,
  secrets: Secrets,
  now: Date,
  blobs: BlobStore,
  /** Passwords whose hashing the caller started early (server start-up); made here otherwise. */
  prepared?: ReturnType<typeof demoPasswords>,
): Promise<ProvisionedAccount[]> {
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(people);
  if ((count?.n ?? 0) > 0) return [];
  const passwords = prepared ?? demoPasswords(DEMO_PEOPLE.length);
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
  for (const [i, p] of DEMO_PEOPLE.entries()) {
    const password = passwords[i];
    accounts.push(
      await provisionAccount(db, secrets, {
        organisationId: ids[p.org],
        role: p.role,
        email: p.email,
        name: p.name,
        now,
        password,
      }),
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
