import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../../db/client.ts";
import { organisations, people } from "../../../db/schema/access.ts";
import { inTransaction, systemActorContext } from "../context.server.ts";
import { acceptInvitation, createInvitation, openInvitation, platformOrganisation } from "./accounts.server.ts";
import { ROLES, type Role } from "./permissions.ts";
import type { Secrets } from "./secrets.server.ts";
import { totpCode } from "./totp.server.ts";
import { seedDemoContracts } from "../contracts/demo.server.ts";
import type { BlobStore } from "../blobs/store.server.ts";
import { seedDemoEvidence, seedDemoAcceptedEvidence, seedDemoVendorRecords } from "../evidence/demo.server.ts";

/**
 * Demo accounts for a new embedded installation: two agencies and one vendor,
 * one person in each role, created through the same invitation path as real
 * accounts. Passwords and TOTP secrets are random for each installation.
 */

export type ProvisionedAccount = {
  email: string;
  name: string;
  role: Role;
  organisation: string;
  organisationId: string;
  personId: string;
  password: string;
  totpSecret: string;
};

const platformActor = () => ({
  ...systemActorContext("installation"),
  role: "platform-admin" as const,
  organisationKind: "platform" as const,
});

/** A random passphrase of four words and a number; long, not on any common list. */
function passphrase() {
  const words = [
    "harbor",
    "granite",
    "lantern",
    "meadow",
    "orchid",
    "quartz",
    "saddle",
    "thistle",
    "willow",
    "cobalt",
    "ember",
    "falcon",
    "juniper",
    "marble",
    "pepper",
    "raven",
  ];
  const bytes = randomBytes(5);
  return `${[0, 1, 2, 3].map((i) => words[bytes[i]! % words.length]).join("-")}-${100 + (bytes[4]! % 900)}`;
}

/** Create an account by inviting it and accepting the invitation, as a person would. */
export async function provisionAccount(
  db: Database,
  secrets: Secrets,
  input: { organisationId: string; role: Role; email: string; name: string; now: Date; membershipEndsAt?: Date | null },
): Promise<ProvisionedAccount> {
  const { token } = await inTransaction(db, { actor: platformActor(), now: input.now, secrets }, (ctx) =>
    createInvitation(ctx, {
      email: input.email,
      organisationId: input.organisationId,
      role: input.role,
      membershipEndsAt: input.membershipEndsAt ?? null,
    }),
  );
  const view = await openInvitation(db, secrets, token, input.now);
  if (!view.usable) throw new Error(`invitation for ${input.email} is not usable: ${view.problem}`);
  const totpSecret = view.enrolment.manualKey.replace(/\s+/g, "");
  const password = passphrase();
  const accepted = await acceptInvitation(
    db,
    secrets,
    token,
    { name: input.name, password, code: totpCode(totpSecret, input.now) },
    { ip: null, userAgent: "custody demo seeding" },
    input.now,
  );
  const [organisation] = await db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, input.organisationId));
  return {
    email: accepted.email,
    name: input.name,
    role: input.role,
    organisation: organisation!.name,
    organisationId: input.organisationId,
    personId: accepted.personId,
    password,
    totpSecret,
  };
}

export async function createOrganisationRecord(
  db: Database,
  input: { kind: "agency" | "vendor"; name: string; state?: string; ori?: string },
) {
  const [row] = await db
    .insert(organisations)
    .values({ kind: input.kind, name: input.name, state: input.state ?? null, ori: input.ori ?? null })
    .returning();
  return row!;
}

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
  const a = await createOrganisationRecord(db, {
    kind: "agency",
    name: "Riverside Police Department",
    state: "VA",
    ori: "VA0990100",
  });
  const b = await createOrganisationRecord(db, {
    kind: "agency",
    name: "Lake County Sheriff's Office",
    state: "VA",
    ori: "VA0990200",
  });
  const c = await createOrganisationRecord(db, {
    kind: "agency",
    name: "Harbor City Police Department",
    state: "VA",
    ori: "VA0990300",
  });
  const v = await createOrganisationRecord(db, { kind: "vendor", name: "EvidenceCloud Inc." });
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

export function describeDemoAccounts(accounts: ProvisionedAccount[], url: string): string {
  const lines = [
    "Custody demo accounts — generated for this installation only. Keep this file private.",
    `Sign in at ${url}/sign-in with an e-mail and password, then the 6-digit code an authenticator app`,
    "shows for the account's TOTP secret (add it to the app as a manual key).",
    "",
  ];
  for (const a of accounts) {
    lines.push(
      `${ROLES[a.role].label} — ${a.organisation}`,
      `  e-mail:      ${a.email}`,
      `  password:    ${a.password}`,
      `  TOTP secret: ${a.totpSecret}`,
      "",
    );
  }
  return lines.join("\n");
}
