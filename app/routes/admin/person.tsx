import { readForm } from "~/http/form.server.ts";
import { data, Form, Link } from "react-router";
import { ErrorSummary, SuccessAlert } from "~/components/field.tsx";
import { ReasonForm } from "~/components/reason-form.tsx";
import { authorize } from "~/http/guard.server.ts";
import type { Permission } from "~/modules/access/permissions.ts";
import {
  disableEverywhere,
  enablePerson,
  endMembership,
  getPerson,
  reEnrolmentLink,
  releaseLockout,
} from "~/modules/access/people.server.ts";
import { useTimeZone } from "~/components/when.tsx";
import { formatMinute } from "~/modules/format.ts";
import type { Route } from "./+types/person";

export const permission = "user:read";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.person.name ?? "Person"} — Custody` }];

/** Each action on this page names the permission it needs. */
const actions = {
  unlock: "user:manage",
  "end-membership": "user:manage",
  "re-enroll": "user:manage",
  disable: "platform:deprovision",
  enable: "platform:deprovision",
} as const satisfies Record<string, Permission>;

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const person = await auth.run((ctx) => getPerson(ctx, args.params.personId));
  const can = (p: Permission) => auth.actor.permissions.has(p);
  return {
    person,
    canManage: can("user:manage"),
    canDeprovision: can("platform:deprovision"),
    self: auth.person.id === person.id,
  };
}

export async function action(args: Route.ActionArgs) {
  const form = await readForm(args.request);
  const intent = String(form.get("intent") ?? "") as keyof typeof actions;
  if (!Object.hasOwn(actions, intent)) throw data("Unknown action", { status: 400 });
  const auth = await authorize(args, actions[intent]);
  const reason = String(form.get("reason") ?? "");
  const personId = args.params.personId;
  const result = await auth.submit(async (ctx) => {
    if (intent === "unlock") await releaseLockout(ctx, personId);
    if (intent === "disable") await disableEverywhere(ctx, personId, reason);
    if (intent === "enable") await enablePerson(ctx, personId, reason);
    if (intent === "end-membership") await endMembership(ctx, String(form.get("membershipId") ?? ""), reason);
    if (intent === "re-enroll") return (await reEnrolmentLink(ctx, personId, reason)).token;
    return null;
  });
  if (!result.ok) return data({ intent, errors: result.errors, done: null, link: null }, { status: 400 });
  const link = result.value ? `${args.context.publicUrl}/invitations/${result.value}` : null;
  const done = {
    unlock: "The account is unlocked.",
    disable: "Disabled everywhere: every session and API token of theirs has stopped working.",
    enable: "The person is enabled again.",
    "end-membership": "The role has ended.",
    "re-enroll":
      "Their password, authenticator and recovery codes are cleared and every session of theirs has ended. Hand them the link below; it works once, for 72 hours.",
  }[intent];
  return { intent, errors: {} as Record<string, string>, done, link };
}

export default function PersonPage({ loaderData, actionData }: Route.ComponentProps) {
  const zone = useTimeZone();
  const fmt = (d: Date | string | null) => formatMinute(d, zone) || "—";
  const { person, canManage, canDeprovision, self } = loaderData;
  const errors = actionData?.errors ?? {};
  return (
    <div className="padding-y-4">
      <p>
        <Link to="/admin/people">People</Link>
      </p>
      <h1>{person.name}</h1>
      <p className="usa-intro">{person.email}</p>
      <SuccessAlert message={actionData?.done} />
      {actionData?.link ? (
        <p>
          Re-enrollment link (shown only now): <code className="custody-hash">{actionData.link}</code>
        </p>
      ) : null}
      <ErrorSummary errors={errors} />
      <dl className="grid-row grid-gap">
        <dt className="grid-col-4 text-bold">Status</dt>
        <dd className="grid-col-8 margin-0" data-testid="person-status">
          {person.status === "disabled"
            ? `Disabled ${fmt(person.disabledAt)} — ${person.disabledReason}`
            : person.status === "locked"
              ? `Locked ${fmt(person.lockedAt)} after failed sign-ins`
              : "Active"}
        </dd>
        <dt className="grid-col-4 text-bold">Last activity</dt>
        <dd className="grid-col-8 margin-0">{fmt(person.lastActivityAt)}</dd>
        <dt className="grid-col-4 text-bold">Password changed</dt>
        <dd className="grid-col-8 margin-0">{fmt(person.passwordChangedAt)}</dd>
        <dt className="grid-col-4 text-bold">Authenticator enrolled</dt>
        <dd className="grid-col-8 margin-0">{fmt(person.mfaEnrolledAt)}</dd>
      </dl>
      {person.status === "locked" && canManage ? (
        <Form method="post" className="margin-y-2">
          <button className="usa-button" type="submit" name="intent" value="unlock">
            Release the lock
          </button>
        </Form>
      ) : null}
      <h2>Roles</h2>
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Roles of {person.name}</caption>
        <thead>
          <tr>
            <th scope="col">Organization</th>
            <th scope="col">Role</th>
            <th scope="col">From</th>
            <th scope="col">Until</th>
            <th scope="col">Ended</th>
          </tr>
        </thead>
        <tbody>
          {person.memberships.map((m) => (
            <tr key={m.id}>
              <th scope="row" data-label="Organization">
                {m.organisationName}
              </th>
              <td data-label="Role">{m.roleLabel}</td>
              <td data-label="From">{fmt(m.startsAt)}</td>
              <td data-label="Until">{m.endsAt ? fmt(m.endsAt) : "No end date"}</td>
              <td data-label="Ended">
                {m.endedAt ? (
                  `${fmt(m.endedAt)} — ${m.endedReason}`
                ) : canManage && !self ? (
                  <ReasonForm
                    intent="end-membership"
                    hidden={{ membershipId: m.id }}
                    label="Reason to end this role"
                    button="End this role"
                    error={actionData?.intent === "end-membership" ? errors.reason : undefined}
                  />
                ) : (
                  "Current"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canManage && !self && person.status !== "disabled" ? (
        <section className="margin-top-4 border-top border-base-lighter padding-top-2">
          <h2>Lost authenticator and recovery codes</h2>
          <p>
            A re-enrollment link clears their password, authenticator and recovery codes, ends every session of theirs, and lets
            them set new ones on the same account: what they did stays theirs. Check who they are before you hand it over.
          </p>
          <ReasonForm
            intent="re-enroll"
            label="Reason for re-enrollment"
            button="Make a re-enrollment link"
            error={actionData?.intent === "re-enroll" ? errors.reason : undefined}
          />
        </section>
      ) : null}
      {canDeprovision && !self ? (
        <section className="margin-top-4 border-top border-base-lighter padding-top-2">
          <h2>Central deprovisioning</h2>
          {person.status === "disabled" ? (
            <ReasonForm
              intent="enable"
              label="Reason to enable again"
              button="Enable again"
              error={actionData?.intent === "enable" ? errors.reason : undefined}
            />
          ) : (
            <>
              <p>
                Disabling stops this person everywhere at once: in every organization, every session and every API token they
                created. The reason is kept in the deprovisioning record.
              </p>
              <ReasonForm
                intent="disable"
                label="Reason to disable"
                button="Disable everywhere"
                danger
                error={actionData?.intent === "disable" ? errors.reason : undefined}
              />
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}
