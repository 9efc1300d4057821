import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import type { DirectorySettingsInput } from "../../app/modules/access/directory.server.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

/**
 * An OpenID provider whose id tokens each test shapes (claims, key, lifetime): the real HTTP
 * endpoints a directory serves (discovery, keys, token), so that Custody's client does its real
 * checks, and a test can hand it a token signed with the wrong key, for another audience, with
 * another nonce, expired, or unsigned. The happy path in a browser uses `oidc-provider` instead.
 */
export type ForgedToken = {
  claims: Record<string, unknown>;
  /** Sign with a key the provider does not publish. */
  wrongKey?: boolean;
  /** Send an unsigned token (alg "none"). */
  unsigned?: boolean;
  /** Seconds from now until exp (negative: already expired). */
  expiresIn?: number;
};

export type TokenForge = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The next token the token endpoint hands out. */
  next: ForgedToken | null;
  /** What the token endpoint received last (grant type, code verifier, redirect URI). */
  lastTokenRequest: URLSearchParams | null;
  close(): Promise<void>;
};

export async function startTokenForge(): Promise<TokenForge> {
  const good = await generateKeyPair("RS256", { extractable: true });
  const other = await generateKeyPair("RS256", { extractable: true });
  const jwk: JWK = { ...(await exportJWK(good.publicKey)), kid: "forge-1", alg: "RS256", use: "sig" };
  const forge: TokenForge = {
    issuer: "",
    clientId: "custody-test-client",
    clientSecret: "forge-secret",
    next: null,
    lastTokenRequest: null,
    close: async () => undefined,
  };
  const sign = async (t: ForgedToken) => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: forge.issuer,
      aud: forge.clientId,
      iat: now,
      exp: now + (t.expiresIn ?? 300),
      ...t.claims,
    };
    if (t.unsigned) {
      const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
      return `${part({ alg: "none", typ: "JWT" })}.${part(payload)}.`;
    }
    const key: CryptoKey = t.wrongKey ? other.privateKey : good.privateKey;
    return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid: "forge-1", typ: "JWT" }).sign(key);
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", forge.issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(200, {
        issuer: forge.issuer,
        authorization_endpoint: `${forge.issuer}/authorize`,
        token_endpoint: `${forge.issuer}/token`,
        jwks_uri: `${forge.issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      });
    }
    if (url.pathname === "/jwks") return json(200, { keys: [jwk] });
    if (url.pathname === "/token" && req.method === "POST") {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        forge.lastTokenRequest = new URLSearchParams(body);
        const t = forge.next;
        if (!t) return json(400, { error: "invalid_grant", error_description: "no token prepared" });
        void sign(t).then((idToken) =>
          json(200, { access_token: "forge-access-token", token_type: "Bearer", expires_in: 300, id_token: idToken }),
        );
      });
      return;
    }
    json(404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  forge.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  forge.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return forge;
}

/** The details of the latest refusal of a directory's answer (auth.directory.refused). */
export async function lastDirectoryRefusal(db: Database) {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, "auth.directory.refused"))
    .orderBy(auditEvents.occurredAt);
  return rows.at(-1)?.details as Record<string, unknown> | undefined;
}

/** Directory settings as the admin form sends them: every field empty but the domain and e-mail claim, then the test's own. */
export function directorySettings(fields: Partial<DirectorySettingsInput>): DirectorySettingsInput {
  return {
    protocol: "oidc",
    displayName: "",
    issuer: "",
    clientId: "",
    clientSecret: "",
    emailDomains: "example.test",
    emailClaim: "email",
    groupClaim: "",
    groupRoles: "",
    requireDirectory: false,
    breakGlassPersonId: "",
    samlMetadata: "",
    samlEntityId: "",
    samlEntryPoint: "",
    samlCertificate: "",
    ...fields,
  };
}
