import { Hash } from "~/components/hash.tsx";
import { readForm } from "~/http/form.server.ts";
import { data, Form, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { ErrorSummary } from "~/components/field.tsx";
import { ChoiceGroup, TextareaField } from "~/components/inputs.tsx";
import { RosterFlags } from "~/components/roster.tsx";
import { authorize } from "~/http/guard.server.ts";
import { decideRosterChange, getRosterChange } from "~/modules/roster/roster.server.ts";
import { ROSTER_CHANGE_LABELS, rosterPaths } from "~/modules/roster/vocabulary.ts";
import type { Route } from "./+types/roster.change";
import { When } from "~/components/when.tsx";

/** A proposed roster change beside the record as it stands; a CJIS officer approves or rejects it. */
export const permission = "evidence:read";
export const actionPermission = "roster:approve";
export const meta = () => [{ title: "Roster change — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run((ctx) => getRosterChange(ctx, args.params.changeId));
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, actionPermission);
  const form = await readForm(args.request);
  const raw = { decision: String(form.get("decision") ?? ""), reason: String(form.get("reason") ?? "").slice(0, 5000) };
  const result = await auth.submit((ctx) => decideRosterChange(ctx, args.params.changeId, raw));
  if (!result.ok) return data({ errors: result.errors, values: raw }, { status: 400 });
  return redirect(rosterPaths.change(args.params.changeId));
}

const shown = (v: string | boolean | null) => (v === null ? "—" : v === true ? "Yes" : v === false ? "No" : v);

export default function RosterChange({ loaderData: d, actionData }: Route.ComponentProps) {
  const errors: Record<string, string> = actionData?.errors ?? {};
  const c = d.change;
  return (
    <div className="padding-y-4">
      <Breadcrumbs
        crumbs={[
          { label: "Vendor rosters", to: rosterPaths.agency() },
          { label: d.vendor.legalName, to: rosterPaths.vendor(d.vendor.id) },
          { label: d.proposed.fullName },
        ]}
      />
      <h1>
        {c.kind === "add" ? "Add" : "Change"} {d.proposed.fullName}
      </h1>
      <p className="usa-intro">
        {ROSTER_CHANGE_LABELS[c.status]}. Proposed by {d.proposedByName ?? "the vendor"} on <When at={c.proposedAt} />
        {c.proposedFrom ? ` from ${c.proposedFrom}` : ""}.
      </p>
      {c.note ? <p className="custody-pre">Note from the vendor: {c.note}</p> : null}
      <table className="usa-table usa-table--borderless width-full">
        <caption>What changes</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Now</th>
            <th scope="col">Proposed</th>
          </tr>
        </thead>
        <tbody>
          {d.diff.map((row) => (
            <tr key={row.field}>
              <th scope="row">{row.label}</th>
              <td>{c.kind === "add" ? "—" : shown(row.from)}</td>
              <td>{shown(row.to)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.file ? (
        <p>
          Signed Security Addendum page: <a href={rosterPaths.file(d.file.id)}>{d.file.filename}</a>{" "}
          <span>
            SHA-256 <Hash value={d.file.sha256} />
          </span>
        </p>
      ) : null}
      <h2>Flags once applied</h2>
      <RosterFlags flags={d.flagsAfter} />
      {c.status !== "pending" ? (
        <p>
          {ROSTER_CHANGE_LABELS[c.status]} by {d.decidedByName ?? "—"} ({d.decidedByAgency ?? "—"}) on <When at={c.decidedAt} />.
          {c.decisionReason ? ` Reason: ${c.decisionReason}` : ""}
        </p>
      ) : null}
      {d.canDecide ? (
        <Form method="post" className="usa-form usa-form--large">
          <h2>Decision</h2>
          <ErrorSummary errors={errors} />
          <ChoiceGroup
            type="radio"
            name="decision"
            legend="Approve or reject"
            error={errors.decision}
            options={[
              { value: "approve", label: "Approve: the roster takes this record" },
              { value: "reject", label: "Reject: the vendor sees the reason" },
            ]}
            checked={actionData?.values.decision ? [actionData.values.decision] : []}
          />
          <TextareaField
            name="reason"
            label="Reason (required to reject)"
            error={errors.reason}
            defaultValue={actionData?.values.reason ?? ""}
            rows={3}
          />
          <button className="usa-button" type="submit">
            Record the decision
          </button>
        </Form>
      ) : null}
    </div>
  );
}
