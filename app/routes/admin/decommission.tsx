import { readForm } from "~/http/form.server.ts";
import { data, Link, redirect } from "react-router";
import { Field, FormAlert } from "~/components/field.tsx";
import { ReasonForm } from "~/components/reason-form.tsx";
import { authorize } from "~/http/guard.server.ts";
import { decommissionAgency, decommissionPreview } from "~/modules/access/organisations.server.ts";
import { formatCount } from "~/modules/format.ts";
import type { Route } from "./+types/decommission";

/** Confirm decommissioning an agency: what ends, who is disabled, and why it is done. */
export const permission = "platform:organisations";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `Decommission ${data?.agency.name ?? "agency"} — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { agency: await auth.run((ctx) => decommissionPreview(ctx, args.params.organisationId)) };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  const result = await auth.submit((ctx) =>
    decommissionAgency(
      ctx,
      args.params.organisationId,
      String(form.get("reason") ?? "").slice(0, 600),
      String(form.get("confirmName") ?? "").slice(0, 300),
    ),
  );
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  await auth.flash(
    `${result.value.name} is decommissioned: its roles ended and the people left with no other role are disabled. Its data stays, owned and exportable.`,
  );
  throw redirect("/admin/organisations");
}

export default function Decommission({ loaderData, actionData }: Route.ComponentProps) {
  const { agency } = loaderData;
  if (agency.status !== "active") {
    return (
      <div className="padding-y-4">
        <h1>{agency.name} is already decommissioned</h1>
        <p>
          <Link className="usa-link" to="/admin/organisations">
            Back to organizations
          </Link>
        </p>
      </div>
    );
  }
  const others = agency.withRole - agency.wouldBeLeftWithout;
  return (
    <div className="padding-y-4 measure-5">
      <h1>Decommission {agency.name}?</h1>
      <FormAlert message={actionData?.errors.form} />
      <div className="usa-alert usa-alert--warning">
        <div className="usa-alert__body">
          <p className="usa-alert__text">
            {formatCount(agency.withRole, "person", "people")} {agency.withRole === 1 ? "holds" : "hold"} a role in this agency.
            Every one of those roles ends now, and the agency's API tokens stop working.{" "}
            <strong>
              {formatCount(agency.wouldBeLeftWithout, "person", "people")} {agency.wouldBeLeftWithout === 1 ? "holds" : "hold"} no
              other role and will be disabled
            </strong>{" "}
            (CJIS Security Policy v6.0 AC-2(3): no account without an assignment)
            {others > 0 ? `; ${formatCount(others, "person", "people")} keep their roles elsewhere` : ""}. The agency's records
            stay, owned by it and exportable. This cannot be undone from this page.
          </p>
        </div>
      </div>
      <ReasonForm
        intent="decommission"
        label="Why is the agency leaving? This goes on the deprovisioning record."
        button={`Decommission ${agency.name}`}
        danger
        error={actionData?.errors.reason}
      >
        <Field
          name="confirmName"
          label={`To confirm, type the agency's name: ${agency.name}`}
          autoComplete="off"
          required
          error={actionData?.errors.confirmName}
        />
      </ReasonForm>
      <p>
        <Link className="usa-link" to="/admin/organisations">
          Cancel
        </Link>
      </p>
    </div>
  );
}
