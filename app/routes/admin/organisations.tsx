import { readForm } from "~/http/form.server.ts";
import { data, Form, Link } from "react-router";
import { Field, ErrorSummary, SuccessAlert } from "~/components/field.tsx";
import { authorize } from "~/http/guard.server.ts";
import { createOrganisation, listOrganisations } from "~/modules/access/organisations.server.ts";
import type { Route } from "./+types/organisations";
import { When } from "~/components/when.tsx";
import { SelectField } from "~/components/inputs.tsx";
import { US_TIME_ZONES } from "~/modules/time-zones.ts";
import { organisationKindLabel } from "~/modules/format.ts";

export const permission = "platform:organisations";
export const meta: Route.MetaFunction = () => [{ title: "Organizations — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { organisations: await auth.run((ctx) => listOrganisations(ctx)) };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  const text = (name: string) => String(form.get(name) ?? "").slice(0, 300);
  const intent = text("intent");
  if (intent === "create") {
    const created = await auth.submit((ctx) =>
      createOrganisation(ctx, {
        kind: text("kind"),
        name: text("name"),
        state: text("state"),
        ori: text("ori"),
        timeZone: text("timeZone"),
      }),
    );
    if (!created.ok) return data({ intent, errors: created.errors, done: null }, { status: 400 });
    return { intent, errors: {} as Record<string, string>, done: `${created.value.name} was added.` };
  }
  throw data("Unknown action", { status: 400 });
}

export default function Organisations({ loaderData, actionData }: Route.ComponentProps) {
  const errors = actionData?.intent === "create" ? actionData.errors : {};
  return (
    <div className="padding-y-4">
      <h1>Organizations</h1>
      <SuccessAlert message={actionData?.done} />
      <ErrorSummary errors={errors} />
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Organizations</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">ORI</th>
            <th scope="col">People with a role</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="usa-sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {loaderData.organisations.map((o) => (
            <tr key={o.id}>
              <th scope="row" data-label="Name">
                {o.name}
              </th>
              <td data-label="Kind">{organisationKindLabel(o.kind)}</td>
              <td data-label="ORI">{o.ori ?? "—"}</td>
              <td data-label="People with a role">{o.members}</td>
              <td data-label="Status">
                {o.status === "decommissioned" ? (
                  <>
                    <strong>Decommissioned</strong> on <When at={o.decommissionedAt} day />
                    {o.decommissionedByName ? (
                      <>
                        {" "}
                        by {o.decommissionedByName} ({o.decommissionedByEmail})
                      </>
                    ) : null}
                    {o.decommissionedReason ? <div className="text-base-dark">Reason: {o.decommissionedReason}</div> : null}
                  </>
                ) : (
                  "Active"
                )}
              </td>
              <td data-label="Actions">
                {o.kind === "agency" && o.status === "active" ? (
                  <Link className="usa-link" to={`/admin/organisations/${o.id}/decommission`}>
                    Decommission<span className="usa-sr-only"> {o.name}</span>…
                  </Link>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Add an organization</h2>
      <Form method="post" className="usa-form usa-form--large" noValidate>
        <input type="hidden" name="intent" value="create" />
        <fieldset className="usa-fieldset">
          <legend className="usa-legend">Kind</legend>
          {errors.kind ? (
            <span className="usa-error-message" role="alert">
              {errors.kind}
            </span>
          ) : null}
          <div className="usa-radio">
            <input className="usa-radio__input" id="kind-agency" type="radio" name="kind" value="agency" defaultChecked />
            <label className="usa-radio__label" htmlFor="kind-agency">
              Agency
            </label>
          </div>
          <div className="usa-radio">
            <input className="usa-radio__input" id="kind-vendor" type="radio" name="kind" value="vendor" />
            <label className="usa-radio__label" htmlFor="kind-vendor">
              Vendor (cloud service provider)
            </label>
          </div>
        </fieldset>
        <Field name="name" label="Name" required error={errors.name} />
        <Field
          name="state"
          label="State (agencies)"
          hint="Two letters, like VA."
          maxLength={2}
          className="maxw-card"
          error={errors.state}
        />
        <Field
          name="ori"
          label="ORI (agencies)"
          hint="9 characters, like VA0990100."
          maxLength={9}
          className="maxw-card-lg"
          error={errors.ori}
        />
        <SelectField
          name="timeZone"
          label="Time zone"
          hint="Due, expiry and renewal days are counted on this zone's calendar. Leave it to follow the agency's state; a state on two zones (like Florida or Texas) needs a choice. A vendor starts on Eastern time until its administrator changes it."
          empty="Follow the state"
          options={US_TIME_ZONES.map(([value, label]) => ({ value, label }))}
          error={errors.timeZone}
        />
        <button className="usa-button margin-top-3" type="submit">
          Add
        </button>
      </Form>
    </div>
  );
}
