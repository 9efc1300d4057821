import { data, redirect } from "react-router";
import { DirectoryRefusal, explainDirectoryRefusal } from "~/components/directory-refusal.tsx";
import { clearDirectoryPending, readDirectoryPending, safeRedirect, setSessionCookie } from "~/http/cookies.server.ts";
import { finishDirectorySignIn } from "~/modules/access/directory-sign-in.server.ts";
import type { Route } from "./+types/sign-in.directory-callback";

/** Where an OpenID Connect directory sends the person back (the redirect URI registered with it). */
export const permission = "public";
export const meta: Route.MetaFunction = () => [{ title: "Sign-in through your directory not completed — Custody" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const secret = context.secrets.sessionSecret;
  const result = await finishDirectorySignIn(context.db, context.secrets, {
    pending: await readDirectoryPending(request, secret),
    search: new URL(request.url).search,
    publicUrl: context.publicUrl,
    client: context.client,
    now: context.now(),
  });
  const headers = new Headers({ "Set-Cookie": await clearDirectoryPending(request, secret) });
  if (!result.ok && result.reason === "expired") throw redirect("/sign-in?reason=directory-expired", { headers });
  if (!result.ok)
    return data(
      { message: explainDirectoryRefusal(result.reason, result.directory ?? "Your directory") },
      { status: 403, headers },
    );
  headers.append("Set-Cookie", await setSessionCookie(request, result.token));
  const redirectTo = safeRedirect(result.redirectTo);
  if (result.next === "second-factor")
    throw redirect(`/sign-in/verify?redirectTo=${encodeURIComponent(redirectTo)}`, { headers });
  throw redirect(redirectTo, { headers });
}

export default function DirectoryCallback({ loaderData }: Route.ComponentProps) {
  return <DirectoryRefusal message={loaderData.message} />;
}
