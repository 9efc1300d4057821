import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { decodeAttestationObject } from "@simplewebauthn/server/helpers";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database, Queryable } from "../../../db/client.ts";
import { passkeys, people, webauthnChallenges } from "../../../db/schema/access.ts";
import { AuditRecorder, anonymousActor } from "../audit/audit.server.ts";
import { InvalidInput, NotFound, type ModuleContext } from "../context.server.ts";
import { audienceOf } from "./audience.server.ts";
import { localSignInPolicy, reportBreakGlass } from "./directory-sign-in.server.ts";
import type { Secrets } from "./secrets.server.ts";
import { liveMemberships, openCompleteSession } from "./sessions.server.ts";

/**
 * Passkeys and security keys (WebAuthn Level 2, through `@simplewebauthn/server`; issue 19, decision 0030).
 * Anyone may register them on their account page. One signs a person in on its own — a phishing-resistant
 * first factor that counts as both factors, because the authenticator must verify the person (PIN or
 * biometric: user verification required) — or stands in for the authenticator-app code after a password.
 * Every challenge is signed by the server and spent once within five minutes (IA-2(8) replay resistance);
 * a signature counter that goes backwards (a cloned key) is refused by the library.
 */

export const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;

export type RelyingParty = { id: string; origin: string; name: string };

/** The relying party is the public address: its host is the passkey's scope, its origin the only one accepted. */
export function relyingParty(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, origin: url.origin, name: "Custody" };
}

type Purpose = "register" | "sign-in" | "second-factor";
type Client = { ip: string | null; userAgent: string | null };

/**
 * A challenge is minted without touching the database (a page that offers a passkey may be loaded by
 * anyone, any number of times): random bytes, the purpose, the person and the time, under an HMAC with
 * SESSION_SECRET. It is written down only when an answer spends it, and a second answer signed over the
 * same challenge is refused (the row already exists).
 */
function mintChallenge(secrets: Secrets, purpose: Purpose, personId: string | null, now: Date) {
  const body = Buffer.from(
    JSON.stringify({ r: randomBytes(16).toString("base64url"), p: purpose, s: personId, t: now.getTime() }),
  ).toString("base64url");
  return `${body}.${createHmac("sha256", secrets.sessionSecret).update(`webauthn:${body}`).digest("base64url")}`;
}

const ResponseShape = z.object({
  id: z.string().min(1).max(1400),
  rawId: z.string().min(1).max(1400),
  type: z.literal("public-key"),
  response: z.object({ clientDataJSON: z.string().min(1).max(10_000) }).passthrough(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

/** The browser's answer, as the form carried it (JSON); null when it is not one. */
function parseResponse(text: string): (z.infer<typeof ResponseShape> & Record<string, unknown>) | null {
  if (text.length > 40_000) return null;
  try {
    const parsed = ResponseShape.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as z.infer<typeof ResponseShape> & Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Spend the challenge the answer signed: ours (HMAC), recent, for this purpose and person, and never spent before. */
async function spendChallenge(
  db: Queryable,
  secrets: Secrets,
  clientDataJSON: string,
  purpose: Purpose,
  personId: string | null,
  now: Date,
): Promise<string | null> {
  let signed: unknown;
  try {
    signed = (JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown }).challenge;
  } catch {
    return null;
  }
  if (typeof signed !== "string" || signed.length > 400) return null;
  const [body, mac] = Buffer.from(signed, "base64url").toString("utf8").split(".");
  if (!body || !mac) return null;
  const expected = createHmac("sha256", secrets.sessionSecret).update(`webauthn:${body}`).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: { p?: unknown; s?: unknown; t?: unknown };
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as typeof claims;
  } catch {
    return null;
  }
  const age = now.getTime() - Number(claims.t);
  if (claims.p !== purpose || (claims.s ?? null) !== personId || !(age >= -60_000 && age <= CHALLENGE_LIFETIME_MS)) return null;
  const spent = await db
    .insert(webauthnChallenges)
    .values({ challenge: signed, purpose, personId, createdAt: new Date(Number(claims.t)), usedAt: now })
    .onConflictDoNothing({ target: webauthnChallenges.challenge })
    .returning({ id: webauthnChallenges.id });
  return spent.length === 1 ? signed : null;
}

/**
 * What the authenticator said of its own make: "none", a format with "-self" when it signed its attestation
 * with the credential's own key (no maker's certificate), or the bare format when it presented a certificate.
 * Custody does not check that certificate against the FIDO metadata service, and the page says so.
 */
function attestationOf(fmt: string, attestationObject: Uint8Array) {
  if (fmt === "none") return "none";
  const statement = decodeAttestationObject(new Uint8Array(attestationObject)).get("attStmt");
  return statement?.get("x5c") ? fmt : `${fmt}-self`;
}

const me = (ctx: ModuleContext) => {
  if (!ctx.actor.personId) throw new NotFound("passkeys", "none");
  return ctx.actor.personId;
};

export async function myPasskeys(ctx: ModuleContext) {
  const personId = me(ctx);
  const rows = await ctx.db
    .select({
      id: passkeys.id,
      name: passkeys.name,
      deviceType: passkeys.deviceType,
      backedUp: passkeys.backedUp,
      attestationFormat: passkeys.attestationFormat,
      createdAt: passkeys.createdAt,
      lastUsedAt: passkeys.lastUsedAt,
    })
    .from(passkeys)
    .where(eq(passkeys.personId, personId))
    .orderBy(asc(passkeys.createdAt));
  ctx.audit.record({ action: "passkey.list", objectType: "person", objectId: personId });
  return rows;
}

/** What the browser needs to create a passkey for the signed-in person. */
export async function passkeyRegistrationOptions(ctx: ModuleContext, rp: RelyingParty) {
  const personId = me(ctx);
  const [person] = await ctx.db.select({ email: people.email, name: people.name }).from(people).where(eq(people.id, personId));
  if (!person) throw new NotFound("person", personId);
  const existing = await ctx.db
    .select({ id: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.personId, personId));
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: person.email,
    userDisplayName: person.name,
    userID: new TextEncoder().encode(personId),
    attestationType: "direct",
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    challenge: mintChallenge(ctx.secrets, "register", personId, ctx.now),
  });
  return options;
}

/** Keep the passkey the browser created, once its answer checks out against the challenge we gave. */
export async function registerPasskey(ctx: ModuleContext, rp: RelyingParty, input: { response: string; name: string }) {
  const personId = me(ctx);
  const name = input.name.trim();
  if (name.length < 1 || name.length > 80)
    throw new InvalidInput({
      name: "Name the passkey so you can tell it apart later, like “YubiKey on my keyring” (up to 80 characters).",
    });
  const response = parseResponse(input.response);
  // The refusal is recorded although the transaction rolls back (InvalidInput's audit event).
  const refused = (why: string) =>
    new InvalidInput(
      {
        passkey: "The passkey could not be added: the browser's answer did not check out or took more than 5 minutes. Try again.",
      },
      { action: "passkey.register.refused", outcome: "failed", objectType: "person", objectId: personId, details: { why } },
    );
  if (!response) throw refused("not a WebAuthn answer");
  const challenge = await spendChallenge(ctx.db, ctx.secrets, response.response.clientDataJSON, "register", personId, ctx.now);
  if (!challenge) throw refused("unknown, used or expired challenge");
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: response as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (error) {
    throw refused((error as Error).message.slice(0, 300));
  }
  if (!verified.verified || !verified.registrationInfo) throw refused("not verified");
  const info = verified.registrationInfo;
  const [taken] = await ctx.db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.credentialId, info.credential.id));
  if (taken) throw new InvalidInput({ passkey: "This passkey is already registered." });
  const [row] = await ctx.db
    .insert(passkeys)
    .values({
      personId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      aaguid: info.aaguid,
      attestationFormat: attestationOf(info.fmt, info.attestationObject),
      name,
      createdAt: ctx.now,
    })
    .returning({ id: passkeys.id });
  ctx.audit.record({
    action: "passkey.registered",
    objectType: "passkey",
    objectId: row!.id,
    details: {
      name,
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      aaguid: info.aaguid,
      attestation: info.fmt,
    },
  });
  return { id: row!.id, name };
}

export async function removePasskey(ctx: ModuleContext, passkeyId: string) {
  const personId = me(ctx);
  const [gone] = await ctx.db
    .delete(passkeys)
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.personId, personId)))
    .returning({ id: passkeys.id, name: passkeys.name });
  if (!gone) throw new NotFound("passkey", passkeyId);
  ctx.audit.record({ action: "passkey.removed", objectType: "passkey", objectId: gone.id, details: { name: gone.name } });
  return gone;
}

/** Options for a passkey sign-in: any passkey of this site (discoverable), user verification required. */
export function passkeySignInOptions(secrets: Secrets, rp: RelyingParty, now: Date) {
  return generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: "required",
    challenge: mintChallenge(secrets, "sign-in", null, now),
  });
}

/** Options for a passkey as the second factor of a half-finished sign-in: only that person's passkeys. */
export async function passkeySecondFactorOptions(db: Queryable, secrets: Secrets, rp: RelyingParty, personId: string, now: Date) {
  const theirs = await db
    .select({ id: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.personId, personId));
  if (theirs.length === 0) return null;
  return generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: "preferred",
    allowCredentials: theirs.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransportFuture[] })),
    challenge: mintChallenge(secrets, "second-factor", personId, now),
  });
}

/**
 * Check a passkey's answer against one challenge and the stored key; on success the counter and the
 * last use are written. `personId` restricts it to that person's passkeys (a second factor).
 */
export async function checkPasskey(
  db: Queryable,
  secrets: Secrets,
  rp: RelyingParty,
  input: { response: string; purpose: "sign-in" | "second-factor"; personId: string | null; now: Date },
): Promise<
  | { ok: true; passkey: { id: string; name: string; personId: string }; userVerified: boolean }
  | { ok: false; why: string; personId: string | null }
> {
  const response = parseResponse(input.response);
  if (!response) return { ok: false, why: "not a WebAuthn answer", personId: null };
  const [key] = await db.select().from(passkeys).where(eq(passkeys.credentialId, response.id));
  if (!key || (input.personId && key.personId !== input.personId))
    return { ok: false, why: "no such passkey registered", personId: input.personId };
  const challenge = await spendChallenge(db, secrets, response.response.clientDataJSON, input.purpose, input.personId, input.now);
  if (!challenge) return { ok: false, why: "unknown, used or expired challenge (a replay?)", personId: key.personId };
  try {
    const verified = await verifyAuthenticationResponse({
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: key.credentialId,
        publicKey: new Uint8Array(Buffer.from(key.publicKey, "base64url")),
        counter: key.counter,
        transports: key.transports as AuthenticatorTransportFuture[],
      },
      requireUserVerification: input.purpose === "sign-in",
    });
    if (!verified.verified) return { ok: false, why: "signature not verified", personId: key.personId };
    await db
      .update(passkeys)
      .set({ counter: verified.authenticationInfo.newCounter, lastUsedAt: input.now })
      .where(eq(passkeys.id, key.id));
    return {
      ok: true,
      passkey: { id: key.id, name: key.name, personId: key.personId },
      userVerified: verified.authenticationInfo.userVerified,
    };
  } catch (error) {
    return { ok: false, why: (error as Error).message.slice(0, 300), personId: key.personId };
  }
}

export type PasskeySignInResult =
  { ok: true; token: string } | { ok: false; reason: "invalid" } | { ok: false; reason: "directory-required"; directory: string };

/** Sign in with a passkey alone: it proves possession and, by user verification, the person (both factors). */
export async function signInWithPasskey(
  db: Database,
  secrets: Secrets,
  rp: RelyingParty,
  input: { response: string; client: Client; now: Date },
): Promise<PasskeySignInResult> {
  const { client, now } = input;
  return db.transaction(async (tx) => {
    const checked = await checkPasskey(tx, secrets, rp, { response: input.response, purpose: "sign-in", personId: null, now });
    const personId = checked.ok ? checked.passkey.personId : checked.personId;
    const [person] = personId ? await tx.select().from(people).where(eq(people.id, personId)) : [];
    const audit = new AuditRecorder(
      { ...anonymousActor(client), personId: person?.id ?? null, label: person?.email ?? null },
      () => now,
    );
    audit.audience = await audienceOf(tx, person?.id, now);
    const fail = async (why: string) => {
      audit.record({
        action: "auth.login.failed",
        outcome: "failed",
        objectType: person ? "person" : undefined,
        objectId: person?.id,
        details: { method: "passkey", why },
      });
      await audit.flush(tx);
      return { ok: false as const, reason: "invalid" as const };
    };
    if (!checked.ok) return fail(checked.why);
    if (!person) return fail("no such account");
    if (person.disabledAt) return fail("account disabled");
    if (person.lockedAt) return fail("account locked");
    if ((await liveMemberships(tx, person.id, now)).length === 0) return fail("no live role");
    const policy = await localSignInPolicy(tx, audit, person.id, now, { method: "passkey" });
    if (policy.refusedBy) {
      await audit.flush(tx);
      return { ok: false as const, reason: "directory-required" as const, directory: policy.refusedBy };
    }
    const { token, id } = await openCompleteSession(tx, secrets, { personId: person.id, now, client });
    audit.actor.sessionId = id;
    audit.record({
      action: "auth.notice.acknowledged",
      objectType: "person",
      objectId: person.id,
      details: { notice: "system use (AC-8)", acknowledgedBefore: "passkey" },
    });
    audit.record({
      action: "auth.login.succeeded",
      objectType: "person",
      objectId: person.id,
      details: {
        method: "passkey",
        passkey: checked.passkey.name,
        passkeyId: checked.passkey.id,
        userVerified: checked.userVerified,
      },
    });
    if (policy.breakGlass.length > 0) await reportBreakGlass(tx, audit, person, policy.breakGlass, now);
    await audit.flush(tx);
    return { ok: true as const, token };
  });
}
