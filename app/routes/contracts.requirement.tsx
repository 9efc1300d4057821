import { AuditPriority } from "~/components/audit-priority.tsx";
import { readForm } from "~/http/form.server.ts";
import { data, Form, Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { CoverageTag } from "~/components/coverage.tsx";
import { Field, SuccessAlert } from "~/components/field.tsx";
import { ChoiceGroup, TextareaField } from "~/components/inputs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { catalogPaths } from "~/modules/catalog/paths.ts";
import { getCoverageEntry, setCoverage } from "~/modules/contracts/coverage.server.ts";
import { contractPaths } from "~/modules/contracts/paths.ts";
import {
  COVERAGE_LABELS,
  type CoverageKey,
  type Responsibility,
  RESPONSIBILITY_LABELS,
  RESPONSIBILITY_ORDER,
  RESPONSIBILITY_PHRASES,
} from "~/modules/contracts/contract-form.ts";
import type { Route } from "./+types/contracts.requirement";
import { When } from "~/components/when.tsx";

export const permission = "contract:read";
/** Marking the requirement changes the contract's record. */
export const actionPermission = "contract:edit";
export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.requirement.label ?? "Requirement"} in ${data?.view.contract.title ?? "contract"} — Custody` },
];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run((ctx) => getCoverageEntry(ctx, args.params.contractId, args.params.requirementId));
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, actionPermission);
  const form = await readForm(args.request);
  const input = {
    status: form.get("status") ?? undefined,
    section: String(form.get("section") ?? ""),
    notes: String(form.get("notes") ?? ""),
    reason: String(form.get("reason") ?? ""),
    responsibility: String(form.get("responsibility") ?? ""),
  };
  const result = await auth.submit((ctx) => setCoverage(ctx, args.params.contractId, [args.params.requirementId], input));
  if (!result.ok) return data({ errors: result.errors, values: input, done: null, contributes: [] as string[] }, { status: 400 });
  return {
    errors: {} as Record<string, string>,
    values: null,
    done: result.value.changed ? "Saved." : "Nothing changed.",
    contributes: result.value.contributes,
  };
}

const describe = (state: unknown) => {
  if (!state) return "Not yet assessed";
  const s = state as { status: CoverageKey; section: string; reason: string | null; responsibility?: Responsibility | null };
  return [
    COVERAGE_LABELS[s.status],
    s.section,
    s.reason,
    s.responsibility ? `carried by ${RESPONSIBILITY_PHRASES[s.responsibility]}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
};

export default function RequirementCoverage({ loaderData, actionData }: Route.ComponentProps) {
  const { view, requirement: r, contributes, fromProvisions, history } = loaderData;
  const c = view.contract;
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {
    status: r.status === "unassessed" ? undefined : r.status,
    section: r.section,
    notes: r.notes,
    reason: r.reason ?? "",
    responsibility: r.responsibility ?? "",
  };
  return (
    <div className="padding-y-4">
      <Breadcrumbs
        crumbs={[
          { label: "Contracts", to: contractPaths.list() },
          { label: c.title, to: contractPaths.contract(c.id) },
          { label: "Coverage matrix", to: contractPaths.matrix(c.id, { open: [r.frameworkKey] }) },
          { label: r.label },
        ]}
      />
      <h1>
        {r.label}: {r.title}
      </h1>
      <p className="custody-summary">{r.summary}</p>
      {r.figure ? <p className="custody-figure">{r.figure}</p> : null}
      <p className="custody-muted">
        {r.citation} · <Link to={catalogPaths.requirement(r.frameworkKey, r.frameworkVersion, r.code)}>In the catalog</Link>
      </p>
      <AuditPriority frameworkKey={r.frameworkKey} kind={r.kind} priority={r.priority} />
      <p>
        Status in this contract: <CoverageTag status={r.status} />
        {r.section ? ` · ${r.section}` : ""}
        {r.status !== "unassessed" && r.status !== "not-applicable"
          ? ` · ${r.responsibility ? `Carried by ${RESPONSIBILITY_PHRASES[r.responsibility]}` : "Who carries it: not recorded"}`
          : ""}
      </p>
      {fromProvisions && fromProvisions.count > 0 ? (
        <p>
          Summarized from its {fromProvisions.count} provision(s): <CoverageTag status={fromProvisions.status} />
        </p>
      ) : null}
      <SuccessAlert
        message={
          actionData?.done
            ? `${actionData.done}${actionData.contributes.length ? ` It contributes to ${actionData.contributes.join(", ")}.` : ""}`
            : null
        }
      />

      {view.canEdit ? (
        <Form method="post" className="usa-form usa-form--large" noValidate>
          <ChoiceGroup
            type="radio"
            name="status"
            legend="Status"
            options={(["addressed", "partial", "missing", "not-applicable"] as const).map((s) => ({
              value: s,
              label: COVERAGE_LABELS[s],
            }))}
            checked={values.status ? [String(values.status)] : []}
            error={errors.status}
          />
          <ChoiceGroup
            type="radio"
            name="responsibility"
            legend="Who carries it under the contract"
            hint="As the contract divides it (the FBI's Requirements Companion Document suggests a division for each cloud model). Leave it unrecorded when the contract does not say."
            options={[
              ...RESPONSIBILITY_ORDER.map((x) => ({ value: x, label: RESPONSIBILITY_LABELS[x] })),
              { value: "", label: "Not recorded" },
            ]}
            checked={[String(values.responsibility ?? "")]}
            error={errors.responsibility}
          />
          <Field
            name="section"
            label="Contract section that addresses it"
            hint="Like §7.2, Schedule B"
            defaultValue={values.section}
            error={errors.section}
          />
          <Field
            name="reason"
            label="Why it does not apply (for not applicable)"
            defaultValue={values.reason}
            error={errors.reason}
          />
          <TextareaField name="notes" label="Notes" defaultValue={values.notes} error={errors.notes} rows={3} />
          <button className="usa-button" type="submit">
            Save
          </button>
        </Form>
      ) : null}

      <h2>Contributes to</h2>
      {contributes.length === 0 ? (
        <p>The crosswalk maps this requirement to nothing else this contract is measured against.</p>
      ) : (
        <ul className="usa-list">
          {contributes.map((o) => (
            <li key={o.id}>
              <Link to={contractPaths.requirement(c.id, o.id)}>
                {o.label}: {o.title}
              </Link>{" "}
              <CoverageTag status={o.status} />
            </li>
          ))}
        </ul>
      )}

      <h2>History</h2>
      {history.length === 0 ? (
        <p>No change yet.</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption className="usa-sr-only">Changes to this requirement's coverage</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id}>
                <td data-label="When">
                  <When at={h.changedAt} />
                </td>
                <td data-label="Who">{h.changedByName}</td>
                <td data-label="From">{describe(h.before)}</td>
                <td data-label="To">{describe(h.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
