import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inflateRawSync } from "node:zlib";
import * as samlify from "samlify";
import { generate } from "selfsigned";

/**
 * An agency's SAML identity provider (think ADFS), in-process: `samlify`, a different library from
 * Custody's service-provider side (`@node-saml/node-saml`), so that the two check each other. It signs
 * its assertions with a fresh self-signed certificate, or, when told to, sends them unsigned or signed
 * by a key the agency never registered.
 */

// samlify asks for an XML schema validator; the messages it builds here are its own, so none is needed.
samlify.setSchemaValidator({ validate: () => Promise.resolve("skipped") });

const { binding } = samlify.Constants.namespace;
const EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

export type SamlDirectory = {
  entityId: string;
  entryPoint: string;
  certificate: string;
  metadata: string;
  /** A signed (or, with `unsigned`, unsigned) response to the request in `authorizeUrl`, for `email`. */
  respond(
    authorizeUrl: string,
    email: string,
    options?: { unsigned?: boolean; otherKey?: boolean; audience?: string },
  ): Promise<string>;
  close(): Promise<void>;
};

/**
 * With `serve`, the identity provider also answers in a browser on a local port: its sign-in page takes
 * any e-mail address and posts a signed response for it back to Custody (HTTP-POST binding).
 */
export async function startSamlDirectory(acsUrl: string, options: { serve?: boolean } = {}): Promise<SamlDirectory> {
  let server: Server | null = null;
  let entryPoint = "https://adfs.riverside-pd.example/adfs/ls/";
  if (options.serve) {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    entryPoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/adfs/ls/`;
  }
  const entityId = "https://adfs.riverside-pd.example/adfs/services/trust";
  const keys = await generate([{ name: "commonName", value: "adfs.riverside-pd.example" }], {
    keySize: 2048,
    algorithm: "sha256",
  });
  const stranger = await generate([{ name: "commonName", value: "adfs.riverside-pd.example" }], {
    keySize: 2048,
    algorithm: "sha256",
  });
  const idpWith = (pair: { private: string; cert: string }) =>
    samlify.IdentityProvider({
      entityID: entityId,
      privateKey: pair.private,
      signingCert: pair.cert,
      singleSignOnService: [{ Binding: binding.redirect, Location: entryPoint }],
      nameIDFormat: [EMAIL_FORMAT],
      isAssertionEncrypted: false,
    });
  const idp = idpWith(keys);
  const spFor = (signed: boolean, audience?: string) =>
    samlify.ServiceProvider({
      entityID: audience ?? acsUrl,
      assertionConsumerService: [{ Binding: binding.post, Location: acsUrl }],
      wantAssertionsSigned: signed,
      wantMessageSigned: false,
      nameIDFormat: [EMAIL_FORMAT],
    });
  const directory: SamlDirectory = {
    entityId,
    entryPoint,
    certificate: keys.cert,
    metadata: idp.getMetadata(),
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    async respond(authorizeUrl, email, options = {}) {
      const request = inflateRawSync(Buffer.from(new URL(authorizeUrl).searchParams.get("SAMLRequest") ?? "", "base64")).toString(
        "utf8",
      );
      const id = /\sID="([^"]+)"/.exec(request)?.[1];
      if (!id) throw new Error("no request ID in the authorization URL");
      const from = options.otherKey ? idpWith(stranger) : idp;
      const { context } = await from.createLoginResponse(
        spFor(!options.unsigned, options.audience),
        { extract: { request: { id } } },
        "post",
        { email },
      );
      return context;
    },
  };
  const escape = (v: string) => v.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  server?.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", entryPoint);
    const email = url.searchParams.get("email");
    const page = (body: string) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html lang="en"><head><title>Riverside ADFS</title></head><body>${body}</body></html>`);
    };
    if (!email) {
      // The sign-in form: the request and relay state ride along in the query.
      const hidden = [...url.searchParams]
        .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
        .join("");
      return page(
        `<form method="get"><label>E-mail <input name="email"></label>${hidden}<button>Sign in to ADFS</button></form>`,
      );
    }
    void directory
      .respond(url.href, email)
      .then((samlResponse) =>
        page(
          `<form method="post" action="${escape(acsUrl)}"><input type="hidden" name="SAMLResponse" value="${escape(samlResponse)}">` +
            `<input type="hidden" name="RelayState" value="${escape(url.searchParams.get("RelayState") ?? "")}">` +
            `<button>Continue to Custody</button></form>`,
        ),
      );
  });
  return directory;
}
