import { mkdtempSync } from "node:fs";
import { testSigner } from "./audit.ts";
import os from "node:os";
import path from "node:path";
import { FileSystemBlobStore } from "../../app/modules/blobs/store.server.ts";
import type { AppContext } from "../../app/context.ts";
import { setSessionCookie } from "../../app/http/cookies.server.ts";
import { platformOrganisation } from "../../app/modules/access/accounts.server.ts";
import { createDemoOrganisation, provisionAccount, type ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import type { Role } from "../../app/modules/access/permissions.ts";
import { signInWithPassword, verifySecondFactor } from "../../app/modules/access/sign-in.server.ts";
import { totpCode } from "../../app/modules/access/totp.server.ts";
import type { Database } from "../../db/client.ts";

export const testSecrets = { sessionSecret: "test-session-secret-".repeat(3), encryptionKey: "1f".repeat(32) };
export const testClient = { ip: "192.0.2.10", userAgent: "vitest" };

/** An agency or vendor, created as a platform administrator creates one. */
export const addOrganisation = (db: Database, input: Parameters<typeof createDemoOrganisation>[3]) =>
  createDemoOrganisation(db, testSecrets, new Date(), input);

/** The platform, two agencies and a vendor. */
export async function seedOrganisations(db: Database) {
  return {
    platform: await platformOrganisation(db),
    agencyA: await addOrganisation(db, {
      kind: "agency",
      name: "Agency A",
      state: "VA",
      ori: `VA${Math.random().toString().slice(2, 9)}`,
    }),
    agencyB: await addOrganisation(db, {
      kind: "agency",
      name: "Agency B",
      state: "MD",
      ori: `MD${Math.random().toString().slice(2, 9)}`,
    }),
    vendor: await addOrganisation(db, { kind: "vendor", name: "Vendor V" }),
  };
}

let counter = 0;
export async function makeAccount(
  db: Database,
  organisationId: string,
  role: Role,
  now: Date,
  extra: { membershipEndsAt?: Date | null } = {},
) {
  counter += 1;
  return provisionAccount(db, testSecrets, {
    organisationId,
    role,
    email: `${role}.${counter}.${Date.now()}@example.test`,
    name: `Test ${role} ${counter}`,
    now,
    membershipEndsAt: extra.membershipEndsAt ?? null,
  });
}

/**
 * Sign in with password and the TOTP code of the next time step (the enrolment
 * used the current one). Returns the session token and its Cookie header.
 */
export async function signIn(db: Database, account: ProvisionedAccount, now: Date) {
  const first = await signInWithPassword(db, testSecrets, {
    email: account.email,
    password: account.password,
    client: testClient,
    now,
  });
  if (!first.ok) throw new Error(`password step failed: ${first.reason}`);
  const code = totpCode(account.totpSecret, new Date(now.getTime() + 30_000));
  const second = await verifySecondFactor(db, testSecrets, { token: first.token, code, client: testClient, now });
  if (!second.ok) throw new Error(`second factor failed: ${second.reason}`);
  return { token: second.token, cookie: await cookieHeader(second.token) };
}

export async function cookieHeader(token: string) {
  return (await setSessionCookie(new Request("http://localhost/"), token)).split(";")[0]!;
}

/** The load context the server would build, with a clock the test controls. */
export function appContext(db: Database, clock: { now: Date }): AppContext {
  const blobs = new FileSystemBlobStore(mkdtempSync(path.join(os.tmpdir(), "custody-blobs-")));
  return {
    db,
    cspNonce: "test-nonce",
    secrets: testSecrets,
    client: testClient,
    now: () => clock.now,
    mailer: null,
    publicUrl: "http://custody.test",
    blobs,
    uploadMaxBytes: 50 * 1024 * 1024,
    auditPublicKeyPem: testSigner.publicKeyPem,
  };
}
