import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

/**
 * Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s), the second
 * factor for every account (CJIS Security Policy v6.0 IA-2). A code is accepted
 * one step either side of now, and never for a step at or before the last one
 * used (replay resistance).
 */
const PERIOD = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label = "Custody") {
  return new TOTP({ issuer: "Custody", label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

/** The code for a moment; used by tests and the demo, never shown by the product. */
export function totpCode(secret: string, at: Date): string {
  return totp(secret).generate({ timestamp: at.getTime() });
}

/** The time step a valid code belongs to, or null. */
export function matchTotp(secret: string, code: string, at: Date): number | null {
  const cleaned = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(cleaned)) return null;
  const delta = totp(secret).validate({ token: cleaned, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(at.getTime() / 1000 / PERIOD) + delta;
}

/** The otpauth:// URI and its QR code as an SVG data URL, for enrolment. */
export async function enrolmentDetails(secret: string, email: string) {
  const uri = totp(secret, email).toString();
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return {
    uri,
    qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
    manualKey: secret.replace(/(.{4})/g, "$1 ").trim(),
  };
}
