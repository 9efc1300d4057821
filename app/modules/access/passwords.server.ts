import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";

/**
 * Password rules (CJIS Security Policy v6.0 IA-5): at least 8 characters, up to
 * 256 accepted, any printable character including spaces, no composition rules,
 * refused when it is a commonly used or breached password. Stored with argon2id.
 */
import { PASSWORD_MAX, PASSWORD_MIN } from "./password-rules.ts";

const common = new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
export const commonPasswordCount = common.size;

/** Why a password is refused, in words for the person choosing it; null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters; a phrase of several words is easiest to remember.`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  if ([...password].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return "Use only printable characters; spaces are fine.";
  const lower = password.toLowerCase();
  if (common.has(lower) || common.has(lower.replace(/\s+/g, ""))) {
    return "This password is on a list of commonly used or breached passwords. Choose another.";
  }
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 3 && lower.includes(local)) return "Do not use your e-mail address in your password.";
  if (/^(.)\1+$/.test(password)) return "Do not repeat a single character.";
  return null;
}

const options = { algorithm: 2 /* argon2id */ } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password).catch(() => false);
}

// Verifying against this when an account does not exist keeps the response time the same.
let decoy: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string) {
  decoy ??= hashPassword("decoy password that no account has");
  await verifyPassword(await decoy, password);
  return false;
}
