import { readForm } from "~/http/form.server.ts";
import { data, Form } from "react-router";
import { SuccessAlert } from "~/components/field.tsx";
import { SelectField } from "~/components/inputs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { ownOrganisationSettings, setOwnTimeZone } from "~/modules/access/organisations.server.ts";
import { timeZoneLabel, US_TIME_ZONES } from "~/modules/time-zones.ts";
import type { Route } from "./+types/settings";

/** The organisation's own settings: the time zone its due, expiry and renewal days are counted in. */
export const permission = "organisation:settings";
export const meta: Route.MetaFunction = () => [{ title: "Organization settings — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { organisation: await auth.run((ctx) => ownOrganisationSettings(ctx)) };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  const result = await auth.submit((ctx) => setOwnTimeZone(ctx, String(form.get("timeZone") ?? "")));
  if (!result.ok) return data({ errors: result.errors, done: null }, { status: 400 });
  const done = result.value.changed
    ? `Saved: days are now counted in ${timeZoneLabel(result.value.timeZone)} time.`
    : "Nothing changed: that is already the organization's time zone.";
  return { errors: {} as Record<string, string>, done };
}

export default function Settings({ loaderData, actionData }: Route.ComponentProps) {
  const o = loaderData.organisation;
  return (
    <div className="padding-y-4 maxw-tablet">
      <h1>Settings of {o.name}</h1>
      <SuccessAlert message={actionData?.done ?? null} />
      <Form method="post" className="usa-form usa-form--large" noValidate>
        <SelectField
          name="timeZone"
          label="Time zone"
          hint={`Due dates, expiry warnings, renewal deadlines and the dashboard's "today" are counted on this zone's calendar; times on pages are shown on its clock. The audit trail always keeps UTC.${
            o.suggested && !o.suggested.certain
              ? ` ${o.state} spans two time zones: check that this is the one the agency keeps.`
              : ""
          }`}
          options={US_TIME_ZONES.map(([value, label]) => ({ value, label }))}
          defaultValue={o.timeZone}
          error={actionData?.errors.timeZone}
        />
        <button className="usa-button margin-top-3" type="submit">
          Save
        </button>
      </Form>
    </div>
  );
}
