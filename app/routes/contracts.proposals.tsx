import { data, Form, Link, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { CoverageTag } from "~/components/coverage.tsx";
import { ErrorSummary } from "~/components/field.tsx";
import { FileInput } from "~/components/file-input.tsx";
import { readForm } from "~/http/form.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { withUpload } from "~/http/upload.server.ts";
import { COVERAGE_LABELS, type CoverageKey, RESPONSIBILITY_PHRASES } from "~/modules/contracts/contract-form.ts";
import { contractPaths } from "~/modules/contracts/paths.ts";
import { COMPONENT_MAX_MEGABYTES } from "~/modules/portability/limits.ts";
import { decideProposals, pendingProposals, proposeFromComponentDefinition } from "~/modules/portability/oscal-import.server.ts";
import type { Route } from "./+types/contracts.proposals";

/** A vendor's OSCAL component definition, read into coverage proposals the officer accepts or dismisses. */
export const permission = "contract:edit";
export const meta: Route.MetaFunction = ({ data }) => [
  { title: `Proposals from the vendor's OSCAL — ${data?.view.contract.title ?? "contract"} — Custody` },
];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run((ctx) => pendingProposals(ctx, args.params.contractId));
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const contractId = args.params.contractId;
  const here = contractPaths.proposals(contractId);
  if ((args.request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const result = await withUpload(
      args.request,
      { spoolDir: args.context.blobs.spoolDir, maxBytes: COMPONENT_MAX_MEGABYTES * 1024 * 1024, fileField: "file" },
      (received) => auth.submit((ctx) => proposeFromComponentDefinition(ctx, contractId, received.file!)),
    );
    if (!result.ok) return data({ errors: result.errors }, { status: 400 });
    const { proposed, repeated, unmatched } = result.value;
    await auth.flash(
      `${proposed} proposal(s) read from the file${repeated ? `; ${repeated} were already waiting` : ""}.` +
        (unmatched.length
          ? ` Not matched to this contract's requirements: ${unmatched.slice(0, 10).join(", ")}${unmatched.length > 10 ? ` and ${unmatched.length - 10} more` : ""}.`
          : ""),
    );
    throw redirect(here);
  }
  const form = await readForm(args.request);
  const decision = form.get("decision") === "dismiss" ? "dismiss" : "accept";
  const ids = form.get("scope") === "all" ? "all" : form.getAll("proposalIds").map(String);
  const result = await auth.submit((ctx) => decideProposals(ctx, contractId, { ids, decision }));
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  await auth.flash(
    decision === "accept"
      ? `${result.value.decided} proposal(s) accepted and written into the coverage matrix.`
      : `${result.value.decided} proposal(s) dismissed; the matrix is unchanged.`,
  );
  throw redirect(here);
}

export default function Proposals({ loaderData, actionData }: Route.ComponentProps) {
  const { view, proposals } = loaderData;
  const c = view.contract;
  const errors = actionData?.errors ?? {};
  return (
    <div className="padding-y-4">
      <Breadcrumbs
        crumbs={[
          { label: "Contracts", to: contractPaths.list() },
          { label: c.title, to: contractPaths.contract(c.id) },
          { label: "Coverage matrix", to: contractPaths.matrix(c.id) },
          { label: "Proposals from the vendor's OSCAL" },
        ]}
      />
      <h1>Proposals from the vendor&rsquo;s OSCAL</h1>
      <p className="usa-intro">
        Read the vendor&rsquo;s NIST OSCAL component definition into proposals for this contract&rsquo;s coverage matrix. Nothing
        changes the matrix until you accept a proposal; each cites the vendor&rsquo;s own statement, which is a claim to check
        against the contract, not evidence.
      </p>
      <ErrorSummary errors={errors} />
      <Form method="post" encType="multipart/form-data" className="usa-form usa-form--large">
        <FileInput
          name="file"
          label="Component definition"
          accept=".json,application/json"
          types="OSCAL 1.0 component definition in JSON"
          maxMegabytes={COMPONENT_MAX_MEGABYTES}
          error={errors.file}
        />
        <button className="usa-button" type="submit">
          Read proposals
        </button>
      </Form>
      <h2>Waiting for a decision ({proposals.length})</h2>
      {proposals.length === 0 ? (
        <p>
          None. <Link to={contractPaths.matrix(c.id)}>Back to the coverage matrix</Link>
        </p>
      ) : (
        <Form method="post">
          <table className="usa-table usa-table--borderless usa-table--stacked width-full">
            <caption className="usa-sr-only">Proposals waiting for a decision</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="usa-sr-only">Select</span>
                </th>
                <th scope="col">Requirement</th>
                <th scope="col">Today</th>
                <th scope="col">Proposed</th>
                <th scope="col">The vendor&rsquo;s statement</th>
              </tr>
            </thead>
            <tbody>
              {proposals.map((p) => (
                <tr key={p.id}>
                  <td data-label="Select">
                    <div className="usa-checkbox">
                      <input className="usa-checkbox__input" id={`p-${p.id}`} type="checkbox" name="proposalIds" value={p.id} />
                      <label className="usa-checkbox__label custody-checkbox-only" htmlFor={`p-${p.id}`}>
                        <span className="usa-sr-only">Select the proposal for {p.label}</span>
                      </label>
                    </div>
                  </td>
                  <th scope="row" data-label="Requirement">
                    {p.label}
                    <div className="font-body-3xs">{p.title}</div>
                  </th>
                  <td data-label="Today">
                    <CoverageTag status={p.current as CoverageKey} />
                    {p.currentSection ? <div className="font-body-3xs custody-muted">{p.currentSection}</div> : null}
                  </td>
                  <td data-label="Proposed">
                    {COVERAGE_LABELS[p.status]}
                    {p.responsibility ? (
                      <div className="font-body-3xs custody-muted">Carried by {RESPONSIBILITY_PHRASES[p.responsibility]}</div>
                    ) : null}
                  </td>
                  <td data-label="The vendor's statement">
                    <p className="margin-0 custody-summary">{p.statement}</p>
                    <div className="font-body-3xs custody-muted">
                      {p.componentTitle} · {p.controlId} · {p.sourceFilename}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul className="usa-button-group margin-top-2">
            <li className="usa-button-group__item">
              <button className="usa-button" type="submit" name="decision" value="accept">
                Accept the ticked
              </button>
            </li>
            <li className="usa-button-group__item">
              <button className="usa-button usa-button--outline" type="submit" name="decision" value="dismiss">
                Dismiss the ticked
              </button>
            </li>
          </ul>
        </Form>
      )}
      {proposals.length > 1 ? (
        <Form method="post" className="margin-top-2">
          <input type="hidden" name="scope" value="all" />
          <button className="usa-button usa-button--outline" type="submit" name="decision" value="accept">
            Accept all {proposals.length}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
