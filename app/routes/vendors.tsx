import { Form, Link } from "react-router";
import { authorize } from "~/http/guard.server.ts";
import { vendorPaths } from "~/modules/contracts/paths.ts";
import { listVendors } from "~/modules/vendors/vendors.server.ts";
import { countryName, SERVICE_KINDS, type ServiceKind } from "~/modules/vendors/vocabulary.ts";
import type { Route } from "./+types/vendors";

export const permission = "vendor:read";
export const meta: Route.MetaFunction = () => [{ title: "Vendors — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const q = new URL(args.request.url).searchParams.get("q")?.slice(0, 100) ?? "";
  const vendors = await auth.run((ctx) => listVendors(ctx, { q }));
  return { vendors, q, canRegister: auth.actor.permissions.has("vendor:edit") };
}

export default function Vendors({ loaderData }: Route.ComponentProps) {
  const { vendors, q, canRegister } = loaderData;
  return (
    <div className="padding-y-4">
      <h1>Vendors</h1>
      <p className="custody-summary">
        Cloud service providers registered in this installation. Each agency keeps its own record of what it buys from a vendor,
        where the data is stored and who holds the keys; the flags come from your agency's record.
      </p>
      <div className="display-flex flex-justify flex-align-end flex-wrap">
        <Form method="get" role="search" className="usa-search usa-search--small">
          <label className="usa-sr-only" htmlFor="vendor-search">
            Search vendors
          </label>
          <input className="usa-input" id="vendor-search" type="search" name="q" defaultValue={q} />
          <button className="usa-button" type="submit">
            <span className="usa-search__submit-text">Search</span>
          </button>
        </Form>
        {canRegister ? (
          <Link className="usa-button" to={vendorPaths.create()}>
            Register a vendor
          </Link>
        ) : null}
      </div>
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Vendors</caption>
        <thead>
          <tr>
            <th scope="col">Vendor</th>
            <th scope="col">Headquarters</th>
            <th scope="col">Services your agency buys</th>
            <th scope="col">Flags</th>
          </tr>
        </thead>
        <tbody>
          {vendors.length === 0 ? (
            <tr>
              <td colSpan={4}>{q ? `No vendor matches “${q}”.` : "No vendor is registered yet."}</td>
            </tr>
          ) : null}
          {vendors.map((v) => (
            <tr key={v.id}>
              <th scope="row" data-label="Vendor">
                <Link to={vendorPaths.vendor(v.id)}>{v.legalName}</Link>
                {v.tradeName ? <div className="custody-muted">{v.tradeName}</div> : null}
              </th>
              <td data-label="Headquarters">
                {v.headquarters}, {countryName(v.headquartersCountry)}
              </td>
              <td data-label="Services your agency buys">
                {v.recorded ? (
                  v.serviceKinds!.map((k) => SERVICE_KINDS[k as ServiceKind] ?? k).join("; ")
                ) : (
                  <span className="custody-muted">Not recorded by your agency</span>
                )}
              </td>
              <td data-label="Flags">
                {v.flags.length === 0 ? (
                  v.recorded ? (
                    "None"
                  ) : (
                    "—"
                  )
                ) : (
                  <ul className="usa-list usa-list--unstyled">
                    {v.flags.map((f, i) => (
                      <li key={i} className="custody-flag">
                        {f.message}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
