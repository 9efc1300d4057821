import { Link } from "react-router";
import { authorize } from "~/http/guard.server.ts";
import { listPeople } from "~/modules/access/people.server.ts";
import type { Route } from "./+types/people";
import { When } from "~/components/when.tsx";

export const permission = "user:read";
export const meta: Route.MetaFunction = () => [{ title: "People — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return {
    people: await auth.run((ctx) => listPeople(ctx)),
    canInvite: auth.actor.permissions.has("user:invite"),
    scope: auth.membership?.organisationKind === "platform" ? "every organization" : (auth.membership?.organisationName ?? ""),
  };
}

const statusLabel = { active: "Active", locked: "Locked", disabled: "Disabled" } as const;

export default function People({ loaderData }: Route.ComponentProps) {
  return (
    <div className="padding-y-4">
      <h1>People</h1>
      <p className="usa-intro">Everyone who holds or held a role in {loaderData.scope}.</p>
      {loaderData.canInvite ? (
        <p>
          <Link className="usa-button" to="/admin/invitations/new">
            Invite someone
          </Link>
        </p>
      ) : null}
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">People</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Roles now</th>
            <th scope="col">Status</th>
            <th scope="col">Last activity</th>
          </tr>
        </thead>
        <tbody>
          {loaderData.people.map((p) => (
            <tr key={p.id}>
              <th scope="row" data-label="Name">
                <Link to={`/admin/people/${p.id}`}>{p.name}</Link>
                <div className="font-body-3xs custody-muted">{p.email}</div>
              </th>
              <td data-label="Roles now">{p.roles.length ? p.roles.join("; ") : <span className="custody-muted">None</span>}</td>
              <td data-label="Status">{statusLabel[p.status]}</td>
              <td data-label="Last activity">
                <When at={p.lastActivityAt} none="Never" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
