import { data, Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { getPrincipleCrosswalk } from "~/modules/catalog/catalog.server.ts";
import { catalogPaths, qualifiedLabel } from "~/modules/catalog/paths.ts";
import type { Route } from "./+types/catalog.crosswalk";

export const meta: Route.MetaFunction = () => [{ title: "Crosswalk — Custody" }];

export const permission = "catalog:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const crosswalk = await auth.run((ctx) => getPrincipleCrosswalk(ctx));
  if (!crosswalk) throw data("Not found", { status: 404 });
  return crosswalk;
}

export default function CrosswalkPage({ loaderData }: Route.ComponentProps) {
  const { framework, rows } = loaderData;
  return (
    <>
      <Breadcrumbs
        crumbs={[{ label: "Home", to: "/" }, { label: "Catalog", to: catalogPaths.index() }, { label: "Crosswalk" }]}
      />
      <h1>Crosswalk</h1>
      <p className="usa-intro custody-summary">
        Each of the {rows.length} IACP principles, the sample contract provisions that serve it, and the CJIS Security Policy and
        Security Addendum requirements it maps to. Open any entry to read the mapping from its side, with the reason for each
        link.
      </p>
      <table className="usa-table usa-table--stacked width-full">
        <caption className="usa-sr-only">
          {framework.title} ({framework.version}) mapped to provisions and CJIS requirements
        </caption>
        <thead>
          <tr>
            <th scope="col">Principle</th>
            <th scope="col">Provisions that serve it</th>
            <th scope="col">CJIS requirements</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ principle, provisions, controls }) => (
            <tr key={principle.id}>
              <th scope="row" data-label="Principle">
                <Link to={catalogPaths.requirement(framework.key, framework.version, principle.code)}>
                  {principle.code}. {principle.title}
                </Link>
              </th>
              <td data-label="Provisions that serve it">
                {provisions.length === 0 ? (
                  <span className="custody-muted">None in the sample language</span>
                ) : (
                  <ul className="usa-list usa-list--unstyled">
                    {provisions.map((p) => (
                      <li key={p.code}>
                        <Link to={catalogPaths.requirement(p.frameworkKey, p.frameworkVersion, p.code)}>
                          {p.code}. {p.title}
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td data-label="CJIS requirements">
                <ul className="usa-list usa-list--unstyled">
                  {controls.map((c) => (
                    <li key={`${c.frameworkKey}:${c.code}`}>
                      <Link to={catalogPaths.requirement(c.frameworkKey, c.frameworkVersion, c.code)}>
                        <span className="custody-code">{qualifiedLabel(c)}</span> {c.title}
                      </Link>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
