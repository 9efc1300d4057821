import { readForm } from "~/http/form.server.ts";
import { Form, Link, redirect } from "react-router";
import { authorize } from "~/http/guard.server.ts";
import { readOwnAccount, switchActiveOrganisation } from "~/modules/access/accounts.server.ts";
import { ROLES } from "~/modules/access/permissions.ts";
import type { Route } from "./+types/account";
import { When } from "~/components/when.tsx";

export const permission = "signed-in";
export const meta: Route.MetaFunction = () => [{ title: "Your account — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return {
    person: await auth.run((ctx) => readOwnAccount(ctx)),
    active: auth.membership?.organisationId ?? null,
    memberships: auth.memberships.map((m) => ({ ...m, roleLabel: ROLES[m.role].label })),
  };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  const organisationId = String(form.get("organisationId") ?? "");
  await auth.run((ctx) => switchActiveOrganisation(ctx, organisationId, auth.memberships));
  throw redirect("/");
}

export default function Account({ loaderData }: Route.ComponentProps) {
  const { person, memberships, active } = loaderData;
  return (
    <div className="padding-y-4">
      <h1>Your account</h1>
      <p className="usa-intro">
        {person.name} · {person.email}
      </p>
      <h2>Your roles</h2>
      {memberships.length === 0 ? (
        <p>You have no active role in any organization. Ask an administrator if you need access.</p>
      ) : (
        <table className="usa-table usa-table--borderless">
          <caption className="usa-sr-only">Your roles</caption>
          <thead>
            <tr>
              <th scope="col">Organization</th>
              <th scope="col">Role</th>
              <th scope="col">Until</th>
              <th scope="col">Acting for</th>
            </tr>
          </thead>
          <tbody>
            {memberships.map((m) => (
              <tr key={m.id}>
                <th scope="row">{m.organisationName}</th>
                <td>{m.roleLabel}</td>
                <td>
                  <When at={m.endsAt} day none="No end date" />
                </td>
                <td>
                  {m.organisationId === active ? (
                    <strong>Now</strong>
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="organisationId" value={m.organisationId} />
                      <button className="usa-button usa-button--outline usa-button--small" type="submit">
                        Act for {m.organisationName}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Security</h2>
      <p>
        Password last changed <When at={person.passwordChangedAt} day none="never" />; it must be changed at least once a year.{" "}
        <Link to="/account/password">Change your password</Link>
      </p>
      <p>
        <Link to="/account/passkeys">Passkeys and security keys</Link>: sign in without a password, or use one instead of your
        authenticator code.
      </p>
    </div>
  );
}
