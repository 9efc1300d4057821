import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { rosterVendors } from "~/modules/roster/roster.server.ts";
import { rosterPaths } from "~/modules/roster/vocabulary.ts";
import type { Route } from "./+types/roster";

/** The personnel rosters of the vendors the agency contracts with: who is flagged, what waits for approval. */
export const permission = "evidence:read";
export const meta = () => [{ title: "Vendor rosters — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { vendors: await auth.run((ctx) => rosterVendors(ctx)) };
}

export default function Rosters({ loaderData: { vendors } }: Route.ComponentProps) {
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Vendor rosters" }]} />
      <h1>Vendor personnel rosters</h1>
      <p className="usa-intro">
        Each vendor's people with access to unencrypted CJI: fingerprint checks (CJIS PS-3), the signed Security Addendum (SA-9,
        Appendix H) and yearly security awareness training (AT-2). Vendors propose changes; a CJIS officer approves them.
      </p>
      {vendors.length === 0 ? <p>Your agency has no live contract with a vendor.</p> : null}
      {vendors.length > 0 ? (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption className="usa-sr-only">Vendors and their rosters</caption>
          <thead>
            <tr>
              <th scope="col">Vendor</th>
              <th scope="col">People with access</th>
              <th scope="col">Flagged</th>
              <th scope="col">Waiting for approval</th>
            </tr>
          </thead>
          <tbody>
            {vendors.map((v) => (
              <tr key={v.id}>
                <th scope="row" data-label="Vendor">
                  <Link to={rosterPaths.vendor(v.id)}>{v.name}</Link>
                </th>
                <td data-label="People with access">{v.people}</td>
                <td data-label="Flagged">{v.flagged}</td>
                <td data-label="Waiting for approval">{v.pending}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
