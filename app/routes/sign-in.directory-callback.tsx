import { data, Link, redirect } from "react-router";
import { clearDirectoryPending, readDirectoryPending, safeRedirect, setSessionCookie } from "~/http/cookies.server.ts";
import { finishDirectorySignIn, type DirectoryRefusal } from "~/modules/access/directory-sign-in.server.ts";
import type { Route } from "./+types/sign-in.directory-callback";

/** Where the agency's directory sends the person back (the redirect URI registered with it). */
export const permission = "public";
export const meta: Route.MetaFunction = () => [{ title: "Sign-in through your directory not completed — Custody" }];

const explain = (reason: DirectoryRefusal, directory: string) =>
  ({
    "no-directory":
      "Your agency no longer signs in through this directory. Sign in with your password, or ask your agency administrator.",
    expired: "",
    refused: `Custody could not accept the answer from ${directory}: it failed a security check (signature, audience, nonce or expiry), or you cancelled. Nothing was signed in. Try again; if it happens again, tell your agency administrator the time it happened.`,
    "not-known": `${directory} vouched for you, but that address is not set up in Custody for this agency. Accounts are made by your agency administrator (an invitation) or by your directory's provisioning, never by signing in. Ask your agency administrator.`,
    "wrong-domain": `${directory} answered with an address outside the domains your agency allows, or one it has not verified. Ask your agency administrator to check the directory settings.`,
    "no-second-factor": `${directory} signed you in without a second factor, and you have no authenticator app set up in Custody. Ask your agency administrator to require multi-factor sign-in in the directory, or to send you a re-enrollment link.`,
    "account-not-usable": "Your Custody account is disabled or locked. Ask your agency administrator.",
  })[reason];

export async function loader({ request, context }: Route.LoaderArgs) {
  const secret = context.secrets.sessionSecret;
  const pending = await readDirectoryPending(request, secret);
  const result = await finishDirectorySignIn(context.db, context.secrets, {
    pending,
    search: new URL(request.url).search,
    publicUrl: context.publicUrl,
    client: context.client,
    now: context.now(),
  });
  const headers = new Headers({ "Set-Cookie": await clearDirectoryPending(request, secret) });
  if (!result.ok && result.reason === "expired") throw redirect("/sign-in?reason=directory-expired", { headers });
  if (!result.ok)
    return data({ message: explain(result.reason, result.directory ?? "Your directory") }, { status: 403, headers });
  headers.append("Set-Cookie", await setSessionCookie(request, result.token));
  const redirectTo = safeRedirect(result.redirectTo);
  if (result.next === "second-factor")
    throw redirect(`/sign-in/verify?redirectTo=${encodeURIComponent(redirectTo)}`, { headers });
  throw redirect(redirectTo, { headers });
}

export default function DirectoryCallback({ loaderData }: Route.ComponentProps) {
  return (
    <div className="grid-row padding-y-4">
      <div className="grid-col-12 tablet:grid-col-8">
        <h1>Sign-in not completed</h1>
        <div className="usa-alert usa-alert--error" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{loaderData.message}</p>
          </div>
        </div>
        <p className="margin-top-3">
          <Link className="usa-button" to="/sign-in">
            Back to sign-in
          </Link>
        </p>
      </div>
    </div>
  );
}
