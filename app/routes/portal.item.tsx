import { qualifiedLabel } from "~/modules/catalog/paths.ts";
import { formValue } from "~/modules/evidence/kinds.ts";
import { FileInput } from "~/components/file-input.tsx";
import { data, Form, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { EvidenceVersions } from "~/components/evidence-item.tsx";
import { EvidenceStatusTag } from "~/components/evidence.tsx";
import { KindFieldInputs } from "~/components/evidence-form.tsx";
import { Field, ErrorSummary } from "~/components/field.tsx";
import { authorize } from "~/http/guard.server.ts";
import { withUpload } from "~/http/upload.server.ts";
import { checkPortalItem, getPortalItem, submitEvidence } from "~/modules/evidence/submissions.server.ts";
import { ACCEPTED_EVIDENCE_FILES, EVIDENCE_FILE_ACCEPT, evidencePaths } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/portal.item";

/** One request as the vendor sees it, and the form that answers it: dates, the kind's fields, the file, the attestation. */
export const permission = "evidence:upload:own-vendor";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.item.title ?? "Request"} — Vendor portal — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const item = await auth.run((ctx) => getPortalItem(ctx, args.params.itemId));
  return { ...item, maxMegabytes: Math.round(args.context.uploadMaxBytes / (1024 * 1024)) };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  // Refuse another vendor's request before reading a byte of the upload.
  const { agencyName } = await auth.run((ctx) => checkPortalItem(ctx, args.params.itemId));
  const result = await withUpload(
    args.request,
    { spoolDir: args.context.blobs.spoolDir, maxBytes: args.context.uploadMaxBytes, fileField: "file", requireFile: false },
    (received) =>
      auth.submit((ctx) => submitEvidence(ctx, args.context.blobs, args.params.itemId, received.file, received.fields)),
  );
  if (!result.ok) return data({ errors: result.errors, values: result.fields }, { status: 400 });
  await auth.flash(`Version ${result.value.version.version} is submitted; ${agencyName} will review it.`);
  return redirect(evidencePaths.portalItem(args.params.itemId));
}

export default function PortalItem({ loaderData, actionData }: Route.ComponentProps) {
  const d = loaderData;
  const errors = actionData?.errors ?? {};
  // A new version starts from the last one's values (after a rejection the vendor changes what was wrong, not everything).
  const last = d.versions[0];
  const fromLast: Record<string, string> = last
    ? {
        issuedOn: last.issuedOn ?? "",
        validFrom: last.validFrom ?? "",
        expiresOn: last.expiresOn ?? "",
        ...Object.fromEntries(Object.entries(last.fields).map(([k, v]) => [`field.${k}`, formValue(d.kind.key, k, v)])),
        attestationName: last.attestation?.name ?? "",
        attestationTitle: last.attestation?.title ?? "",
      }
    : {};
  const values: Record<string, string> = actionData?.values ?? fromLast;
  const rejected = d.versions.find((v) => v.status === "rejected" && v.version === d.versions[0]?.version);
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Vendor portal", to: evidencePaths.portal() }, { label: d.item.title }]} />
      <h1>{d.item.title}</h1>
      <p>
        <EvidenceStatusTag status={d.item.shown} /> {d.kind.name}, asked by <strong>{d.agencyName}</strong>
        {d.item.dueOn ? `, due ${d.item.dueOn}` : ""}.
      </p>
      {rejected ? (
        <div className="usa-alert usa-alert--warning usa-alert--slim" role="status">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              Version {rejected.version} was rejected: <strong>{rejected.decisionReason}</strong> Submit a corrected version
              below.
            </p>
          </div>
        </div>
      ) : null}
      <h2>What is asked</h2>
      <p>{d.kind.description}</p>
      {d.item.instructions ? <p className="custody-pre">{d.item.instructions}</p> : null}
      <p>For: {d.contracts.map((c) => c.title).join(", ")}</p>
      <ul>
        {d.requirements.map((r) => (
          <li key={r.id}>
            <strong>
              {qualifiedLabel(r)} — {r.title}
            </strong>
            <div className="custody-muted">{r.summary}</div>
          </li>
        ))}
      </ul>
      {d.canSubmit ? (
        <Form method="post" encType="multipart/form-data" className="usa-form usa-form--large" noValidate>
          <h2>Submit {d.versions.length > 0 ? "a new version" : "the evidence"}</h2>
          <ErrorSummary errors={errors} lead="Nothing was submitted. Correct the fields listed here." />
          <Field
            name="issuedOn"
            label="Issue date (optional)"
            type="date"
            defaultValue={values.issuedOn ?? ""}
            error={errors.issuedOn}
          />
          <Field
            name="validFrom"
            label="Valid from (optional)"
            type="date"
            defaultValue={values.validFrom ?? ""}
            error={errors.validFrom}
          />
          <Field
            name="expiresOn"
            label={d.renewable ? "Expires" : "Expires (optional)"}
            type="date"
            defaultValue={values.expiresOn ?? ""}
            error={errors.expiresOn}
          />
          <KindFieldInputs fields={d.fields} values={values} errors={errors} />
          <FileInput
            name="file"
            label="File"
            accept={EVIDENCE_FILE_ACCEPT}
            types={ACCEPTED_EVIDENCE_FILES}
            maxMegabytes={d.maxMegabytes}

            error={errors.file}
          />
          <fieldset className="usa-fieldset margin-top-3">
            <legend className="usa-legend usa-legend--large">Attestation</legend>
            <p className="custody-attestation">{d.statement}</p>
            <Field
              name="attestationName"
              label="Your full name"
              autoComplete="name"
              defaultValue={values.attestationName ?? ""}
              error={errors.attestationName}
            />
            <Field
              name="attestationTitle"
              label="Your job title"
              autoComplete="organization-title"
              defaultValue={values.attestationTitle ?? ""}
              error={errors.attestationTitle}
            />
            <div className={`usa-form-group${errors.attest ? " usa-form-group--error" : ""}`}>
              {errors.attest ? (
                <span className="usa-error-message" id="field-attest-error" role="alert">
                  {errors.attest}
                </span>
              ) : null}
              <div className="usa-checkbox">
                <input
                  className="usa-checkbox__input"
                  id="field-attest"
                  type="checkbox"
                  name="attest"
                  value="yes"
                  aria-describedby={errors.attest ? "field-attest-error" : undefined}
                />
                <label className="usa-checkbox__label" htmlFor="field-attest">
                  I make this attestation
                </label>
              </div>
            </div>
          </fieldset>
          <p className="custody-muted">
            Your name, the time, your network address and the SHA-256 fingerprint of the file are recorded with the submission.
          </p>
          <button className="usa-button" type="submit">
            Submit
          </button>
        </Form>
      ) : null}
      <EvidenceVersions
        kindKey={d.kind.key}
        fields={d.fields}
        versions={d.versions}
        fileHref={(fileId) => evidencePaths.portalFile(d.item.id, fileId)}
      />
    </div>
  );
}
