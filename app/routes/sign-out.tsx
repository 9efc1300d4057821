import { redirect } from "react-router";
import { clearSessionCookie, readSessionToken } from "~/http/cookies.server.ts";
import { signOut } from "~/modules/access/sign-in.server.ts";
import type { Route } from "./+types/sign-out";

/** Signing out ends the session on the server (CJIS Security Policy v6.0 AC-12). POST only. */
export const permission = "public";

export async function action({ request, context }: Route.ActionArgs) {
  await signOut(context.db, context.secrets, {
    token: await readSessionToken(request),
    client: context.client,
    now: context.now(),
  });
  throw redirect("/sign-in?reason=signed-out", { headers: { "Set-Cookie": await clearSessionCookie(request) } });
}

export function loader() {
  return redirect("/");
}
