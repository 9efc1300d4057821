import { readForm } from "~/http/form.server.ts";
import { useEffect } from "react";
import { data, Form, redirect } from "react-router";
import { z } from "zod";
import { Field, FormAlert } from "~/components/field.tsx";
import { SystemUseNotice } from "~/components/system-use-notice.tsx";
import {
  acknowledgeBanner,
  bannerAcknowledged,
  safeRedirect,
  setDirectoryPending,
  setSessionCookie,
} from "~/http/cookies.server.ts";
import { sessionOf } from "~/http/guard.server.ts";
import { acknowledgeNotice, signInWithPassword } from "~/modules/access/sign-in.server.ts";
import { anyDirectory, startDirectorySignIn } from "~/modules/access/directory-sign-in.server.ts";
import { passkeySignInOptions, relyingParty, signInWithPasskey } from "~/modules/access/passkeys.server.ts";
import { PasskeyButton } from "~/components/passkey-button.tsx";
import { explainDirectoryRefusal } from "~/components/directory-refusal.tsx";
import type { Route } from "./+types/sign-in";

export const permission = "public";
export const meta: Route.MetaFunction = () => [{ title: "Sign in — Custody" }];

const reasons: Record<string, string> = {
  idle: "You were signed out after 30 minutes without activity. Sign in again to continue where you were.",
  expired: "Your session reached its 12-hour limit. Sign in again to continue.",
  "signed-out": "You have signed out.",
  "mfa-expired": "The sign-in took too long or could not be completed. Start again.",
  "directory-expired":
    "The sign-in through your directory took more than 10 minutes or was started in another browser. Start again.",
};

/** What the page says on arrival: a reason of our own, or why a sign-in through a directory did not complete. */
function noticeFor(reason: string) {
  if (reasons[reason]) return reasons[reason];
  const refusal = /^directory-(no-directory|refused|not-known|wrong-domain|no-second-factor|account-not-usable)$/.exec(reason);
  return refusal
    ? `Sign-in through your directory was not completed. ${explainDirectoryRefusal(refusal[1]!, "Your directory")}`
    : null;
}

const GENERIC_FAILURE =
  "The e-mail address or password is not right, or the account is locked or disabled. After 5 failed attempts an account is locked until an administrator releases it.";

/** How long to wait, and that the right password and code still work (the limit never locks an agency out). */
function throttledMessage(scope: "account" | "address", minutes: number) {
  const wait = `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const who = scope === "account" ? "for this e-mail address from your network" : "from your network";
  return `Too many failed sign-ins ${who}. Wait ${wait} before trying again. The right password and authenticator code still sign in an account that is not locked or disabled.`;
}

const DirectoryForm = z.object({
  directoryEmail: z
    .string()
    .trim()
    .min(1, "Enter your agency e-mail address: its domain tells Custody which directory to send you to.")
    .max(254, "Enter your agency e-mail address.")
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "Enter your agency e-mail address, like name@agency.gov."),
});

const PasswordForm = z.object({
  email: z.string().trim().min(1, "Enter your e-mail address.").max(254, "Enter your e-mail address."),
  password: z.string().min(1, "Enter your password.").max(1024, "Enter your password."),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"));
  const state = await sessionOf(request, context);
  if (state.status === "valid") throw redirect(redirectTo);
  return {
    acknowledged: await bannerAcknowledged(request),
    directories: await anyDirectory(context.db),
    passkey: await passkeySignInOptions(context.secrets, relyingParty(context.publicUrl), context.now()),
    notice: noticeFor(url.searchParams.get("reason") ?? ""),
    redirectTo,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const redirectTo = safeRedirect(form.get("redirectTo"));
  const now = context.now();
  if (form.get("intent") === "acknowledge") {
    await acknowledgeNotice(context.db, context.client, now);
    throw redirect(`/sign-in?redirectTo=${encodeURIComponent(redirectTo)}`, {
      headers: { "Set-Cookie": await acknowledgeBanner(request) },
    });
  }
  if (!(await bannerAcknowledged(request))) {
    return data(
      { errors: {} as Record<string, string>, form: "Read and acknowledge the notice before signing in." },
      { status: 400 },
    );
  }
  if (form.get("intent") === "directory") return directorySignIn(request, context, form, redirectTo);
  if (form.get("intent") === "passkey") {
    const result = await signInWithPasskey(context.db, context.secrets, relyingParty(context.publicUrl), {
      response: String(form.get("response") ?? ""),
      client: context.client,
      now,
    });
    if (result.ok) throw redirect(redirectTo, { headers: { "Set-Cookie": await setSessionCookie(request, result.token) } });
    const message =
      result.reason === "directory-required"
        ? `Your agency requires sign-in through its directory (${result.directory}). Choose “Use your agency’s directory” below.`
        : "That passkey did not sign you in: it is not registered here, its answer did not check out, or the account is locked or disabled. Try again, or use your password.";
    return data({ errors: {} as Record<string, string>, form: message }, { status: 401 });
  }
  const parsed = PasswordForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    return data({ errors, form: null }, { status: 400 });
  }
  const result = await signInWithPassword(context.db, context.secrets, { ...parsed.data, client: context.client, now });
  if (result.ok) {
    throw redirect(`/sign-in/verify?redirectTo=${encodeURIComponent(redirectTo)}`, {
      headers: { "Set-Cookie": await setSessionCookie(request, result.token) },
    });
  }
  if (result.reason === "directory-required") {
    const message = `Your agency requires sign-in through its directory (${result.directory}); passwords are not accepted for your account. Choose “Use your agency’s directory” below.`;
    return data({ errors: {} as Record<string, string>, form: message }, { status: 403 });
  }
  const message = result.reason === "throttled" ? throttledMessage(result.scope, result.retryAfterMinutes) : GENERIC_FAILURE;
  return data({ errors: {} as Record<string, string>, form: message }, { status: result.reason === "throttled" ? 429 : 401 });
}

/** Off to the agency's directory: the address's domain names it; the way back is kept in a signed cookie. */
async function directorySignIn(request: Request, context: Route.ActionArgs["context"], form: FormData, redirectTo: string) {
  const parsed = DirectoryForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const errors: Record<string, string> = { directoryEmail: parsed.error.issues[0]!.message };
    return data({ errors, form: null }, { status: 400 });
  }
  const email = parsed.data.directoryEmail;
  const started = await startDirectorySignIn(context.db, context.secrets, {
    email,
    redirectTo,
    publicUrl: context.publicUrl,
    client: context.client,
    now: context.now(),
  });
  if (!started.ok) {
    const domain = email.slice(email.lastIndexOf("@") + 1);
    const message =
      started.reason === "no-directory"
        ? `No agency signs in addresses at ${domain} through its directory. Sign in with your password above, or ask your agency administrator.`
        : "Your agency's directory did not answer. Try again in a few minutes; if it stays down, your agency administrator has a break-glass account.";
    return data(
      { errors: { directoryEmail: message } as Record<string, string>, form: null },
      { status: started.reason === "no-directory" ? 400 : 502 },
    );
  }
  // A page that goes on to the directory, not a redirect: the form-action policy (CSP) keeps a form's own
  // navigation on this site, so the browser leaves by a link (followed at once by script, or by a click).
  return data(
    { errors: {} as Record<string, string>, form: null, continueTo: { url: started.url, directory: started.directory } },
    started.pending
      ? { headers: { "Set-Cookie": await setDirectoryPending(request, context.secrets.sessionSecret, started.pending) } }
      : undefined,
  );
}

function ContinueToDirectory({ url, directory }: { url: string; directory: string }) {
  useEffect(() => window.location.assign(url), [url]);
  return (
    <div className="grid-row padding-y-4">
      <div className="grid-col-12 tablet:grid-col-8">
        <h1>Continue to {directory}</h1>
        <p className="usa-intro">Sign in there; you will come back to Custody afterwards.</p>
        <a className="usa-button" href={url}>
          Continue to {directory}
        </a>
      </div>
    </div>
  );
}

export default function SignIn({ loaderData, actionData }: Route.ComponentProps) {
  const { acknowledged, directories, notice, redirectTo, passkey } = loaderData;
  const onward = actionData && "continueTo" in actionData ? (actionData.continueTo as { url: string; directory: string }) : null;
  if (onward) return <ContinueToDirectory url={onward.url} directory={onward.directory} />;
  return (
    <div className="grid-row padding-y-4">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-7">
        <h1>Sign in to Custody</h1>
        {notice ? (
          <div className="usa-alert usa-alert--info usa-alert--slim margin-bottom-3">
            <div className="usa-alert__body">
              <p className="usa-alert__text">{notice}</p>
            </div>
          </div>
        ) : null}
        <SystemUseNotice />
        {!acknowledged ? (
          <Form method="post" className="margin-top-3">
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <FormAlert message={actionData?.form} />
            <button className="usa-button" type="submit" name="intent" value="acknowledge">
              I understand and agree
            </button>
          </Form>
        ) : (
          <Form method="post" className="usa-form usa-form--large margin-top-3" noValidate>
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <p className="custody-muted margin-top-0">You acknowledged the notice above.</p>
            <FormAlert message={actionData?.form} />
            <Field
              name="email"
              label="E-mail address"
              type="email"
              autoComplete="username"
              required
              error={actionData?.errors.email}
            />
            <Field
              name="password"
              label="Password"
              type="password"
              autoComplete="current-password"
              required
              error={actionData?.errors.password}
            />
            <button className="usa-button margin-top-3" type="submit" name="intent" value="password">
              Continue
            </button>
            <p className="font-body-2xs custody-muted margin-top-3">
              After your password you will be asked for the 6-digit code from your authenticator app. Forgot your password or lost
              your device? Ask your agency administrator.
            </p>
          </Form>
        )}
        {acknowledged ? (
          <form className="margin-top-3" onSubmit={(e) => e.preventDefault()}>
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <PasskeyButton
              mode="authenticate"
              options={passkey}
              intent="passkey"
              label="Sign in with a passkey or security key"
              className="usa-button usa-button--outline"
            />
          </form>
        ) : null}
        {acknowledged && directories ? (
          <Form
            method="post"
            className="usa-form usa-form--large margin-top-4 border-top-1px border-base-lighter padding-top-3"
            noValidate
          >
            <h2 className="margin-top-0">Or sign in through your agency’s directory</h2>
            <p className="margin-top-1">
              If your agency connected its own directory (such as Entra ID or Okta), enter your agency e-mail address and sign in
              there.
            </p>
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <Field
              id="field-directoryEmail"
              name="directoryEmail"
              label="Agency e-mail"
              hint="Like name@agency.gov: its domain tells Custody which directory to send you to."
              type="email"
              autoComplete="username"
              required
              error={actionData?.errors.directoryEmail}
            />
            <button className="usa-button usa-button--outline margin-top-3" type="submit" name="intent" value="directory">
              Use your agency’s directory
            </button>
          </Form>
        ) : null}
      </div>
    </div>
  );
}
