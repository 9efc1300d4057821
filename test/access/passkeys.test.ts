import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import {
  checkPasskey,
  passkeySecondFactorOptions,
  passkeySignInOptions,
  registerPasskey,
  relyingParty,
  removePasskey,
} from "../../app/modules/access/passkeys.server.ts";
import { InvalidInput, NotFound } from "../../app/modules/context.server.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { passkeys, webauthnChallenges } from "../../db/schema/access.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { makeAccount, seedOrganisations, testSecrets } from "../support/accounts.ts";
import { as } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";

/**
 * The server side of passkeys that a browser cannot show: challenges are Custody's own (signed), used
 * once, within five minutes, for one purpose and one person; a passkey belongs to one person. (The
 * ceremonies themselves run in Chromium's virtual authenticator: test/e2e/identity-browser.test.ts.)
 */

let handle: DatabaseHandle;
const now = new Date("2026-12-01T15:00:00.000Z");
const rp = relyingParty("http://custody.test");
let person: ProvisionedAccount;
let other: ProvisionedAccount;

beforeAll(async () => {
  handle = await createTestDatabase();
  const orgs = await seedOrganisations(handle.db);
  person = await makeAccount(handle.db, orgs.agencyA.id, "legal", now);
  other = await makeAccount(handle.db, orgs.agencyA.id, "auditor", now);
  await handle.db.insert(passkeys).values({
    personId: person.personId,
    credentialId: "cred-of-the-person",
    publicKey: Buffer.from("not a real key").toString("base64url"),
    deviceType: "singleDevice",
    name: "Test key",
    createdAt: now,
  });
});
afterAll(async () => {
  await handle?.close();
});

/** An answer over `challenge` whose signature is nonsense: enough to reach the challenge and key checks. */
function answer(challenge: string, credentialId = "cred-of-the-person") {
  const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge, origin: rp.origin })).toString(
    "base64url",
  );
  return JSON.stringify({
    id: credentialId,
    rawId: credentialId,
    type: "public-key",
    response: { clientDataJSON, authenticatorData: "AAAA", signature: "AAAA" },
    clientExtensionResults: {},
  });
}

const check = (response: string, at = now, purpose: "sign-in" | "second-factor" = "sign-in", personId: string | null = null) =>
  checkPasskey(handle.db, testSecrets, rp, { response, purpose, personId, now: at });

describe("passkey challenges and ownership", () => {
  it("spends a challenge on its first answer, so the same answer sent again is refused as a replay", async () => {
    const options = await passkeySignInOptions(testSecrets, rp, now);
    const first = await check(answer(options.challenge));
    expect(first.ok).toBe(false);
    expect((first as { why: string }).why).not.toMatch(/challenge/);
    const again = await check(answer(options.challenge));
    expect(again).toMatchObject({ ok: false, why: expect.stringMatching(/used or expired challenge/) });
    const rows = await handle.db.select().from(webauthnChallenges).where(eq(webauthnChallenges.challenge, options.challenge));
    expect(rows).toHaveLength(1);
  });

  it("refuses a challenge it did not sign, one older than five minutes, and one minted for another purpose or person", async () => {
    const forged = Buffer.from(`${Buffer.from("{}").toString("base64url")}.bm90LXRoZS1tYWM`).toString("base64url");
    expect(await check(answer(forged))).toMatchObject({ why: expect.stringMatching(/challenge/) });
    const old = await passkeySignInOptions(testSecrets, rp, now);
    expect(await check(answer(old.challenge), new Date(now.getTime() + 6 * 60_000))).toMatchObject({
      why: expect.stringMatching(/challenge/),
    });
    const secondFactor = await passkeySecondFactorOptions(handle.db, testSecrets, rp, person.personId, now);
    expect(secondFactor).not.toBeNull();
    expect(await check(answer(secondFactor!.challenge))).toMatchObject({ why: expect.stringMatching(/challenge/) });
    expect(await check(answer(secondFactor!.challenge), now, "second-factor", other.personId)).toMatchObject({
      ok: false,
      why: "no such passkey registered",
    });
  });

  it("offers no passkey step to a person who has none", async () => {
    expect(await passkeySecondFactorOptions(handle.db, testSecrets, rp, other.personId, now)).toBeNull();
  });

  it("refuses a registration whose answer is not a WebAuthn answer, or that has no name, and says why next to the field", async () => {
    const refused = await as(handle.db, person, now, (ctx) => registerPasskey(ctx, rp, { response: "{}", name: "Phone" })).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(InvalidInput);
    expect((refused as InvalidInput).fieldErrors.passkey).toMatch(/could not be added/);
    const noName = await as(handle.db, person, now, (ctx) => registerPasskey(ctx, rp, { response: "{}", name: " " })).catch(
      (e: unknown) => e,
    );
    expect((noName as InvalidInput).fieldErrors.name).toMatch(/Name the passkey/);
  });

  it("lets nobody remove another person's passkey", async () => {
    const [key] = await handle.db.select().from(passkeys).where(eq(passkeys.personId, person.personId));
    const attempt = await as(handle.db, other, now, (ctx) => removePasskey(ctx, key!.id)).catch((e: unknown) => e);
    expect(attempt).toBeInstanceOf(NotFound);
    await as(handle.db, person, now, (ctx) => removePasskey(ctx, key!.id));
    const [removed] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "passkey.removed"));
    expect(removed?.objectId).toBe(key!.id);
  });
});
