import { readForm } from "~/http/form.server.ts";
import { data, Form, redirect } from "react-router";
import { Field, FormAlert } from "~/components/field.tsx";
import { readSessionToken, safeRedirect, setSessionCookie } from "~/http/cookies.server.ts";
import { sessionOf } from "~/http/guard.server.ts";
import { verifySecondFactor } from "~/modules/access/sign-in.server.ts";
import { passkeySecondFactorOptions, relyingParty } from "~/modules/access/passkeys.server.ts";
import { PasskeyButton } from "~/components/passkey-button.tsx";
import type { Route } from "./+types/sign-in.verify";

export const permission = "public";
export const meta: Route.MetaFunction = () => [{ title: "Enter your code — Custody" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  const state = await sessionOf(request, context);
  if (state.status === "valid") throw redirect(redirectTo);
  if (state.status !== "pending-mfa") throw redirect(`/sign-in?reason=mfa-expired&redirectTo=${encodeURIComponent(redirectTo)}`);
  const rp = relyingParty(context.publicUrl);
  return {
    redirectTo,
    passkey: await passkeySecondFactorOptions(context.db, context.secrets, rp, state.personId, context.now()),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const redirectTo = safeRedirect(form.get("redirectTo"));
  const code = String(form.get("code") ?? "").slice(0, 64);
  const passkey =
    form.get("intent") === "passkey"
      ? { response: String(form.get("response") ?? ""), rp: relyingParty(context.publicUrl) }
      : undefined;
  if (!passkey && code.trim() === "")
    return data({ error: "Enter the 6-digit code from your authenticator app." }, { status: 400 });
  const result = await verifySecondFactor(context.db, context.secrets, {
    token: await readSessionToken(request),
    code,
    client: context.client,
    now: context.now(),
    passkey,
  });
  if (result.ok) throw redirect(redirectTo, { headers: { "Set-Cookie": await setSessionCookie(request, result.token) } });
  if (result.reason === "expired") throw redirect(`/sign-in?reason=mfa-expired&redirectTo=${encodeURIComponent(redirectTo)}`);
  return data(
    {
      error: passkey
        ? "That passkey did not check out. Try again, or enter the code from your authenticator app; after 5 failed attempts the account is locked."
        : "That code is not right, or it was already used. Wait for the next code and try again; after 5 failed attempts the account is locked.",
    },
    { status: 401 },
  );
}

export default function Verify({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <div className="grid-row padding-y-4">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>Enter your code</h1>
        <p className="usa-intro">Open your authenticator app and enter the 6-digit code it shows for Custody.</p>
        <Form method="post" className="usa-form usa-form--large" noValidate>
          <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
          <FormAlert message={actionData?.error} />
          <Field
            name="code"
            label="Code"
            hint="6 digits. If you have lost your device, enter one of your recovery codes instead (like abcde-12345)."
            inputMode="numeric"
            autoComplete="one-time-code"
            className="maxw-card-lg"
            required
          />
          <button className="usa-button margin-top-3" type="submit">
            Sign in
          </button>
        </Form>
        {loaderData.passkey ? (
          <form className="margin-top-3" onSubmit={(e) => e.preventDefault()}>
            <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
            <PasskeyButton
              mode="authenticate"
              options={loaderData.passkey}
              intent="passkey"
              label="Use a passkey or security key instead"
              className="usa-button usa-button--outline"
            />
          </form>
        ) : null}
      </div>
    </div>
  );
}
