import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { listFrameworks } from "~/modules/catalog/catalog.server.ts";
import { catalogPaths, kindLabel } from "~/modules/catalog/paths.ts";
import type { Route } from "./+types/catalog";

export const meta: Route.MetaFunction = () => [{ title: "Requirement catalog — Custody" }];

export const permission = "catalog:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { frameworks: await auth.run((ctx) => listFrameworks(ctx)) };
}

export default function Catalog({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <Breadcrumbs crumbs={[{ label: "Home", to: "/" }, { label: "Catalog" }]} />
      <h1>Requirement catalog</h1>
      <p className="usa-intro custody-summary">
        The frameworks Custody measures contracts against, each at the version a contract can cite.
      </p>
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Frameworks in the catalog</caption>
        <thead>
          <tr>
            <th scope="col">Framework</th>
            <th scope="col">Version</th>
            <th scope="col">Published</th>
            <th scope="col">Contents</th>
          </tr>
        </thead>
        <tbody>
          {loaderData.frameworks.map((f) => (
            <tr key={f.id}>
              <th scope="row" data-label="Framework">
                <Link to={catalogPaths.framework(f.key, f.version, f.latest ? undefined : f.revision)}>{f.title}</Link>
                <div className="font-body-3xs custody-muted">{f.publisher}</div>
              </th>
              <td data-label="Version">
                {f.version}
                {f.revision > 1 || !f.latest ? (
                  <span className="custody-muted">
                    {" "}
                    (catalog revision {f.revision}
                    {f.latest ? "" : ", superseded"})
                  </span>
                ) : null}
              </td>
              <td data-label="Published">{f.published}</td>
              <td data-label="Contents">
                {Object.entries(f.counts)
                  .map(([kind, n]) => `${n} ${kindLabel(kind, n)}`)
                  .join(", ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Across frameworks</h2>
      <ul className="usa-list">
        <li>
          <Link to={catalogPaths.crosswalk()}>Crosswalk</Link>: each IACP principle with the provisions that serve it and the CJIS
          requirements it maps to.
        </li>
        <li>
          <Link to={catalogPaths.evidence()}>Evidence kinds</Link>: what a vendor provides, and which requirements each kind can
          help satisfy.
        </li>
      </ul>
    </>
  );
}
