import { data, Form, redirect } from "react-router";
import { ErrorSummary } from "~/components/field.tsx";
import { SelectField } from "~/components/inputs.tsx";
import { When } from "~/components/when.tsx";
import { readForm } from "~/http/form.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { formatCount, formatFileSize } from "~/modules/format.ts";
import { EXPORT_LINK_HOURS } from "~/modules/portability/limits.ts";
import { exportableAgencies, listAgencyExports, requestAgencyExport } from "~/modules/portability/export-jobs.server.ts";
import type { Route } from "./+types/exports";

/** An agency's whole record as one signed file: ask for it, watch it being written, download it while the link lasts. */
export const permission = "agency:export";
export const meta: Route.MetaFunction = ({ data }) => [
  // While an export is being written the page reloads itself every few seconds (no JavaScript needed).
  ...(data?.exports.some((e) => e.status === "queued" || e.status === "running")
    ? [{ httpEquiv: "refresh", content: "5" } as const]
    : []),
  { title: "Agency export — Custody" },
];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run(async (ctx) => ({
    exports: await listAgencyExports(ctx),
    agencies: await exportableAgencies(ctx),
    platform: ctx.actor.organisationKind === "platform",
  }));
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  const result = await auth.submit((ctx) => requestAgencyExport(ctx, String(form.get("agencyId") ?? "") || undefined));
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  await auth.flash(
    result.value.already
      ? `An export of ${result.value.agencyName} is already under way; it is shown below.`
      : `The export of ${result.value.agencyName} has started. You may leave this page; it will be here when you come back.`,
  );
  throw redirect("/admin/exports");
}

const STATUS = { queued: "Waiting to start", running: "Being written", complete: "Ready", failed: "Failed" } as const;

export default function Exports({ loaderData, actionData }: Route.ComponentProps) {
  const { exports, agencies, platform } = loaderData;
  const errors = actionData?.errors ?? {};
  return (
    <div className="padding-y-4">
      <h1>Agency export</h1>
      <p className="usa-intro">
        Everything the agency owns or shares, in one ZIP file you can take to another system or another Custody installation (IACP
        principle 7): its people and roles (no passwords or authenticator secrets), vendor records, contracts and their coverage
        history, evidence with its files, notices, rosters, generated documents, notifications and the audit events concerning the
        agency.
      </p>
      <ul className="usa-list">
        <li>Records as JSON Lines, one file per kind, each with its JSON Schema; spreadsheet copies (CSV) of the main tables.</li>
        <li>
          Every file decrypted, under its SHA-256; a manifest lists each entry with its SHA-256, signed with this
          installation&rsquo;s key.
        </li>
        <li>
          The file is written in the background and offered for {EXPORT_LINK_HOURS} hours to the agency&rsquo;s administrators;
          taking it is recorded in the audit trail.
        </li>
      </ul>
      <ErrorSummary errors={errors} />
      <Form method="post" className="usa-form">
        {platform ? (
          <SelectField
            name="agencyId"
            label="Agency to export"
            options={agencies.map((a) => ({ value: a.id, label: a.status === "active" ? a.name : `${a.name} (decommissioned)` }))}
            empty="- Choose -"
            error={errors.agencyId}
          />
        ) : null}
        <button className="usa-button margin-top-2" type="submit">
          Start an export
        </button>
      </Form>
      <h2>Exports</h2>
      {exports.length === 0 ? (
        <p>No export has been made yet.</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption className="usa-sr-only">Agency exports, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              {platform ? <th scope="col">Agency</th> : null}
              <th scope="col">Asked for</th>
              <th scope="col">Progress</th>
              <th scope="col">File</th>
            </tr>
          </thead>
          <tbody>
            {exports.map((e) => (
              <tr key={e.id}>
                <th scope="row" data-label="Status">
                  {STATUS[e.status]}
                  {e.attempts > 1 && e.status !== "complete" ? (
                    <div className="font-body-3xs custody-muted">
                      Started again after the server stopped (attempt {e.attempts})
                    </div>
                  ) : null}
                </th>
                {platform ? <td data-label="Agency">{e.agencyName}</td> : null}
                <td data-label="Asked for">
                  <When at={e.requestedAt} />
                  {e.requestedByName ? ` by ${e.requestedByName}` : ""}
                </td>
                <td data-label="Progress">
                  {e.status === "running" || e.status === "queued" ? (
                    <>
                      <progress max={100} value={e.percent} aria-label={`Export of ${e.agencyName}`}>
                        {e.percent}%
                      </progress>{" "}
                      {e.percent}%
                      <div className="font-body-3xs custody-muted">
                        {e.itemsTotal !== null
                          ? `${formatCount(e.itemsDone, "item")} of ${e.itemsTotal.toLocaleString("en-US")}`
                          : "Counting…"}
                        {e.bytesTotal ? ` · ${formatFileSize(e.bytesDone)} of ${formatFileSize(e.bytesTotal)} of files` : ""}
                        {e.remainingSeconds !== null
                          ? ` · about ${Math.max(1, Math.round(e.remainingSeconds / 60))} min left`
                          : ""}
                      </div>
                    </>
                  ) : e.status === "complete" ? (
                    <>
                      Finished <When at={e.finishedAt!} />
                    </>
                  ) : (
                    <span className="custody-flag">{e.error}</span>
                  )}
                </td>
                <td data-label="File">
                  {e.status === "complete" && e.expiresAt && new Date(e.expiresAt) > new Date() ? (
                    <>
                      <a href={`/admin/exports/${e.id}/download`} download>
                        Download ({formatFileSize(e.sizeBytes ?? 0)})
                      </a>
                      <div className="font-body-3xs custody-muted">
                        Until <When at={e.expiresAt} /> · SHA-256 <code className="custody-hash">{e.sha256}</code>
                      </div>
                    </>
                  ) : e.status === "complete" ? (
                    "Link expired; the file was removed"
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Bringing an export into another installation</h2>
      <p>
        A platform administrator of the other installation runs{" "}
        <code>npm run import -- export.zip --key this-installation.pem</code>, with this installation&rsquo;s public key (
        <a href="/.well-known/custody-audit-key.pem">/.well-known/custody-audit-key.pem</a>). It checks the signature and every
        entry before writing anything, keeps every record&rsquo;s id, and invites each person afresh.
      </p>
    </div>
  );
}
