import { Hash } from "~/components/hash.tsx";
import { FileInput } from "~/components/file-input.tsx";
import { data, Form, Link, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { ErrorSummary } from "~/components/field.tsx";
import { ChoiceGroup, optionsOf, TextareaField } from "~/components/inputs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { withUpload } from "~/http/upload.server.ts";
import { getEditableContract } from "~/modules/contracts/contracts.server.ts";
import { addContractFile, getContractFiles } from "~/modules/contracts/files.server.ts";
import { ACCEPTED_CONTRACT_FILES, CONTRACT_FILE_ACCEPT, CONTRACT_FILE_STAGE_LABELS } from "~/modules/contracts/figures.ts";
import { contractPaths } from "~/modules/contracts/paths.ts";
import type { Route } from "./+types/contracts.files";
import { When } from "~/components/when.tsx";
import { formatFileSize } from "~/modules/format.ts";

export const permission = "contract:read";
/** Uploading a version changes the contract's record. */
export const actionPermission = "contract:edit";
export const meta: Route.MetaFunction = ({ data }) => [
  { title: `Files of ${data?.view.contract.title ?? "contract"} — Custody` },
];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const page = await auth.run((ctx) => getContractFiles(ctx, args.params.contractId));
  return { ...page, maxMegabytes: Math.round(args.context.uploadMaxBytes / (1024 * 1024)) };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, actionPermission);
  // Refuse a stranger's upload before reading a byte of it.
  await auth.run((ctx) => getEditableContract(ctx, args.params.contractId));
  const result = await withUpload(
    args.request,
    { spoolDir: args.context.blobs.spoolDir, maxBytes: args.context.uploadMaxBytes, fileField: "file" },
    (received) =>
      auth.submit((ctx) => addContractFile(ctx, args.context.blobs, args.params.contractId, received.file!, received.fields)),
  );
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  await auth.flash(`Version ${result.value.version} is stored.`);
  return redirect(contractPaths.files(args.params.contractId));
}

export default function ContractFiles({ loaderData, actionData }: Route.ComponentProps) {
  const { view, files, maxMegabytes } = loaderData;
  const errors = actionData?.errors ?? {};
  const c = view.contract;
  return (
    <div className="padding-y-4">
      <Breadcrumbs
        crumbs={[
          { label: "Contracts", to: contractPaths.list() },
          { label: c.title, to: contractPaths.contract(c.id) },
          { label: "Contract files" },
        ]}
      />
      <h1>Files of {c.title}</h1>
      <p className="custody-summary">
        Every upload is kept as its own version with its SHA-256 fingerprint; nothing is overwritten. Each download is recorded in
        the audit trail.
      </p>
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Versions of the contract files</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">File</th>
            <th scope="col">Kind</th>
            <th scope="col">Uploaded</th>
            <th scope="col">SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {files.length === 0 ? (
            <tr>
              <td colSpan={5}>No file uploaded yet.</td>
            </tr>
          ) : null}
          {files.map((d) => (
            <tr key={d.id}>
              <th scope="row" data-label="Version">
                {d.version}
              </th>
              <td data-label="File">
                <a href={contractPaths.file(c.id, d.id)}>{d.filename}</a> ({formatFileSize(d.sizeBytes)})
                {d.note ? <div className="custody-muted">{d.note}</div> : null}
              </td>
              <td data-label="Kind">{CONTRACT_FILE_STAGE_LABELS[d.stage]}</td>
              <td data-label="Uploaded">
                <When at={d.uploadedAt} /> by {d.uploadedByName}
              </td>
              <td data-label="SHA-256">
                <Hash value={d.sha256} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.canEdit ? (
        <Form method="post" encType="multipart/form-data" className="usa-form usa-form--large" noValidate>
          <h2>Upload a version</h2>
          <ErrorSummary errors={errors} lead="The file was not uploaded. Correct the fields listed here." />
          <FileInput
            name="file"
            label="File"
            accept={CONTRACT_FILE_ACCEPT}
            types={ACCEPTED_CONTRACT_FILES}
            maxMegabytes={maxMegabytes}

            error={errors.file}
          />
          <ChoiceGroup
            type="radio"
            name="stage"
            legend="This file is"
            options={optionsOf(CONTRACT_FILE_STAGE_LABELS)}
            checked={["draft"]}
            error={errors.stage}
          />
          <TextareaField name="note" label="Note (optional)" rows={2} />
          <button className="usa-button" type="submit">
            Upload
          </button>
        </Form>
      ) : (
        <p>
          <Link to={contractPaths.contract(c.id)}>Back to the contract</Link>
        </p>
      )}
    </div>
  );
}
