import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { EvidenceStatusTag, FlagList } from "~/components/evidence.tsx";
import { authorize } from "~/http/guard.server.ts";
import { reviewQueue } from "~/modules/evidence/review.server.ts";
import { evidencePaths } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/evidence.review";
import { When } from "~/components/when.tsx";

/** Submissions waiting for the agency's decision, the longest waiting first. */
export const permission = "evidence:review";
export const meta = () => [{ title: "Review queue — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { rows: await auth.run((ctx) => reviewQueue(ctx)) };
}

export default function ReviewQueue({ loaderData }: Route.ComponentProps) {
  const { rows } = loaderData;
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Evidence", to: evidencePaths.register() }, { label: "Review queue" }]} />
      <h1>Review queue</h1>
      {rows.length === 0 ? <p>Nothing is waiting for review.</p> : null}
      {rows.length > 0 ? (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption className="usa-sr-only">Submissions waiting for a decision</caption>
          <thead>
            <tr>
              <th scope="col">Evidence</th>
              <th scope="col">Vendor</th>
              <th scope="col">Status</th>
              <th scope="col">Waiting since</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row" data-label="Evidence">
                  <Link to={evidencePaths.item(r.id)}>{r.title}</Link>
                  <div className="custody-muted">
                    {r.kindName} · version {r.version}
                  </div>
                  <FlagList flags={r.flags} />
                </th>
                <td data-label="Vendor">{r.vendorName}</td>
                <td data-label="Status">
                  <EvidenceStatusTag status={r.status as "submitted" | "under-review"} />
                </td>
                <td data-label="Waiting since">
                  <When at={r.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
