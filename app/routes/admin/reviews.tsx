import { data, Form, Link, redirect } from "react-router";
import { FormAlert } from "~/components/field.tsx";
import { authorize } from "~/http/guard.server.ts";
import { listReviews, startReview } from "~/modules/access/reviews.server.ts";
import { useTimeZone } from "~/components/when.tsx";
import { formatDay } from "~/modules/format.ts";
import type { Route } from "./+types/reviews";

export const permission = "access-review:run";
export const meta: Route.MetaFunction = () => [{ title: "Access reviews — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { reviews: await auth.run((ctx) => listReviews(ctx)) };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const started = await auth.submit((ctx) => startReview(ctx));
  if (!started.ok) return data({ error: started.message }, { status: 400 });
  throw redirect(`/admin/reviews/${started.value.id}`);
}

export default function Reviews({ loaderData, actionData }: Route.ComponentProps) {
  const zone = useTimeZone();
  const day = (d: Date | string | null) => formatDay(d, zone);
  return (
    <div className="padding-y-4">
      <h1>Access reviews</h1>
      <p className="usa-intro">
        At least once a year, confirm that everyone with a role in the agency still needs it (CJIS Security Policy AC-2 j).
      </p>
      <FormAlert message={actionData?.error} />
      <Form method="post">
        <button className="usa-button" type="submit">
          Start a review
        </button>
      </Form>
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Access reviews</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">By</th>
            <th scope="col">Decided</th>
            <th scope="col">Revoked</th>
            <th scope="col">Completed</th>
          </tr>
        </thead>
        <tbody>
          {loaderData.reviews.map((r) => (
            <tr key={r.id}>
              <th scope="row" data-label="Started">
                <Link to={`/admin/reviews/${r.id}`}>
                  {day(r.startedAt)} · {r.organisationName}
                </Link>
              </th>
              <td data-label="By">{r.startedBy}</td>
              <td data-label="Decided">
                {r.decided} of {r.items}
              </td>
              <td data-label="Revoked">{r.revoked}</td>
              <td data-label="Completed">{day(r.completedAt) || "In progress"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
