import { X509Certificate } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";

/**
 * Reading what an administrator pastes for a SAML directory: its metadata document (the identity
 * provider's entity ID, its sign-in address for the HTTP-Redirect binding and its signing certificate),
 * or the certificate alone. Everything read is checked before anything is kept.
 */

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

export type IdpMetadata = { entityId: string; entryPoint: string; certificate: string };

/** The identity provider described by a metadata document, or the reason it cannot be read. */
export function readIdpMetadata(xml: string): IdpMetadata | { problem: string } {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: { warning: () => undefined, error: (m) => errors.push(String(m)), fatalError: (m) => errors.push(String(m)) },
  }).parseFromString(xml, "text/xml");
  if (errors.length > 0 || !doc?.documentElement)
    return { problem: "This is not well-formed XML. Paste the whole metadata document." };
  const entity = doc.getElementsByTagNameNS(MD, "EntityDescriptor")[0];
  const idp = doc.getElementsByTagNameNS(MD, "IDPSSODescriptor")[0];
  if (!entity || !idp)
    return { problem: "This metadata describes no identity provider (no EntityDescriptor with an IDPSSODescriptor)." };
  const entityId = entity.getAttribute("entityID") ?? "";
  const services = Array.from(idp.getElementsByTagNameNS(MD, "SingleSignOnService"));
  const entryPoint = services.find((s) => s.getAttribute("Binding") === REDIRECT)?.getAttribute("Location") ?? "";
  const keys = Array.from(idp.getElementsByTagNameNS(MD, "KeyDescriptor")).filter(
    (k) => (k.getAttribute("use") ?? "signing") === "signing",
  );
  const certificate = keys.map((k) => k.getElementsByTagNameNS(DS, "X509Certificate")[0]?.textContent ?? "").find(Boolean) ?? "";
  if (!entityId) return { problem: "The metadata names no entityID." };
  if (!entryPoint)
    return { problem: "The metadata offers no sign-in address for the HTTP-Redirect binding, which Custody uses." };
  if (!certificate) return { problem: "The metadata holds no signing certificate." };
  return { entityId, entryPoint, certificate };
}

/** A certificate as PEM, with what is wrong with it (unreadable, expired, not yet valid), if anything. */
export function readCertificate(text: string, now: Date): { pem: string; problem: null } | { pem: null; problem: string } {
  const body = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/=]{100,}$/.test(body))
    return { pem: null, problem: "Paste the identity provider's signing certificate (PEM or base64), or its metadata." };
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return { pem: null, problem: "This certificate cannot be read. Paste it again, whole, from the identity provider." };
  }
  if (new Date(cert.validTo).getTime() < now.getTime())
    return {
      pem: null,
      problem: `This certificate expired on ${new Date(cert.validTo).toISOString().slice(0, 10)}. Get the current one from the identity provider.`,
    };
  if (new Date(cert.validFrom).getTime() > now.getTime())
    return { pem: null, problem: `This certificate is not valid before ${new Date(cert.validFrom).toISOString().slice(0, 10)}.` };
  return { pem, problem: null };
}
