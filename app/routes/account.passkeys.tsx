import { data, Form, Link } from "react-router";
import { ErrorSummary, Field } from "~/components/field.tsx";
import { PasskeyButton } from "~/components/passkey-button.tsx";
import { When } from "~/components/when.tsx";
import { readForm } from "~/http/form.server.ts";
import { authorize } from "~/http/guard.server.ts";
import {
  myPasskeys,
  passkeyRegistrationOptions,
  registerPasskey,
  relyingParty,
  removePasskey,
} from "~/modules/access/passkeys.server.ts";
import type { Route } from "./+types/account.passkeys";

/** Your passkeys and security keys: add one, see when each was last used, remove one you lost. */
export const permission = "signed-in";
export const meta: Route.MetaFunction = () => [{ title: "Passkeys and security keys — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const rp = relyingParty(args.context.publicUrl);
  return auth.run(async (ctx) => ({ passkeys: await myPasskeys(ctx), options: await passkeyRegistrationOptions(ctx, rp) }));
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "remove") {
    const result = await auth.submit((ctx) => removePasskey(ctx, String(form.get("passkeyId") ?? "")));
    if (result.ok) await auth.flash(`Removed “${result.value.name}”: it no longer signs you in.`);
    return { errors: {} as Record<string, string> };
  }
  const rp = relyingParty(args.context.publicUrl);
  const result = await auth.submit((ctx) =>
    registerPasskey(ctx, rp, { response: String(form.get("response") ?? ""), name: String(form.get("name") ?? "") }),
  );
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  await auth.flash(`Added “${result.value.name}”. You can now sign in with it, or use it instead of your authenticator code.`);
  return { errors: {} as Record<string, string> };
}

export default function Passkeys({ loaderData, actionData }: Route.ComponentProps) {
  const { passkeys, options } = loaderData;
  const errors = actionData?.errors ?? {};
  return (
    <div className="padding-y-4 maxw-tablet-lg">
      <p>
        <Link to="/account">Your account</Link>
      </p>
      <h1>Passkeys and security keys</h1>
      <p className="usa-intro">
        A passkey (on your phone or computer) or a security key (such as a YubiKey) signs you in without a password and cannot be
        used on a look-alike site. It also works instead of the code from your authenticator app.
      </p>
      {passkeys.length === 0 ? (
        <p>You have no passkey yet.</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked">
          <caption className="usa-sr-only">Your passkeys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Added</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="usa-sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {passkeys.map((p) => (
              <tr key={p.id}>
                <th scope="row" data-label="Name">
                  {p.name}
                </th>
                <td data-label="Kind">
                  {p.deviceType === "multiDevice"
                    ? `Passkey synced between devices${p.backedUp ? " (backed up)" : ""}`
                    : "Bound to one device (security key)"}
                  {!p.attestationFormat || p.attestationFormat === "none" || p.attestationFormat.endsWith("-self")
                    ? "; no attestation from its maker"
                    : `; presented its maker's attestation certificate (${p.attestationFormat}), not checked against the FIDO metadata service`}
                </td>
                <td data-label="Added">
                  <When at={p.createdAt} />
                </td>
                <td data-label="Last used">
                  <When at={p.lastUsedAt} none="Not yet" />
                </td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="passkeyId" value={p.id} />
                    <button
                      className="usa-button usa-button--secondary usa-button--small"
                      type="submit"
                      name="intent"
                      value="remove"
                    >
                      Remove <span className="usa-sr-only">{p.name}</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Add a passkey or security key</h2>
      <form key={passkeys.length} className="usa-form usa-form--large" noValidate onSubmit={(e) => e.preventDefault()}>
        <ErrorSummary errors={errors} lead="The passkey was not added." />
        <Field
          name="name"
          label="Name"
          hint="So you can tell it apart later, like “Work laptop” or “YubiKey on my keyring”."
          maxLength={80}
          error={errors.name}
        />
        <div className="margin-top-3">
          <PasskeyButton mode="register" options={options} intent="register" label="Add a passkey" />
        </div>
        <noscript>
          <p>Adding a passkey needs JavaScript in this browser; your password and authenticator app work without it.</p>
        </noscript>
      </form>
    </div>
  );
}
