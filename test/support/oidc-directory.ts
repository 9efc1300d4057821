import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * An agency's directory, in-process: `oidc-provider` (a certified OpenID Provider) with its built-in
 * sign-in and consent pages. Any login name is accepted and becomes the subject; the e-mail claim is
 * the login name itself, verified. It reports no `amr`, so Custody asks for its own second factor.
 */
export type Directory = { issuer: string; clientId: string; clientSecret: string; close(): Promise<void> };

export async function startDirectory(custodyUrl: string): Promise<Directory> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "custody-riverside";
  const clientSecret = "riverside-directory-secret-for-tests-only";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${custodyUrl}/sign-in/directory/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id.toLowerCase(), email_verified: true, name: id }),
    }),
    pkce: { required: () => true },
    cookies: { keys: ["test-only-cookie-key"] },
  });
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
