import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { CoverageTag } from "~/components/coverage.tsx";
import { authorize } from "~/http/guard.server.ts";
import { catalogPaths } from "~/modules/catalog/paths.ts";
import { getGapReport } from "~/modules/contracts/coverage.server.ts";
import { assessmentLine, NO_PROVISION_TEXT } from "~/modules/contracts/gap-words.ts";
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
  const { view, gaps, unassessed, assessment, canGenerate } = loaderData;
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
      {unassessed > 0 ? (
        <div className="usa-alert usa-alert--warning usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              <strong>This report is incomplete.</strong> {assessmentLine(assessment)} The {unassessed} not yet assessed are not
              listed below and may hold further gaps:{" "}
              <Link to={contractPaths.matrix(c.id, { status: "unassessed" })}>assess them in the matrix</Link>.
            </p>
          </div>
        </div>
      ) : (
        <p className="custody-summary">{assessmentLine(assessment)}</p>
      )}
      <p className="custody-summary">
        {gaps.length === 0
          ? unassessed > 0
            ? "Among the requirements assessed so far, none is missing or only partly addressed."
            : "No requirement is missing or only partly addressed."
          : `${gaps.length} ${gaps.length === 1 ? "requirement is" : "requirements are"} missing or only partly addressed, each with the IACP sample provision whose subject would close it.`}
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
              <td colSpan={4}>
                {unassessed > 0
                  ? "None found among the requirements assessed so far."
                  : "No requirement is missing or partly addressed."}
              </td>
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
                  ? NO_PROVISION_TEXT
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
        To put wording to the vendor, generate the gap analysis memo: for each gap it quotes the clause of the Cloud Services CJIS
        Addendum that would close it, with the contract&rsquo;s own values filled in. Where neither a sample provision nor an
        addendum clause covers a gap, counsel drafts the Agency&rsquo;s own clause, which the addendum carries as an additional
        term.
      </p>
    </div>
  );
}
