import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { organisations } from "../../db/schema/access.ts";
import { acceptInvitation, createInvitation, openInvitation } from "../modules/access/accounts.server.ts";
import { createOrganisation } from "../modules/access/organisations.server.ts";
import { permissionsOf, ROLES, type Role } from "../modules/access/permissions.ts";
import type { Secrets } from "../modules/access/secrets.server.ts";
import { totpCode } from "../modules/access/totp.server.ts";
import { type Actor, inTransaction, systemActorContext } from "../modules/context.server.ts";
import { todayIn } from "../modules/dates.ts";
import { hashPassword } from "../modules/access/passwords.server.ts";

/**
 * Demo accounts, made as real ones are: a platform administrator's invitation,
 * accepted with a password and a TOTP code. Passwords and TOTP secrets are
 * random for each installation. Tests build their accounts the same way.
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

/** The demo agencies are in Virginia: their days are Eastern days. */
export const DEMO_TIME_ZONE = "America/New_York";
export const demoToday = (now: Date) => todayIn(DEMO_TIME_ZONE, now);

/** The installation itself, acting as a platform administrator would (creating organisations, inviting people). */
const platformActor = (): Actor => ({
  ...systemActorContext("installation"),
  role: "platform-admin",
  organisationKind: "platform",
  permissions: permissionsOf("platform-admin"),
});

/** The actor a provisioned account acts as when the demo enters records through the modules. */
export const actorFor = (account: ProvisionedAccount): Actor => ({
  kind: "person",
  personId: account.personId,
  sessionId: null,
  tokenId: null,
  label: `${account.email} (demo seeding)`,
  organisationId: account.organisationId,
  ip: null,
  userAgent: "custody demo seeding",
  role: account.role,
  organisationKind: ROLES[account.role].organisationKind,
  permissions: permissionsOf(account.role),
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

/** The demo's people: one in each role, across three agencies, the platform and a vendor. */
export const DEMO_PEOPLE: { org: "platform" | "a" | "b" | "c" | "v"; role: Role; name: string; email: string }[] = [
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

/**
 * Passwords for demo accounts, hashed one after another in the background from the moment they are
 * asked for: at start-up the hashing (argon2, off the main thread) runs on the second core while the
 * server opens its database and loads its pages, instead of after, one account at a time.
 */
export function demoPasswords(count: number): { password: string; passwordHash: Promise<string> }[] {
  let previous: Promise<unknown> = Promise.resolve();
  return Array.from({ length: count }, () => {
    const password = passphrase();
    const passwordHash = previous.then(() => hashPassword(password));
    passwordHash.catch(() => {});
    previous = passwordHash.catch(() => {});
    return { password, passwordHash };
  });
}

const TOTP_STEP_MS = 30_000;

/** Create an account by inviting it and accepting the invitation, as a person would. */
export async function provisionAccount(
  db: Database,
  secrets: Secrets,
  input: {
    organisationId: string;
    role: Role;
    email: string;
    name: string;
    now: Date;
    membershipEndsAt?: Date | null;
    /** A password from demoPasswords, its hash under way; otherwise one is made here. */
    password?: { password: string; passwordHash: Promise<string> };
  },
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
  const password = input.password?.password ?? passphrase();
  const accepted = await acceptInvitation(
    db,
    secrets,
    token,
    // Enrol with the previous 30-second step's code (still accepted, as for a person whose app just rolled over), so the code
    // the authenticator shows right now stays unused: the first sign-in after a fresh demo start is never refused as a replay.
    { name: input.name, password, code: totpCode(totpSecret, new Date(input.now.getTime() - TOTP_STEP_MS)) },
    { ip: null, userAgent: "custody demo seeding" },
    input.now,
    input.password ? { passwordHash: input.password.passwordHash } : undefined,
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

/** Create an agency or vendor organisation as a platform administrator does (validated and audited). */
export function createDemoOrganisation(
  db: Database,
  secrets: Secrets,
  now: Date,
  input: { kind: "agency" | "vendor"; name: string; state?: string; ori?: string },
) {
  return inTransaction(db, { actor: platformActor(), now, secrets }, (ctx) =>
    createOrganisation(ctx, { kind: input.kind, name: input.name, state: input.state ?? "", ori: input.ori ?? "" }),
  );
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
