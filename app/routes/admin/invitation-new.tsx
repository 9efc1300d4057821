import { readForm } from "~/http/form.server.ts";
import { data, Form } from "react-router";
import { Field, ErrorSummary } from "~/components/field.tsx";
import { authorize } from "~/http/guard.server.ts";
import { createInvitation, emailInvitation, invitationTargets } from "~/modules/access/accounts.server.ts";
import type { Route } from "./+types/invitation-new";
import { formatMinute } from "~/modules/format.ts";

export const permission = "user:invite";
export const meta: Route.MetaFunction = () => [{ title: "Invite someone — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { targets: await auth.run((ctx) => invitationTargets(ctx)) };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  const text = (name: string) => String(form.get(name) ?? "").slice(0, 300);
  const [organisationId = "", role = ""] = text("organisationAndRole").split("|");
  const created = await auth.submit((ctx) =>
    createInvitation(ctx, {
      email: text("email"),
      organisationId,
      role,
      membershipEndsOn: text("membershipEndsOn"),
    }),
  );
  if (!created.ok) return data({ errors: created.errors, link: null }, { status: 400 });
  const { token, invitation, organisationName, roleLabel, timeZone } = created.value;
  const link = `${new URL(args.request.url).origin}/invitations/${token}`;
  const emailed = await emailInvitation(
    args.context.db,
    args.context.mailer,
    auth.actor,
    {
      to: invitation.email,
      link,
      organisationName,
      roleLabel,
      expiresAt: invitation.expiresAt,
      timeZone,
      invitedBy: auth.person.name,
      invitationId: invitation.id,
    },
    args.context.now(),
  );
  return {
    errors: {} as Record<string, string>,
    link: emailed ? null : link,
    emailed,
    mailConfigured: Boolean(args.context.mailer),
    email: invitation.email,
    expires: formatMinute(invitation.expiresAt, timeZone),
  };
}
export default function InviteSomeone({ loaderData, actionData }: Route.ComponentProps) {
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  if (actionData && "emailed" in actionData) {
    return (
      <div className="padding-y-4 maxw-tablet">
        <h1>Invitation created</h1>
        {actionData.emailed ? (
          <p className="usa-intro">
            We e-mailed the invitation link to {actionData.email}. It works once and expires {actionData.expires}.
          </p>
        ) : (
          <>
            <p className="usa-intro">
              {actionData.mailConfigured
                ? "The e-mail could not be sent. "
                : "E-mail is not set up for this installation (SMTP_URL). "}
              Give {actionData.email} this link yourself. It works once and expires {actionData.expires}.
            </p>
            <p>
              <code className="font-mono-xs text-wrap" data-testid="invitation-link">
                {actionData.link}
              </code>
            </p>
          </>
        )}
        <p>No password is ever sent; they choose their own and enrol their authenticator.</p>
      </div>
    );
  }
  return (
    <div className="padding-y-4">
      <h1>Invite someone</h1>
      <Form method="post" className="usa-form usa-form--large" noValidate>
        <ErrorSummary errors={errors} lead="No invitation was sent. Correct the fields listed here." />
        <Field name="email" label="E-mail address" type="email" required error={errors.email} />
        <div className={`usa-form-group${errors.role || errors.organisationId ? " usa-form-group--error" : ""}`}>
          <label className="usa-label" htmlFor="role">
            Organization and role
          </label>
          {errors.role || errors.organisationId ? (
            <span className="usa-error-message" id="role-error" role="alert">
              {errors.role ?? errors.organisationId}
            </span>
          ) : null}
          <select className="usa-select" id="role" name="organisationAndRole" required>
            {loaderData.targets.map((o) => (
              <optgroup key={o.id} label={o.name}>
                {o.roles.map((r) => (
                  <option key={r.value} value={`${o.id}|${r.value}`}>
                    {r.label} — {o.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <Field
          name="membershipEndsOn"
          label="Role ends on (optional)"
          hint="For a task-force or temporary assignment: the role ends at the end of that day in the organization's time zone."
          type="date"
          error={errors.membershipEndsOn}
        />
        <button className="usa-button margin-top-3" type="submit">
          Create the invitation
        </button>
      </Form>
    </div>
  );
}
