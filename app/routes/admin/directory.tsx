import { data, Form } from "react-router";
import { ErrorSummary, Field, SuccessAlert } from "~/components/field.tsx";
import { Checkbox, ChoiceGroup, SelectField, TextareaField } from "~/components/inputs.tsx";
import { readForm } from "~/http/form.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { directorySettings, saveDirectory, turnOffDirectory } from "~/modules/access/directory.server.ts";
import type { Route } from "./+types/directory";

/** Administration → Directory sign-in: the agency's own OpenID Connect provider, and whether passwords still work. */
export const permission = "directory:manage";
export const meta: Route.MetaFunction = () => [{ title: "Directory sign-in — Custody" }];

const FIELDS = [
  "protocol",
  "displayName",
  "issuer",
  "clientId",
  "clientSecret",
  "emailDomains",
  "emailClaim",
  "groupClaim",
  "groupRoles",
  "breakGlassPersonId",
  "samlMetadata",
  "samlEntityId",
  "samlEntryPoint",
  "samlCertificate",
] as const;

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run((ctx) => directorySettings(ctx, args.context.publicUrl));
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  if (form.get("intent") === "turn-off") {
    const result = await auth.submit((ctx) => turnOffDirectory(ctx));
    if (result.ok && result.value.changed)
      await auth.flash("Directory sign-in is off: everyone signs in with their password and authenticator again.");
    return { errors: {} as Record<string, string>, values: null, done: null };
  }
  const values = Object.fromEntries(FIELDS.map((f) => [f, String(form.get(f) ?? "")])) as Record<(typeof FIELDS)[number], string>;
  const input = { ...values, requireDirectory: form.get("requireDirectory") === "on" };
  const result = await auth.submit((ctx) => saveDirectory(ctx, input, args.context.publicUrl));
  if (!result.ok) return data({ errors: result.errors, values: { ...values, clientSecret: "" }, done: null }, { status: 400 });
  const done = result.value.created
    ? "Saved: the agency's people can now sign in through the directory."
    : "Saved: the directory settings are updated.";
  return { errors: {} as Record<string, string>, values: null, done };
}

export default function Directory({ loaderData, actionData }: Route.ComponentProps) {
  const { connection: c, candidates, callbackUrl, samlAcsUrl, roles } = loaderData;
  const saml = c?.protocol === "saml";
  const errors = actionData?.errors ?? {};
  const v = actionData?.values;
  const mappings = c
    ? Object.entries(c.groupRoles).map(([g, r]) => `${g} = ${roles.find((x) => x.value === r)?.label ?? r}`)
    : [];
  return (
    <div className="padding-y-4 maxw-tablet-lg">
      <h1>Directory sign-in</h1>
      <p className="usa-intro">
        Let the agency&rsquo;s people sign in through its own directory (Entra ID, Okta, Ping or any OpenID Connect provider), so
        that leaving the directory means leaving Custody.
      </p>
      <SuccessAlert message={actionData?.done ?? null} />
      <div className="usa-summary-box margin-y-3">
        <div className="usa-summary-box__body">
          <h2 className="usa-summary-box__heading">Register Custody with your provider</h2>
          <div className="usa-summary-box__text">
            <p>
              <strong>OpenID Connect:</strong> create a web application (confidential client) with this redirect URI:
            </p>
            <p>
              <code className="custody-break-anywhere">{callbackUrl}</code>
            </p>
            <p>
              <strong>SAML 2.0:</strong> add a relying party whose identifier (entity ID) and assertion consumer service
              (HTTP-POST) are both:
            </p>
            <p>
              <code className="custody-break-anywhere">{samlAcsUrl}</code>
            </p>
            <p>
              Custody asks for a signed assertion and checks its signature, issuer, audience, recipient, time window, and that it
              answers a request Custody sent within 10 minutes and was never used before. Send the e-mail address as the name ID
              (e-mail format) or as an attribute named below.
            </p>
            <p className="margin-bottom-0">
              <strong>Either way:</strong> for OpenID Connect Custody asks for the scopes <code>openid email profile</code>, uses
              the authorization code flow with PKCE, and checks the id token&rsquo;s signature, issuer, audience, expiry and
              nonce. If the id token&rsquo;s <code>amr</code> or <code>acr</code> (for SAML, the authentication context class)
              shows the directory did multi-factor sign-in, Custody does not ask again; otherwise the person also enters the code
              from their Custody authenticator or uses a passkey.
            </p>
          </div>
        </div>
      </div>
      <p>
        Status:{" "}
        <strong>
          {!c
            ? "not connected: everyone signs in with a password and an authenticator."
            : !c.enabled
              ? "turned off: everyone signs in with a password and an authenticator."
              : c.requireDirectory
                ? "on, and required: passwords are refused, except the break-glass administrator's."
                : "on: people may sign in through the directory or with their password."}
        </strong>
      </p>
      <Form key={actionData?.done ?? "settings"} method="post" className="usa-form usa-form--large maxw-full" noValidate>
        <ErrorSummary errors={errors} lead="The directory settings were not saved. Correct the fields listed here." />
        <Field
          name="displayName"
          label="Directory name"
          hint="What your people know it as, like “Riverside County Entra ID”."
          defaultValue={v?.displayName ?? c?.displayName ?? ""}
          error={errors.displayName}
          required
        />
        <ChoiceGroup
          name="protocol"
          legend="How the directory speaks"
          type="radio"
          options={[
            {
              value: "oidc",
              label: "OpenID Connect",
              description: "Entra ID, Okta, Ping, Google Workspace and most current directories.",
            },
            { value: "saml", label: "SAML 2.0", description: "For directories that speak only SAML, such as ADFS." },
          ]}
          checked={[v?.protocol ?? c?.protocol ?? "oidc"]}
          error={errors.protocol}
        />
        <h2 className="margin-top-4">For OpenID Connect</h2>
        <Field
          name="issuer"
          label="Issuer"
          hint="The provider's issuer address; Custody reads its configuration from /.well-known/openid-configuration under it before saving."
          type="url"
          defaultValue={v?.issuer ?? (saml ? "" : c?.issuer) ?? ""}
          error={errors.issuer}
        />
        <Field
          name="clientId"
          label="Client id"
          defaultValue={v?.clientId ?? c?.clientId ?? ""}
          error={errors.clientId}
          autoComplete="off"
        />
        <Field
          name="clientSecret"
          label="Client secret"
          hint={
            c?.hasSecret
              ? "A secret is stored (encrypted; it is never shown). Leave this empty to keep it, or enter a new one to replace it."
              : "Stored encrypted; it is never shown again."
          }
          type="password"
          autoComplete="new-password"
          error={errors.clientSecret}
        />
        <h2 className="margin-top-4">For SAML 2.0</h2>
        <TextareaField
          name="samlMetadata"
          label="Identity provider metadata (easiest)"
          hint="Paste the whole metadata document (FederationMetadata.xml for ADFS). Custody reads the entity ID, the sign-in address and the signing certificate from it; or fill in the three fields below instead."
          rows={4}
          defaultValue={v?.samlMetadata ?? ""}
          error={errors.samlMetadata}
        />
        <Field
          name="samlEntityId"
          label="Identity provider entity ID"
          defaultValue={v?.samlEntityId ?? (saml ? c?.issuer : "") ?? ""}
          error={errors.samlEntityId}
        />
        <Field
          name="samlEntryPoint"
          label="Identity provider sign-in address (HTTP-Redirect)"
          type="url"
          defaultValue={v?.samlEntryPoint ?? c?.samlEntryPoint ?? ""}
          error={errors.samlEntryPoint}
        />
        <TextareaField
          name="samlCertificate"
          label="Identity provider signing certificate"
          hint="PEM or base64. Assertions not signed with its key are refused."
          rows={4}
          defaultValue={v?.samlCertificate ?? c?.samlCertificate ?? ""}
          error={errors.samlCertificate}
        />
        <h2 className="margin-top-4">Who may sign in, and with which roles</h2>
        <Field
          name="emailDomains"
          label="Allowed e-mail domains"
          hint="Only addresses at these domains may sign in through this directory, separated by commas, like riversideva.gov, sheriff.riversideva.gov."
          defaultValue={v?.emailDomains ?? c?.emailDomains.join(", ") ?? ""}
          error={errors.emailDomains}
          required
        />
        <Field
          name="emailClaim"
          label="Claim that carries the e-mail address"
          hint="Usually email; Entra ID may use upn or preferred_username. For SAML, the attribute's name; with email, an e-mail-format name ID also counts."
          defaultValue={v?.emailClaim ?? c?.emailClaim ?? "email"}
          error={errors.emailClaim}
          className="maxw-card-lg"
        />
        <Field
          name="groupClaim"
          label="Claim that carries the groups (optional)"
          hint="Usually groups. With mappings below, a person's roles here follow their directory groups at each sign-in."
          defaultValue={v?.groupClaim ?? c?.groupClaim ?? ""}
          error={errors.groupClaim}
          className="maxw-card-lg"
        />
        <TextareaField
          name="groupRoles"
          label="Group to role mappings (optional)"
          hint={`One per line, as “directory group = role”. Roles: ${roles.map((r) => r.label).join(", ")}.`}
          defaultValue={v?.groupRoles ?? mappings.join("\n")}
          error={errors.groupRoles}
          rows={4}
        />
        <h2 className="margin-top-4">Passwords</h2>
        <Checkbox
          name="requireDirectory"
          label="Require directory sign-in for the agency's people"
          description="Passwords are then refused for everyone who holds a role in this agency, except the break-glass administrator below."
          checked={c?.requireDirectory ?? false}
        />
        <SelectField
          name="breakGlassPersonId"
          label="Break-glass administrator"
          hint="The one agency administrator who keeps a password and authenticator for when the directory is down. Each use is recorded and told at once to the agency's other administrators and its auditors, to review."
          options={candidates.map((p) => ({ value: p.id, label: `${p.name} (${p.email})` }))}
          empty="No one"
          defaultValue={v?.breakGlassPersonId ?? c?.breakGlassPersonId ?? ""}
          error={errors.breakGlassPersonId}
        />
        <button className="usa-button margin-top-3" type="submit" name="intent" value="save">
          {c ? "Save the directory settings" : "Connect the directory"}
        </button>
      </Form>
      {c?.enabled ? (
        <Form method="post" className="margin-top-4">
          <h2>Turn off directory sign-in</h2>
          <p>Everyone signs in with their password and authenticator again. The settings are kept.</p>
          <button className="usa-button usa-button--secondary" type="submit" name="intent" value="turn-off">
            Turn off directory sign-in
          </button>
        </Form>
      ) : null}
    </div>
  );
}
