import { readForm } from "~/http/form.server.ts";
import { data, Form, Link } from "react-router";
import { Field, ErrorSummary } from "~/components/field.tsx";
import { acceptInvitation, openInvitation } from "~/modules/access/accounts.server.ts";
import { PASSWORD_MIN } from "~/modules/access/password-rules.ts";
import { submitted } from "~/http/guard.server.ts";
import type { Route } from "./+types/invitation";
import { formatMinute } from "~/modules/format.ts";

/** The single-use link an invitee (or the first administrator) opens to create their account. */
export const permission = "public";
export const meta: Route.MetaFunction = () => [{ title: "Set up your account — Custody" }];

const problems = {
  unknown: "This invitation link is not valid. Check that you copied the whole link.",
  used: "This invitation has already been used. Sign in with the account it created.",
  revoked: "This invitation was withdrawn. Ask your administrator for a new one.",
  expired: "This invitation has expired: links are valid for 72 hours. Ask your administrator for a new one.",
};

export async function loader({ params, context }: Route.LoaderArgs) {
  const view = await openInvitation(context.db, context.secrets, params.token, context.now(), context.client);
  if (!view.usable) return { usable: false as const, message: problems[view.problem] };
  return { ...view, expires: formatMinute(view.expiresAt, view.timeZone) };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const field = (name: string) => String(form.get(name) ?? "").slice(0, 1024);
  const result = await submitted(() =>
    acceptInvitation(
      context.db,
      context.secrets,
      params.token,
      { email: field("email"), name: field("name"), password: field("password"), code: field("code") },
      context.client,
      context.now(),
    ),
  );
  if (!result.ok) return data({ done: false as const, errors: result.errors }, { status: 400 });
  return { done: true as const, email: result.value.email, recoveryCodes: result.value.recoveryCodes };
}

export default function Invitation({ loaderData, actionData }: Route.ComponentProps) {
  if (actionData?.done) {
    return (
      <div className="padding-y-4 maxw-tablet">
        <h1>Your account is ready</h1>
        <p className="usa-intro">
          Save these recovery codes now. Each works once, in place of a code from your app, if you lose your device. They will not
          be shown again.
        </p>
        <ul className="usa-list usa-list--unstyled font-mono-md" aria-label="Recovery codes">
          {actionData.recoveryCodes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <p>
          <Link className="usa-button" to="/sign-in">
            Sign in as {actionData.email}
          </Link>
        </p>
      </div>
    );
  }
  if (!loaderData.usable) {
    return (
      <div className="padding-y-4">
        <h1>This link cannot be used</h1>
        <p className="usa-intro">{loaderData.message}</p>
      </div>
    );
  }
  const view = loaderData;
  const errors = actionData && !actionData.done ? actionData.errors : {};
  if (view.existingAccount) {
    return (
      <div className="padding-y-4">
        <h1>You already have an account</h1>
        <p className="usa-intro">
          {view.email} already has a Custody account. Ask your administrator to add the {view.roleLabel.toLowerCase()} role for{" "}
          {view.organisationName} to it.
        </p>
      </div>
    );
  }
  return (
    <div className="padding-y-4">
      <h1>{view.bootstrap ? "Create the first platform administrator" : "Set up your account"}</h1>
      <p className="usa-intro">
        {view.bootstrap
          ? "This installation has no administrator yet. The account you create here can invite everyone else."
          : `You are invited to ${view.organisationName} as ${view.roleLabel.toLowerCase()}.`}{" "}
        This link works once and expires {view.expires}.
      </p>
      <Form method="post" className="usa-form usa-form--large maxw-tablet" noValidate>
        <ErrorSummary errors={errors} />
        <fieldset className="usa-fieldset">
          <legend className="usa-legend usa-legend--large">1. Who you are</legend>
          {view.bootstrap ? (
            <Field name="email" label="E-mail address" type="email" autoComplete="username" required error={errors.email} />
          ) : (
            <p>
              E-mail address: <strong>{view.email}</strong>
            </p>
          )}
          <Field name="name" label="Full name" autoComplete="name" required error={errors.name} />
          <Field
            name="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${PASSWORD_MIN} characters. A phrase of several words is best; spaces and any printable characters are fine. Common or breached passwords are refused.`}
            required
            error={errors.password}
          />
        </fieldset>
        <fieldset className="usa-fieldset margin-top-4">
          <legend className="usa-legend usa-legend--large">2. Your second factor</legend>
          <p>Every Custody account uses an authenticator app. Scan this code with the app, or type the key into it.</p>
          <img src={view.enrolment.qrDataUrl} alt="QR code to add Custody to an authenticator app" width={200} height={200} />
          <p>
            Key to type instead: <code className="font-mono-sm">{view.enrolment.manualKey}</code>
          </p>
          <Field
            name="code"
            label="Code from the app"
            hint="Enter the 6-digit code the app now shows for Custody, to prove it is set up."
            inputMode="numeric"
            autoComplete="one-time-code"
            className="maxw-card-lg"
            required
            error={errors.code}
          />
        </fieldset>
        <button className="usa-button margin-top-3" type="submit">
          Create my account
        </button>
      </Form>
    </div>
  );
}
