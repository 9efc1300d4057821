import { createCookie } from "react-router";
import type { PendingDirectorySignIn } from "../modules/access/directory-oidc.server.ts";

/**
 * The session cookie holds only a random token; everything else is in the
 * database. HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS,
 * no expiry (it ends with the browser; the server enforces the time limits).
 */
const sessionCookie = createCookie("custody_session", { httpOnly: true, sameSite: "lax", path: "/" });
/** Proof that the system-use notice was acknowledged in this browser session (AC-8). */
const bannerCookie = createCookie("custody_banner", { httpOnly: true, sameSite: "lax", path: "/" });

const secure = (request: Request) => new URL(request.url).protocol === "https:";

export async function readSessionToken(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 20 && value.length < 100 ? value : null;
}

export function setSessionCookie(request: Request, token: string) {
  return sessionCookie.serialize(token, { secure: secure(request) });
}

export function clearSessionCookie(request: Request) {
  return sessionCookie.serialize("", { secure: secure(request), maxAge: 0 });
}

export async function bannerAcknowledged(request: Request): Promise<boolean> {
  return (await bannerCookie.parse(request.headers.get("Cookie"))) === "acknowledged";
}

export function acknowledgeBanner(request: Request) {
  return bannerCookie.serialize("acknowledged", { secure: secure(request) });
}

const HERE = "http://custody.invalid";

/**
 * A path on this site to return to after signing in; anything else goes to `fallback`.
 * Browsers strip tabs and newlines from a Location and read a backslash as a slash, so
 * "/\t/evil.example" or "/\\evil.example" would leave the site: any control character or
 * backslash is refused outright, and what remains must, after the URL standard's own
 * parsing, stay on this origin. The path given back is the parsed one.
 */
export function safeRedirect(target: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof target !== "string" || target.length > 2_000) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(target)) return fallback;
  if (!target.startsWith("/") || target.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(target, HERE);
  } catch {
    return fallback;
  }
  if (url.origin !== HERE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Between leaving for the agency's directory and coming back: state, nonce and PKCE verifier, signed
 * with SESSION_SECRET so the browser cannot change them, for 10 minutes, sent only to the callback.
 */
const directoryCookie = (secret: string) =>
  createCookie("custody_directory", {
    httpOnly: true,
    sameSite: "lax",
    path: "/sign-in/directory",
    maxAge: 600,
    secrets: [secret],
  });

export function setDirectoryPending(request: Request, secret: string, pending: PendingDirectorySignIn) {
  return directoryCookie(secret).serialize(pending, { secure: secure(request) });
}

export async function readDirectoryPending(request: Request, secret: string): Promise<PendingDirectorySignIn | null> {
  const value: unknown = await directoryCookie(secret).parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const fields = ["connectionId", "state", "nonce", "verifier", "redirectTo"] as const;
  if (!fields.every((f) => typeof v[f] === "string") || typeof v.startedAt !== "number") return null;
  return v as unknown as PendingDirectorySignIn;
}

export function clearDirectoryPending(request: Request, secret: string) {
  return directoryCookie(secret).serialize("", { secure: secure(request), maxAge: 0 });
}
