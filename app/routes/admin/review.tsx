import { readForm } from "~/http/form.server.ts";
import { data, Form, Link } from "react-router";
import { FormAlert } from "~/components/field.tsx";
import { authorize } from "~/http/guard.server.ts";
import { completeReview, decide, getReview } from "~/modules/access/reviews.server.ts";
import { useTimeZone } from "~/components/when.tsx";
import { formatDay, formatMinute } from "~/modules/format.ts";
import type { Route } from "./+types/review";

export const permission = "access-review:run";
export const meta: Route.MetaFunction = () => [{ title: "Access review — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { ...(await auth.run((ctx) => getReview(ctx, args.params.reviewId))), me: auth.person.id };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  const field = (k: string) => String(form.get(k) ?? "").slice(0, 600);
  const result = await auth.submit((ctx) =>
    field("intent") === "complete"
      ? completeReview(ctx, args.params.reviewId)
      : decide(ctx, args.params.reviewId, field("itemId"), field("decision"), field("note")),
  );
  if (!result.ok) return data({ error: result.message, itemId: field("itemId") || null }, { status: 400 });
  return { error: null, itemId: null };
}

export default function Review({ loaderData, actionData }: Route.ComponentProps) {
  const zone = useTimeZone();
  const day = (d: Date | string | null) => formatMinute(d, zone);
  const { review, items, me } = loaderData;
  const open = !review.completedAt;
  return (
    <div className="padding-y-4">
      <p>
        <Link to="/admin/reviews">Access reviews</Link>
      </p>
      <h1>Access review of {formatDay(review.startedAt, zone)}</h1>
      <p className="usa-intro">
        {open ? "Certify or revoke each role, then complete the review." : `Completed ${day(review.completedAt)}.`}
      </p>
      <FormAlert message={actionData?.error} />
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Roles under review</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Role</th>
            <th scope="col">Last activity</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id}>
              <th scope="row" data-label="Person">
                {i.name}
                <div className="font-body-3xs custody-muted">{i.email}</div>
              </th>
              <td data-label="Role">
                {i.roleLabel}
                {i.endsAt ? ` (until ${formatDay(i.endsAt, zone)})` : ""}
              </td>
              <td data-label="Last activity">{day(i.lastActivityAt) || "never"}</td>
              <td data-label="Decision">
                {i.decision ? (
                  `${i.decision === "certify" ? "Certified" : "Revoked"} by ${i.decidedBy} ${day(i.decidedAt)}${i.note ? ` — ${i.note}` : ""}`
                ) : !open ? (
                  "Not decided"
                ) : i.personId === me ? (
                  "Another administrator must review your own access"
                ) : (
                  <Form method="post" className="usa-form maxw-none">
                    <input type="hidden" name="itemId" value={i.id} />
                    <label className="usa-label margin-top-0" htmlFor={`note-${i.id}`}>
                      Note (needed to revoke)
                    </label>
                    <input className="usa-input" id={`note-${i.id}`} name="note" maxLength={500} />
                    <div className="margin-top-1">
                      <button className="usa-button usa-button--small" type="submit" name="decision" value="certify">
                        Certify
                      </button>
                      <button
                        className="usa-button usa-button--small usa-button--secondary"
                        type="submit"
                        name="decision"
                        value="revoke"
                      >
                        Revoke
                      </button>
                    </div>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open ? (
        <Form method="post">
          <button className="usa-button" type="submit" name="intent" value="complete">
            Complete the review
          </button>
        </Form>
      ) : null}
    </div>
  );
}
