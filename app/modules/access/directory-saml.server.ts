import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from "@node-saml/node-saml";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { type directoryConnections, directoryRequests } from "../../../db/schema/access.ts";
import { directoryDidMfa } from "./directory-oidc.server.ts";
import { SAML_CALLBACK_PATH } from "./directory-paths.ts";

/**
 * The SAML 2.0 service-provider side of directory sign-in, through `@node-saml/node-saml`, for
 * directories that speak only SAML (ADFS). Custody sends a request by the HTTP-Redirect binding and
 * takes the answer by HTTP-POST. The answer's assertion must be signed with the identity provider's
 * certificate; its issuer, audience (Custody's entity ID), recipient and time window are checked with
 * 30 seconds of clock skew; and its InResponseTo must name a request Custody sent in the last 10
 * minutes and never answered before (no unsolicited, no replayed responses). Decision 0029.
 */

export const SAML_REQUEST_LIFETIME_MS = 10 * 60 * 1000;

const base = (publicUrl: string) => publicUrl.replace(/\/$/, "");
/** Custody's entity ID as a service provider: the audience every assertion must name. */
export const serviceProviderEntityId = (publicUrl: string) => `${base(publicUrl)}${SAML_CALLBACK_PATH}`;

type Connection = typeof directoryConnections.$inferSelect;

function samlFor(connection: Connection, publicUrl: string, cacheProvider: CacheProvider) {
  return new SAML({
    entryPoint: connection.samlEntryPoint ?? "",
    issuer: serviceProviderEntityId(publicUrl),
    callbackUrl: `${base(publicUrl)}${SAML_CALLBACK_PATH}`,
    audience: serviceProviderEntityId(publicUrl),
    idpCert: connection.samlCertificate ?? "",
    idpIssuer: connection.issuer,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: SAML_REQUEST_LIFETIME_MS,
    acceptedClockSkewMs: 30_000,
    // Leave the strength to the directory's policy; its answer says what it did (AuthnContextClassRef).
    disableRequestedAuthnContext: true,
    cacheProvider,
  });
}

/** Where to send the browser: the identity provider's sign-in, with a request Custody remembers. */
export async function samlAuthorizationUrl(
  db: Queryable,
  connection: Connection,
  publicUrl: string,
  redirectTo: string,
  now: Date,
) {
  const remember: CacheProvider = {
    saveAsync: async (key, value) => {
      await db.insert(directoryRequests).values({ id: key, connectionId: connection.id, redirectTo, createdAt: now });
      return { value, createdAt: now.getTime() };
    },
    getAsync: () => Promise.resolve(null),
    removeAsync: () => Promise.resolve(null),
  };
  // The RelayState names the connection, so the answer is checked against that directory's certificate.
  return samlFor(connection, publicUrl, remember).getAuthorizeUrlAsync(connection.id, undefined, {});
}

/** The attributes and strength of a checked assertion, in the same shape as an OpenID Connect answer. */
function claimsOf(profile: Profile) {
  const claims: Record<string, unknown> = { ...profile };
  if (profile.nameIDFormat?.endsWith(":emailAddress") && claims.email === undefined) claims.email = profile.nameID;
  const xml = profile.getAssertionXml?.() ?? "";
  const classRef = /<(?:\w+:)?AuthnContextClassRef>\s*([^<\s]+)\s*</.exec(xml)?.[1] ?? null;
  const assertionId = /<(?:\w+:)?Assertion\b[^>]*\sID="([^"]+)"/.exec(xml)?.[1] ?? profile.ID ?? "unknown";
  return { claims, assertionId, mfa: directoryDidMfa({ acr: classRef }) };
}

/** Check a posted SAMLResponse; throws with the reason when any check fails. */
export async function redeemSamlResponse(
  db: Queryable,
  connection: Connection,
  publicUrl: string,
  samlResponse: string,
  now: Date,
) {
  let answered: { redirectTo: string } | null = null;
  const requests: CacheProvider = {
    saveAsync: () => Promise.resolve(null),
    getAsync: async (key) => {
      const [row] = await db
        .select()
        .from(directoryRequests)
        .where(
          and(
            eq(directoryRequests.id, key),
            eq(directoryRequests.connectionId, connection.id),
            isNull(directoryRequests.usedAt),
            gt(directoryRequests.createdAt, new Date(now.getTime() - SAML_REQUEST_LIFETIME_MS)),
          ),
        );
      return row ? new Date(row.createdAt).toISOString() : null;
    },
    // Called once the request is answered (or the answer failed): never again usable.
    removeAsync: async (key) => {
      if (!key) return null;
      const [row] = await db
        .update(directoryRequests)
        .set({ usedAt: now })
        .where(
          and(eq(directoryRequests.id, key), eq(directoryRequests.connectionId, connection.id), isNull(directoryRequests.usedAt)),
        )
        .returning();
      if (row) answered = { redirectTo: row.redirectTo };
      return row ? key : null;
    },
  };
  const { profile } = await samlFor(connection, publicUrl, requests).validatePostResponseAsync({ SAMLResponse: samlResponse });
  if (!profile) throw new Error("the response holds no assertion");
  const done = answered as { redirectTo: string } | null;
  if (!done) throw new Error("the response answers no request Custody sent");
  const { claims, assertionId, mfa } = claimsOf(profile);
  return { assertion: { claims, subject: profile.nameID, assertionId, mfa }, redirectTo: done.redirectTo };
}
