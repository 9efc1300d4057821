import { readForm } from "~/http/form.server.ts";
import { data, Form } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { ConflictList } from "~/components/conflicts.tsx";
import { PlainLink } from "~/components/plain-link.tsx";
import { CoverageBar, CoverageLegend, CoverageTag, coverageText } from "~/components/coverage.tsx";
import { EvidenceStateTag } from "~/components/evidence.tsx";
import { Field, FormAlert, SuccessAlert } from "~/components/field.tsx";
import { SelectField } from "~/components/inputs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { getMatrixForPage, setCoverage } from "~/modules/contracts/coverage.server.ts";
import { contractPaths } from "~/modules/contracts/paths.ts";
import { formatCount } from "~/modules/format.ts";
import {
  COVERAGE_LABELS,
  COVERAGE_ORDER,
  RESPONSIBILITY_LABELS,
  RESPONSIBILITY_ORDER,
  RESPONSIBILITY_PHRASES,
} from "~/modules/contracts/contract-form.ts";
import type { Route } from "./+types/contracts.coverage";

export const permission = "contract:read";
/** Marking requirements changes the contract's record. */
export const actionPermission = "contract:edit";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `Coverage of ${data?.contract.title ?? "contract"} — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const url = new URL(args.request.url);
  const status = url.searchParams.get("status") ?? undefined;
  // The groups the person opened (?open=<framework>, or ?open=all); by default only the first with work left,
  // so the page queries and draws the rows someone is working on, not the whole matrix at once.
  const asked = url.searchParams.getAll("open");
  const open = asked.includes("all") ? undefined : asked.length > 0 ? asked : ("first-with-work" as const);
  const { view, sections, figures, conflicts, statusFilter, openKeys } = await auth.run((ctx) =>
    getMatrixForPage(ctx, args.params.contractId, { status, open }),
  );
  // Only what the page shows travels with it (the contract's whole record, the per-principle figures and the
  // conflicts' proposed wording are for documents, not this page).
  return {
    contract: {
      id: view.contract.id,
      title: view.contract.title,
      vendorName: view.vendorName,
      agencyName: view.agencyName,
      canEdit: view.canEdit,
      owned: view.owned,
    },
    sections,
    figures: { contract: figures.contract, percent: figures.percent, evidence: figures.evidence },
    conflicts: conflicts.map(({ code, message, cites, fix }) => ({ code, message, cites, fix })),
    statusFilter,
    openKeys,
    // Evidence items open only for people who may read evidence; others see the state without a link.
    canOpenEvidence: auth.actor.permissions.has("evidence:read"),
  };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, actionPermission);
  const form = await readForm(args.request);
  const text = (name: string) => (form.get(name) === null ? undefined : String(form.get(name)));
  const result = await auth.submit((ctx) =>
    setCoverage(ctx, args.params.contractId, form.getAll("requirementIds").map(String), {
      status: text("status"),
      section: text("section"),
      notes: text("notes"),
      reason: text("reason"),
      responsibility: text("responsibility"),
    }),
  );
  if (!result.ok) return data({ errors: result.errors, saved: null, done: null }, { status: 400 });
  const { changed, unchanged } = result.value;
  // A new key per saved change resets the ticks, so the next bulk change starts from none.
  return {
    errors: {} as Record<string, string>,
    saved: crypto.randomUUID(),
    done: `${changed} requirement(s) marked ${COVERAGE_LABELS[text("status") as keyof typeof COVERAGE_LABELS].toLowerCase()}${unchanged ? `; ${unchanged} already were` : ""}.`,
  };
}

export default function CoverageMatrix({ loaderData, actionData }: Route.ComponentProps) {
  const { contract: c, sections, figures, conflicts, statusFilter, canOpenEvidence, openKeys } = loaderData;
  const errors = actionData?.errors ?? {};
  return (
    <div className="padding-y-4">
      <Breadcrumbs
        crumbs={[
          { label: "Contracts", to: contractPaths.list() },
          { label: c.title, to: contractPaths.contract(c.id) },
          { label: "Coverage matrix" },
        ]}
      />
      <h1>Coverage matrix</h1>
      <p className="custody-muted">
        {c.title} · {c.vendorName} · {figures.percent ?? 0}% of the requirements that apply are addressed (
        {coverageText(figures.contract)})
      </p>
      <p>
        Evidence: {figures.evidence.evidenced} requirement(s) evidenced by accepted, unexpired evidence
        {figures.evidence.gaps > 0 ? (
          <strong className="custody-flag">
            ; {figures.evidence.gaps} with expired or rejected evidence (a gap until replaced)
          </strong>
        ) : null}
        .
      </p>
      <SuccessAlert message={actionData?.done} />
      <ConflictList conflicts={conflicts} />
      <CoverageLegend />
      <Form method="post" noValidate key={actionData?.saved ?? "matrix"}>
        {/* The filter and the bulk-mark bar stay in view while the person scrolls down the requirements. */}
        <div className="custody-matrix-toolbar">
          <nav aria-label="Show requirements by status" className="margin-y-1">
            Show:{" "}
            <PlainLink to={contractPaths.matrix(c.id)} aria-current={statusFilter === null ? "page" : undefined}>
              all
            </PlainLink>
            {COVERAGE_ORDER.map((s) => (
              <span key={s}>
                {" · "}
                <PlainLink to={contractPaths.matrix(c.id, { status: s })} aria-current={statusFilter === s ? "page" : undefined}>
                  {COVERAGE_LABELS[s].toLowerCase()}
                </PlainLink>
              </span>
            ))}
            {" · "}
            <PlainLink to={contractPaths.matrix(c.id, { open: ["all"] })}>open every group</PlainLink>
            {" · "}
            <PlainLink to={contractPaths.gaps(c.id)}>gap report</PlainLink>
            {c.canEdit ? (
              <>
                {" · "}
                <PlainLink to={contractPaths.proposals(c.id)}>proposals from the vendor&rsquo;s OSCAL</PlainLink>
              </>
            ) : null}
          </nav>
          {c.canEdit ? (
            <fieldset className="usa-fieldset custody-matrix-bulk">
              <legend className="usa-legend">Mark the requirements ticked below</legend>
              <FormAlert message={errors.requirementIds} />
              <div className="grid-row grid-gap">
                <div className="grid-col-12 tablet:grid-col-3">
                  <SelectField
                    name="status"
                    label="Status"
                    options={COVERAGE_ORDER.filter((s) => s !== "unassessed").map((s) => ({
                      value: s,
                      label: COVERAGE_LABELS[s],
                    }))}
                    empty="- Choose -"
                    error={errors.status}
                  />
                </div>
                <div className="grid-col-12 tablet:grid-col-3">
                  <SelectField
                    name="responsibility"
                    label="Carried by"
                    options={RESPONSIBILITY_ORDER.map((r) => ({ value: r, label: RESPONSIBILITY_LABELS[r] }))}
                    empty="- Unchanged -"
                    error={errors.responsibility}
                  />
                </div>
                <div className="grid-col-12 tablet:grid-col-3">
                  <Field name="section" label="Contract section, like §7.2" error={errors.section} />
                </div>
                <div className="grid-col-12 tablet:grid-col-3">
                  <Field name="reason" label="Reason, if not applicable" error={errors.reason} />
                </div>
                <div className="grid-col-12 custody-matrix-bulk__submit margin-top-1">
                  <button className="usa-button" type="submit">
                    Mark ticked requirements
                  </button>
                </div>
              </div>
            </fieldset>
          ) : (
            <p className="margin-y-1">
              Read-only:{" "}
              {c.owned ? "your role does not change contracts." : `${c.agencyName} owns this contract and keeps its matrix.`}
            </p>
          )}
        </div>
        {sections.map((section) =>
          !section.open ? (
            // A group not opened yet: its counts, and a link that opens it (its rows are neither queried nor drawn).
            <section key={section.framework.id} className="custody-matrix-group" aria-labelledby={`fw-${section.framework.id}`}>
              <GroupHeading section={section} />
              <CoverageBar counts={section.counts} label={section.framework.shortTitle} />
              <p>
                <PlainLink to={contractPaths.matrix(c.id, { open: [...openKeys, section.framework.key] })}>
                  Show its {formatCount(section.counts.total, "requirement")}
                </PlainLink>
              </p>
            </section>
          ) : (
            // An opened group, its counts in its heading; it closes and opens again without JavaScript (details).
            <details key={section.framework.id} className="custody-matrix-group" open>
              <summary>
                <GroupHeading section={section} />
              </summary>
              <CoverageBar counts={section.counts} label={section.framework.shortTitle} />
              {section.rows.length === 0 ? (
                <p>No requirement of this framework has that status.</p>
              ) : (
                <table className="usa-table usa-table--borderless usa-table--stacked width-full custody-matrix">
                  <caption className="usa-sr-only">{section.framework.title}</caption>
                  <thead>
                    <tr>
                      {c.canEdit ? (
                        <th scope="col">
                          <span className="usa-sr-only">Select</span>
                        </th>
                      ) : null}
                      <th scope="col">Requirement</th>
                      <th scope="col">Status</th>
                      <th scope="col">Contract section</th>
                      <th scope="col">Evidence</th>
                      <th scope="col">Maps to</th>
                    </tr>
                  </thead>
                  <tbody>
                    {section.rows.map((r) => (
                      <tr key={r.id}>
                        {c.canEdit ? (
                          <td data-label="Select">
                            <div className="usa-checkbox">
                              <input
                                className="usa-checkbox__input"
                                id={`req-${r.id}`}
                                type="checkbox"
                                name="requirementIds"
                                value={r.id}
                              />
                              <label className="usa-checkbox__label custody-checkbox-only" htmlFor={`req-${r.id}`}>
                                <span className="usa-sr-only">{`Select ${r.label}`}</span>
                              </label>
                            </div>
                          </td>
                        ) : null}
                        <th scope="row" data-label="Requirement">
                          <PlainLink to={contractPaths.requirement(c.id, r.id)}>
                            <span className="custody-code">{r.code}</span>
                            {` ${r.title}`}
                          </PlainLink>
                          {r.area ? <div className="custody-muted">{`${r.area.code} ${r.area.title}`}</div> : null}
                        </th>
                        <td data-label="Status">
                          <CoverageTag status={r.status} />
                          {r.fromProvisions && r.fromProvisions.count > 0 ? (
                            <div className="custody-muted">
                              {`From its ${r.fromProvisions.count} provision(s): ${COVERAGE_LABELS[r.fromProvisions.status].toLowerCase()}`}
                            </div>
                          ) : null}
                          {r.reason ? <div className="custody-muted">{r.reason}</div> : null}
                        </td>
                        <td data-label="Contract section">
                          {r.section || "—"}
                          {r.responsibility ? (
                            <div className="custody-muted font-body-3xs">
                              Carried by {RESPONSIBILITY_PHRASES[r.responsibility]}
                            </div>
                          ) : null}
                        </td>
                        <td data-label="Evidence">
                          <EvidenceStateTag evidence={r.evidence} canOpen={canOpenEvidence} />
                        </td>
                        <td data-label="Maps to">
                          {r.links.length === 0
                            ? "—"
                            : r.links.map((l, i) => (
                                <span key={l.id}>
                                  {i > 0 ? ", " : ""}
                                  <PlainLink to={contractPaths.requirement(c.id, l.id)}>{l.label}</PlainLink>{" "}
                                  <span className="custody-muted">{`(${COVERAGE_LABELS[l.status].toLowerCase()})`}</span>
                                </span>
                              ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </details>
          ),
        )}
      </Form>
    </div>
  );
}

/** A framework group's heading: its name and version, and its counts. */
function GroupHeading({
  section,
}: {
  section: { framework: { id: string; shortTitle: string; version: string }; counts: Parameters<typeof coverageText>[0] };
}) {
  return (
    <>
      <h2 id={`fw-${section.framework.id}`} className="custody-matrix-group__title">
        {section.framework.shortTitle} ({section.framework.version})
      </h2>{" "}
      <span className="custody-muted">
        {formatCount(section.counts.total, "requirement")}: {coverageText(section.counts)}
      </span>
    </>
  );
}
