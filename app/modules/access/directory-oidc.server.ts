import { createHash } from "node:crypto";
import * as oidc from "openid-client";

/**
 * The OpenID Connect client side of directory sign-in, through `openid-client` (certified by the
 * OpenID Foundation): discovery, the authorization code flow with PKCE (S256), and every check of
 * the id token (signature against the provider's published keys, issuer, audience, expiry with 30
 * seconds of clock skew, nonce, state). Nothing here touches the database. Decision 0029.
 */

export type ProviderSettings = { issuer: string; clientId: string; clientSecret: string };

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const CACHE_MS = 10 * 60 * 1000;
const cache = new Map<string, { config: oidc.Configuration; at: number }>();

/** The provider's configuration (discovery), kept ten minutes per issuer, client and secret. */
export async function discoverProvider(settings: ProviderSettings, now = Date.now()): Promise<oidc.Configuration> {
  const key = createHash("sha256")
    .update(JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]))
    .digest("hex");
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.config;
  const url = new URL(settings.issuer);
  // Plain HTTP only for a provider on this machine (directory.server.ts refuses it anywhere else).
  const insecure = url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname);
  const config = await oidc.discovery(url, settings.clientId, settings.clientSecret, undefined, {
    // Every id token's signature is checked against the provider's published keys, even though it came
    // straight from the token endpoint (OpenID Connect Core §3.1.3.7 would let TLS stand in for it).
    execute: insecure ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks],
    timeout: 10,
  });
  cache.set(key, { config, at: now });
  return config;
}

/** What the browser keeps (in a signed cookie) between leaving for the directory and coming back. */
export type PendingDirectorySignIn = {
  connectionId: string;
  state: string;
  nonce: string;
  verifier: string;
  redirectTo: string;
  startedAt: number;
};

export async function authorizationUrl(
  settings: ProviderSettings,
  input: { callbackUrl: string; loginHint: string; connectionId: string; redirectTo: string; now: Date },
) {
  const config = await discoverProvider(settings);
  const pending: PendingDirectorySignIn = {
    connectionId: input.connectionId,
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    redirectTo: input.redirectTo,
    startedAt: input.now.getTime(),
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: input.callbackUrl,
    scope: "openid email profile",
    response_type: "code",
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: "S256",
    login_hint: input.loginHint,
  });
  return { url: url.href, pending };
}

export type IdTokenClaims = Record<string, unknown> & { iss: string; sub: string; aud: string | string[] };

/** Exchange the code and check the id token; throws (with the library's reason) on any failed check. */
export async function redeemCallback(
  settings: ProviderSettings,
  currentUrl: URL,
  pending: PendingDirectorySignIn,
  /** Claims Custody needs (the e-mail claim, the group claim): read from UserInfo when the id token lacks them. */
  wanted: string[],
) {
  const config = await discoverProvider(settings);
  const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims();
  if (!idClaims || !tokens.id_token) throw new Error("the provider sent no id token");
  let claims = idClaims as unknown as IdTokenClaims;
  // Many providers put the e-mail and groups only in UserInfo (OpenID Connect Core §5.4); ask for what
  // the id token lacks, with the access token, and take nothing from an answer about another subject.
  const missing = wanted.filter((name) => claims[name] === undefined);
  if (missing.length > 0 && config.serverMetadata().userinfo_endpoint) {
    const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    claims = { ...Object.fromEntries(missing.map((name) => [name, info[name]])), ...claims };
  }
  return {
    claims,
    /** The assertion's id for the audit trail: its jti, else a digest of the token itself. */
    assertionId:
      typeof claims.jti === "string"
        ? claims.jti
        : `sha256:${createHash("sha256").update(tokens.id_token).digest("hex").slice(0, 32)}`,
  };
}

/** RFC 8176 methods: something the person has, and something they know or are. */
const POSSESSION = new Set(["hwk", "swk", "otp", "sms", "tel", "sc"]);
const KNOWLEDGE_OR_INHERENCE = new Set(["pwd", "pin", "kba", "fpt", "face", "iris", "retina", "vbm"]);
/** acr values that providers use to say multi-factor was done. */
const MFA_ACR = new Set([
  "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
  "http://schemas.openid.net/pape/policies/2007/06/multi-factor-physical",
  "phr",
  "phrh",
  "urn:okta:loa:2fa:any",
  // SAML authentication context classes (AuthnContextClassRef) that mean a second factor was used.
  "http://schemas.microsoft.com/claims/multipleauthn",
  "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
  "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered",
  "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
  "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
  "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
]);

/**
 * Whether the directory says it already did multi-factor (CJIS Security Policy IA-2(1), IA-2(2)):
 * `amr` names "mfa", or a possession factor together with a knowledge or inherence one, or `acr` is a
 * multi-factor level. Anything else (no amr, "pwd" alone) and Custody asks for its own second factor.
 */
export function directoryDidMfa(claims: Record<string, unknown>): { mfa: boolean; amr: string[]; acr: string | null } {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === "string") : [];
  const acr = typeof claims.acr === "string" ? claims.acr : null;
  const mfa =
    amr.includes("mfa") ||
    (amr.some((m) => POSSESSION.has(m)) && amr.some((m) => KNOWLEDGE_OR_INHERENCE.has(m))) ||
    (acr !== null && MFA_ACR.has(acr));
  return { mfa, amr, acr };
}
