import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { CoverageTag } from "~/components/coverage.tsx";
import { authorize } from "~/http/guard.server.ts";
import { catalogPaths } from "~/modules/catalog/paths.ts";
import { getGapReport } from "~/modules/contracts/coverage.server.ts";
import { contractPaths } from "~/modules/contracts/paths.ts";
import { documentPaths } from "~/modules/documents/paths.ts";
import type { Route } from "./+types/contracts.gaps";

export const permission = "contract:read";
export const meta: Route.MetaFunction = ({ data }) => [
  { title: `Gap report: ${data?.view.contract.title ?? "contract"} — Custody` },
];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run(async (ctx) => ({
    ...(await getGapReport(ctx, args.params.contractId)),
    canGenerate: ctx.actor.permissions.has("document:generate"),
  }));
}

export default function GapReport({ loaderData }: Route.ComponentProps) {
  const { view, gaps, unassessed, canGenerate } = loaderData;
  const c = view.contract;
  return (
    <div className="padding-y-4">
      <Breadcrumbs
        crumbs={[
          { label: "Contracts", to: contractPaths.list() },
          { label: c.title, to: contractPaths.contract(c.id) },
          { label: "Gap report" },
        ]}
      />
      <h1>Gap report</h1>
      <p className="custody-muted">
        {c.title} · {view.vendorName}
      </p>
      <p className="custody-summary">
        Every requirement the contract misses or only partly addresses, with the IACP sample provision whose subject would close
        it. {gaps.length} gap(s).
        {unassessed > 0 ? (
          <>
            {" "}
            {unassessed} requirement(s) are not yet assessed and are not listed:{" "}
            <Link to={contractPaths.matrix(c.id, { status: "unassessed" })}>assess them in the matrix</Link>.
          </>
        ) : null}
      </p>
      <p>
        <a className="usa-button usa-button--outline" href={contractPaths.gapsCsv(c.id)} download>
          Download as CSV
        </a>
        {canGenerate ? (
          <Link className="usa-button margin-left-1" to={documentPaths.generate("gap-memo", c.id)}>
            Gap analysis memo for the vendor&rsquo;s counsel
          </Link>
        ) : null}
      </p>
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Gaps</caption>
        <thead>
          <tr>
            <th scope="col">Requirement</th>
            <th scope="col">Status</th>
            <th scope="col">Where it stands</th>
            <th scope="col">Provision that would close it</th>
          </tr>
        </thead>
        <tbody>
          {gaps.length === 0 ? (
            <tr>
              <td colSpan={4}>No requirement is missing or partly addressed.</td>
            </tr>
          ) : null}
          {gaps.map((g) => (
            <tr key={g.id}>
              <th scope="row" data-label="Requirement">
                <Link to={contractPaths.requirement(c.id, g.id)}>
                  {g.label}: {g.title}
                </Link>
              </th>
              <td data-label="Status">
                <CoverageTag status={g.status} />
              </td>
              <td data-label="Where it stands">{[g.section, g.notes].filter(Boolean).join(" — ") || "—"}</td>
              <td data-label="Provision that would close it">
                {g.closing.length === 0
                  ? "No sample provision covers it; draft an agency clause."
                  : g.closing.map((p, i) => (
                      <span key={p.code}>
                        {i > 0 ? "; " : ""}
                        <Link to={catalogPaths.requirement(p.frameworkKey, p.frameworkVersion, p.code)}>
                          Provision {p.code}: {p.title}
                        </Link>
                      </span>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Contract language</h2>
      <p className="custody-summary">
        The provisions above name the subject of the clause each gap needs. Drafting the clause text itself, from the clause
        library into a DOCX for redlining, is the job of the document templates; this report is where that drafting will start.
      </p>
    </div>
  );
}
