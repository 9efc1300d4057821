import { Form, Link } from "react-router";
import { CoverageBar, CoverageLegend, coverageText } from "~/components/coverage.tsx";
import { SelectField } from "~/components/inputs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { listContracts } from "~/modules/contracts/contracts.server.ts";
import { coverageOf } from "~/modules/contracts/coverage.server.ts";
import { percentAddressed } from "~/modules/contracts/figures.ts";
import { type ContractStatus, KIND_LABELS, STATUS_LABELS, STATUS_ORDER } from "~/modules/contracts/lifecycle.ts";
import { contractPaths, vendorPaths } from "~/modules/contracts/paths.ts";
import type { Route } from "./+types/contracts";
import { formatPercent } from "~/modules/format.ts";

export const permission = "contract:read";
export const meta: Route.MetaFunction = () => [{ title: "Contracts — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const url = new URL(args.request.url);
  const status: ContractStatus | "" = STATUS_ORDER.find((s) => s === url.searchParams.get("status")) ?? "";
  return auth.run(async (ctx) => {
    const contracts = await listContracts(ctx, { status, vendorId: url.searchParams.get("vendorId") ?? undefined });
    const coverage = await coverageOf(
      ctx,
      contracts.map((c) => c.id),
    );
    return {
      contracts: contracts.map((c) => ({ ...c, coverage: coverage.get(c.id) ?? null })),
      status,
      canCreate: ctx.actor.permissions.has("contract:edit"),
    };
  });
}

export default function Contracts({ loaderData }: Route.ComponentProps) {
  const { contracts, status, canCreate } = loaderData;
  return (
    <div className="padding-y-4">
      <h1>Contracts</h1>
      <p className="custody-summary">Contracts your agency owns, and those other agencies share with it.</p>
      <div className="display-flex flex-justify flex-align-end flex-wrap">
        <Form method="get" className="usa-form display-flex flex-align-end">
          <SelectField
            name="status"
            label="Status"
            options={STATUS_ORDER.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
            empty="All"
            defaultValue={status}
          />
          <button className="usa-button usa-button--outline margin-left-1" type="submit">
            Filter
          </button>
        </Form>
        {canCreate ? (
          <Link className="usa-button" to={contractPaths.create()}>
            New contract
          </Link>
        ) : null}
      </div>
      <CoverageLegend />
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Contracts</caption>
        <thead>
          <tr>
            <th scope="col">Contract</th>
            <th scope="col">Vendor</th>
            <th scope="col">Status</th>
            <th scope="col">Term ends</th>
            <th scope="col">Coverage</th>
          </tr>
        </thead>
        <tbody>
          {contracts.length === 0 ? (
            <tr>
              <td colSpan={5}>{status ? `No contract is ${STATUS_LABELS[status].toLowerCase()}.` : "No contract yet."}</td>
            </tr>
          ) : null}
          {contracts.map((c) => (
            <tr key={c.id}>
              <th scope="row" data-label="Contract">
                <Link to={contractPaths.contract(c.id)}>{c.title}</Link>
                <div className="custody-muted">
                  {KIND_LABELS[c.kind]}
                  {c.reference ? ` · ${c.reference}` : ""}
                  {c.owned ? "" : ` · shared by ${c.agencyName}`}
                </div>
              </th>
              <td data-label="Vendor">
                <Link to={vendorPaths.vendor(c.vendorId)}>{c.vendorName}</Link>
              </td>
              <td data-label="Status">{STATUS_LABELS[c.lifecycle.status]}</td>
              <td data-label="Term ends">{c.lifecycle.currentEnd ?? "—"}</td>
              <td data-label="Coverage">
                {c.coverage ? (
                  <Link to={contractPaths.matrix(c.id)} aria-label={`Coverage of ${c.title}: ${coverageText(c.coverage)}`}>
                    <CoverageBar counts={c.coverage} label={`Coverage of ${c.title}`} />
                    <span className="custody-muted">{formatPercent(percentAddressed(c.coverage) ?? 0)} addressed</span>
                  </Link>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
