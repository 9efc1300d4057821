import { readForm } from "~/http/form.server.ts";
import { data, Form, redirect } from "react-router";
import { Field, FormAlert } from "~/components/field.tsx";
import { safeRedirect } from "~/http/cookies.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { changeOwnPassword } from "~/modules/access/accounts.server.ts";
import { PASSWORD_MIN } from "~/modules/access/password-rules.ts";
import type { Route } from "./+types/account.password";

export const permission = "signed-in";
export const meta: Route.MetaFunction = () => [{ title: "Change your password — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  await authorize(args, permission);
  const url = new URL(args.request.url);
  return {
    expired: url.searchParams.get("expired") === "1",
    redirectTo: safeRedirect(url.searchParams.get("redirectTo"), "/account"),
  };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  const result = await auth.submit((ctx) =>
    changeOwnPassword(ctx, {
      current: String(form.get("current") ?? "").slice(0, 1024),
      next: String(form.get("next") ?? "").slice(0, 1024),
    }),
  );
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  throw redirect(safeRedirect(form.get("redirectTo"), "/account"));
}

export default function ChangePassword({ loaderData, actionData }: Route.ComponentProps) {
  const errors = actionData?.errors ?? {};
  return (
    <div className="padding-y-4">
      <h1>Change your password</h1>
      {loaderData.expired ? (
        <FormAlert message="Your password is more than a year old. Choose a new one to continue (CJIS Security Policy IA-5)." />
      ) : null}
      <Form method="post" className="usa-form usa-form--large" noValidate>
        <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
        <Field
          name="current"
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.current}
        />
        <Field
          name="next"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters; a phrase of several words is best. Common or breached passwords are refused.`}
          required
          error={errors.next}
        />
        <button className="usa-button margin-top-3" type="submit">
          Change password
        </button>
      </Form>
    </div>
  );
}
