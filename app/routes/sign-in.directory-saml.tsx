import { redirect } from "react-router";
import { safeRedirect, setSessionCookie } from "~/http/cookies.server.ts";
import { readForm } from "~/http/form.server.ts";
import { finishSamlSignIn } from "~/modules/access/directory-sign-in.server.ts";
import type { Route } from "./+types/sign-in.directory-saml";

/**
 * Where a SAML directory posts its answer (the assertion consumer service, HTTP-POST binding). The post
 * comes from the directory's page, so it is the one form Custody takes from another origin: the signed
 * assertion, answering a request Custody sent, is its own proof (server/app.ts lets this path through;
 * as a resource route it is also outside React Router's check of action origins). Every answer is a
 * redirect: onward, or back to the sign-in page, which says why.
 */
export const permission = "public";

export function loader() {
  throw redirect("/sign-in");
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const result = await finishSamlSignIn(context.db, context.secrets, {
    relayState: String(form.get("RelayState") ?? ""),
    samlResponse: String(form.get("SAMLResponse") ?? ""),
    publicUrl: context.publicUrl,
    client: context.client,
    now: context.now(),
  });
  if (!result.ok) throw redirect(`/sign-in?reason=directory-${result.reason}`, 303);
  const headers = { "Set-Cookie": await setSessionCookie(request, result.token) };
  const redirectTo = safeRedirect(result.redirectTo);
  if (result.next === "second-factor")
    throw redirect(`/sign-in/verify?redirectTo=${encodeURIComponent(redirectTo)}`, { headers, status: 303 });
  throw redirect(redirectTo, { headers, status: 303 });
}
