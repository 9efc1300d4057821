import { readForm } from "~/http/form.server.ts";
import { data, Form } from "react-router";
import { Field, ErrorSummary, SuccessAlert } from "~/components/field.tsx";
import { authorize } from "~/http/guard.server.ts";
import { PERMISSIONS, type Permission } from "~/modules/access/permissions.ts";
import { createApiToken, listApiTokens, revokeApiToken, TOKEN_MAX_DAYS } from "~/modules/access/tokens.server.ts";
import { useTimeZone } from "~/components/when.tsx";
import { formatDay } from "~/modules/format.ts";
import type { Route } from "./+types/tokens";

export const permission = "token:manage";
export const meta: Route.MetaFunction = () => [{ title: "API tokens — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const grantable = [...auth.actor.permissions]
    .filter((p) => !p.startsWith("platform:"))
    .map((p) => ({ value: p, label: PERMISSIONS[p as Permission] }));
  return { tokens: await auth.run((ctx) => listApiTokens(ctx)), grantable, maxDays: TOKEN_MAX_DAYS };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  if (form.get("intent") === "revoke") {
    const revoked = await auth.submit((ctx) => revokeApiToken(ctx, String(form.get("tokenId") ?? "")));
    if (!revoked.ok) return data({ errors: revoked.errors, token: null, done: null }, { status: 400 });
    return { errors: {} as Record<string, string>, token: null, done: "The token is revoked; it stops working at once." };
  }
  const created = await auth.submit((ctx) =>
    createApiToken(ctx, {
      name: String(form.get("name") ?? "").slice(0, 200),
      permissions: form.getAll("permissions").map(String),
      days: Number(form.get("days")),
    }),
  );
  if (!created.ok) return data({ errors: created.errors, token: null, done: null }, { status: 400 });
  return { errors: {} as Record<string, string>, token: created.value.token, done: null };
}

export default function Tokens({ loaderData, actionData }: Route.ComponentProps) {
  const zone = useTimeZone();
  const day = (d: Date | string | null) => formatDay(d, zone) || "—";
  const errors = actionData?.errors ?? {};
  return (
    <div className="padding-y-4">
      <h1>API tokens</h1>
      <p className="usa-intro">
        For integrations: each token acts for this organization with only the permissions listed, expires within{" "}
        {loaderData.maxDays} days, and every use is recorded.
      </p>
      {actionData?.token ? (
        <div className="usa-alert usa-alert--warning" role="status">
          <div className="usa-alert__body">
            <h2 className="usa-alert__heading">Copy this token now</h2>
            <p className="usa-alert__text">It is shown only once; Custody keeps only a hash of it.</p>
            <p>
              <code data-testid="new-token" className="font-mono-xs">
                {actionData.token}
              </code>
            </p>
          </div>
        </div>
      ) : null}
      <SuccessAlert message={actionData?.done} />
      <ErrorSummary errors={errors} />
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">API tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Permissions</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {loaderData.tokens.map((t) => (
            <tr key={t.id}>
              <th scope="row" data-label="Name">
                {t.name}
                <div className="font-body-3xs custody-muted">
                  {t.prefix}… · {t.organisationName} · by {t.createdBy}
                </div>
              </th>
              <td data-label="Permissions">{t.permissions.join(", ")}</td>
              <td data-label="Created">{day(t.createdAt)}</td>
              <td data-label="Expires">{day(t.expiresAt)}</td>
              <td data-label="Last used">{day(t.lastUsedAt)}</td>
              <td data-label="Status">
                {t.revokedAt ? (
                  `Revoked ${day(t.revokedAt)}`
                ) : new Date(t.expiresAt) <= new Date() ? (
                  "Expired"
                ) : (
                  <Form method="post">
                    <input type="hidden" name="tokenId" value={t.id} />
                    <button
                      className="usa-button usa-button--secondary usa-button--small"
                      type="submit"
                      name="intent"
                      value="revoke"
                    >
                      Revoke
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Create a token</h2>
      <Form method="post" className="usa-form usa-form--large" noValidate>
        <input type="hidden" name="intent" value="create" />
        <Field
          name="name"
          label="Integration name"
          hint="What will use it, e.g. “County SIEM export”."
          required
          error={errors.name}
        />
        <fieldset className="usa-fieldset margin-top-3">
          <legend className="usa-legend">Permissions</legend>
          {errors.permissions ? (
            <span className="usa-error-message" role="alert">
              {errors.permissions}
            </span>
          ) : null}
          {loaderData.grantable.map((p) => (
            <div className="usa-checkbox" key={p.value}>
              <input className="usa-checkbox__input" id={`perm-${p.value}`} type="checkbox" name="permissions" value={p.value} />
              <label className="usa-checkbox__label" htmlFor={`perm-${p.value}`}>
                {p.label} <span className="custody-muted">({p.value})</span>
              </label>
            </div>
          ))}
        </fieldset>
        <Field
          name="days"
          label="Valid for (days)"
          hint={`1 to ${loaderData.maxDays}.`}
          type="number"
          min={1}
          max={loaderData.maxDays}
          defaultValue="30"
          className="maxw-card"
          error={errors.days}
        />
        <button className="usa-button margin-top-3" type="submit">
          Create token
        </button>
      </Form>
    </div>
  );
}
