import { deflateRawSync } from "node:zlib";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { saveDirectory, type DirectorySettingsInput } from "../../app/modules/access/directory.server.ts";
import { finishSamlSignIn, startDirectorySignIn } from "../../app/modules/access/directory-sign-in.server.ts";
import { resolveSession } from "../../app/modules/access/sessions.server.ts";
import { InvalidInput } from "../../app/modules/context.server.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { directoryConnections } from "../../db/schema/access.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { makeAccount, seedOrganisations, testClient, testSecrets } from "../support/accounts.ts";
import { as } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";
import { directorySettings, lastDirectoryRefusal } from "../support/directory.ts";
import { startSamlDirectory, type SamlDirectory } from "../support/saml-directory.ts";

/**
 * Signing in through a SAML directory (think ADFS), with `samlify` as the identity provider: the
 * administrator pastes its metadata; a signed assertion answering Custody's request admits the person;
 * an unsigned one, one signed with another key, one for another audience, one answering no request of
 * ours, and the same response posted twice are refused, and each refusal is recorded.
 */

let handle: DatabaseHandle;
let idp: SamlDirectory;
const clock = { now: new Date() };
const publicUrl = "http://custody.test";
let admin: ProvisionedAccount;
let officer: ProvisionedAccount;

const settings = (overrides: Partial<DirectorySettingsInput> = {}) =>
  directorySettings({ protocol: "saml", displayName: "Agency A ADFS", samlMetadata: idp.metadata, ...overrides });

beforeAll(async () => {
  handle = await createTestDatabase();
  idp = await startSamlDirectory(`${publicUrl}/sign-in/directory/saml`);
  const orgs = await seedOrganisations(handle.db);
  admin = await makeAccount(handle.db, orgs.agencyA.id, "agency-admin", clock.now);
  officer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", clock.now);
});
afterAll(async () => {
  await idp?.close();
  await handle?.close();
});
beforeEach(() => {
  clock.now = new Date(Date.now());
});

async function send(email: string, options: Parameters<SamlDirectory["respond"]>[2] = {}) {
  const started = await startDirectorySignIn(handle.db, testSecrets, {
    email,
    redirectTo: "/evidence",
    publicUrl,
    client: testClient,
    now: clock.now,
  });
  if (!started.ok) throw new Error(`start refused: ${started.reason}`);
  const [connection] = await handle.db.select().from(directoryConnections);
  const samlResponse = await idp.respond(started.url, email, options);
  const post = () =>
    finishSamlSignIn(handle.db, testSecrets, {
      relayState: connection!.id,
      samlResponse,
      publicUrl,
      client: testClient,
      now: clock.now,
    });
  return { started, post };
}

const lastRefusal = () => lastDirectoryRefusal(handle.db);

describe("directory sign-in (SAML 2.0)", () => {
  it("refuses metadata that is not XML, or describes no identity provider, and a certificate it cannot read, next to the field", async () => {
    const attempt = (input: DirectorySettingsInput) =>
      as(handle.db, admin, clock.now, (ctx) => saveDirectory(ctx, input, publicUrl)).then(
        () => new InvalidInput({}),
        (e: unknown) => e as InvalidInput,
      );
    expect((await attempt(settings({ samlMetadata: "<not xml" }))).fieldErrors.samlMetadata).toMatch(/not well-formed XML/);
    expect((await attempt(settings({ samlMetadata: "<EntityDescriptor/>" }))).fieldErrors.samlMetadata).toMatch(
      /no identity provider/,
    );
    const byHand = await attempt(
      settings({
        samlMetadata: "",
        samlEntityId: idp.entityId,
        samlEntryPoint: "http://adfs.example.gov/adfs/ls/",
        samlCertificate: "MIIB",
      }),
    );
    expect(byHand.fieldErrors.samlEntryPoint).toMatch(/https/);
    expect(byHand.fieldErrors.samlCertificate).toMatch(/signing certificate/);
  });

  it("reads the entity ID, sign-in address and signing certificate from pasted metadata", async () => {
    await as(handle.db, admin, clock.now, (ctx) => saveDirectory(ctx, settings(), publicUrl));
    const [row] = await handle.db.select().from(directoryConnections);
    expect(row).toMatchObject({ protocol: "saml", issuer: idp.entityId, samlEntryPoint: idp.entryPoint, clientId: null });
    expect(row?.samlCertificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it("sends the person to the identity provider with a request, and admits them on a signed assertion answering it", async () => {
    const { started, post } = await send(officer.email);
    expect(started.url.startsWith(idp.entryPoint)).toBe(true);
    const result = await post();
    // The default assertion says only that a password was used: Custody asks for its own second factor.
    expect(result).toMatchObject({ ok: true, next: "second-factor", redirectTo: "/evidence" });
    const session = await resolveSession(handle.db, testSecrets, (result as { token: string }).token, clock.now);
    expect(session.status).toBe("pending-mfa");
    const [accepted] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.login.directory-accepted"), eq(auditEvents.actorPersonId, officer.personId)));
    expect(accepted?.details).toMatchObject({ protocol: "saml", issuer: idp.entityId, subject: officer.email });
    expect(String((accepted?.details as Record<string, unknown>).assertionId)).toMatch(/\S/);
  });

  it("refuses the same response posted a second time (a replayed assertion)", async () => {
    const { post } = await send(officer.email);
    expect((await post()).ok).toBe(true);
    expect(await post()).toMatchObject({ ok: false, reason: "refused" });
    expect(String((await lastRefusal())?.check)).toMatch(/InResponseTo/);
  });

  it("refuses an unsigned assertion", async () => {
    const { post } = await send(officer.email, { unsigned: true });
    expect(await post()).toMatchObject({ ok: false, reason: "refused" });
    expect(String((await lastRefusal())?.check)).toMatch(/signature/i);
  });

  it("refuses an assertion signed with a key the agency did not register", async () => {
    const { post } = await send(officer.email, { otherKey: true });
    expect(await post()).toMatchObject({ ok: false, reason: "refused" });
    expect(String((await lastRefusal())?.check)).toMatch(/signature/i);
  });

  it("refuses an assertion meant for another service provider (audience)", async () => {
    const { post } = await send(officer.email, { audience: "https://other-app.example.gov/saml" });
    expect(await post()).toMatchObject({ ok: false, reason: "refused" });
    expect(String((await lastRefusal())?.check)).toMatch(/audience/i);
  });

  it("refuses a response that answers no request Custody sent (unsolicited)", async () => {
    const [connection] = await handle.db.select().from(directoryConnections);
    const forged = deflateRawSync(Buffer.from('<samlp:AuthnRequest ID="_never-sent-by-custody"/>')).toString("base64");
    const samlResponse = await idp.respond(`${idp.entryPoint}?SAMLRequest=${encodeURIComponent(forged)}`, officer.email);
    const result = await finishSamlSignIn(handle.db, testSecrets, {
      relayState: connection!.id,
      samlResponse,
      publicUrl,
      client: testClient,
      now: clock.now,
    });
    expect(result).toMatchObject({ ok: false, reason: "refused" });
    expect(String((await lastRefusal())?.check)).toMatch(/InResponseTo/);
  });
});
