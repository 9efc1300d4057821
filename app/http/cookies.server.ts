import { createCookie } from "react-router";

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

/** A same-site path to return to after signing in; anything else goes home. */
export function safeRedirect(target: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\"))
    return fallback;
  return target;
}
