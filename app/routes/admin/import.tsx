import { data, Form } from "react-router";
import { ErrorSummary } from "~/components/field.tsx";
import { FileInput } from "~/components/file-input.tsx";
import { TextareaField } from "~/components/inputs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { withUpload } from "~/http/upload.server.ts";
import { importAgencyExport } from "~/modules/portability/agency-import.server.ts";
import { IMPORT_MAX_MEGABYTES } from "~/modules/portability/limits.ts";
import type { Route } from "./+types/import";

/** The platform administrator loads an agency export made by another installation. */
export const permission = "platform:organisations";
export const meta: Route.MetaFunction = () => [{ title: "Import an agency — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  await authorize(args, permission);
  return { maxMegabytes: IMPORT_MAX_MEGABYTES };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const result = await withUpload(
    args.request,
    { spoolDir: args.context.blobs.spoolDir, maxBytes: IMPORT_MAX_MEGABYTES * 1024 * 1024, fileField: "file" },
    (received) => auth.submit((ctx) => importAgencyExport(ctx, args.context.blobs, received.file!, received.fields.key ?? "")),
  );
  if (!result.ok) return data({ errors: result.errors, key: result.fields.key ?? "", imported: null }, { status: 400 });
  const { agency, records, files, invitations, matchedPeople } = result.value;
  return {
    errors: {} as Record<string, string>,
    key: "",
    imported: {
      agency: agency.name,
      records: Object.values(records).reduce((a, b) => a + b, 0),
      files,
      matchedPeople,
      invitations: invitations.map((i) => ({
        email: i.email,
        role: i.role,
        link: `${args.context.publicUrl}/invitations/${i.token}`,
      })),
    },
  };
}

export default function ImportAgency({ loaderData, actionData }: Route.ComponentProps) {
  const errors = actionData?.errors ?? {};
  const imported = actionData?.imported;
  return (
    <div className="padding-y-4">
      <h1>Import an agency</h1>
      <p className="usa-intro">
        Load an agency export made by another Custody installation. The file is checked whole against that installation&rsquo;s
        public key before anything is written; every record keeps its id, people are matched by e-mail, and each member gets a
        fresh invitation (no password or authenticator travels).
      </p>
      {imported ? (
        <div className="usa-alert usa-alert--success" role="status">
          <div className="usa-alert__body">
            <h2 className="usa-alert__heading">{imported.agency} is imported</h2>
            <p className="usa-alert__text">
              {imported.records.toLocaleString("en-US")} records and {imported.files.toLocaleString("en-US")} files;{" "}
              {imported.matchedPeople} person(s) matched to accounts already here. Send each person their own link below (valid 72
              hours); it is shown only now.
            </p>
          </div>
        </div>
      ) : null}
      {imported && imported.invitations.length > 0 ? (
        <table className="usa-table usa-table--borderless usa-table--stacked width-full">
          <caption>Invitation links</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Role</th>
              <th scope="col">Link</th>
            </tr>
          </thead>
          <tbody>
            {imported.invitations.map((i) => (
              <tr key={i.email}>
                <th scope="row" data-label="Person">
                  {i.email}
                </th>
                <td data-label="Role">{i.role}</td>
                <td data-label="Link">
                  <code className="custody-hash">{i.link}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ErrorSummary errors={errors} />
      <Form method="post" encType="multipart/form-data" className="usa-form usa-form--large">
        <TextareaField
          name="key"
          label="Public key of the exporting installation"
          hint="The text of its /.well-known/custody-audit-key.pem (or what npm run audit:key prints there)."
          defaultValue={actionData?.key ?? ""}
          error={errors.key}
          rows={4}
        />
        <FileInput
          name="file"
          label="Agency export"
          accept=".zip,application/zip"
          types="A Custody agency export (ZIP)"
          maxMegabytes={loaderData.maxMegabytes}
          error={errors.file}
        />
        <button className="usa-button" type="submit">
          Check and import
        </button>
      </Form>
    </div>
  );
}
