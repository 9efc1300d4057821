import { FileInput } from "~/components/file-input.tsx";
import { data, Form, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { Field, ErrorSummary } from "~/components/field.tsx";
import { ChoiceGroup, TextareaField } from "~/components/inputs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { withUpload } from "~/http/upload.server.ts";
import { proposalForm, proposeRosterChange } from "~/modules/roster/roster.server.ts";
import { ROSTER_FILE_ACCEPT, ROSTER_FILE_NAMES, rosterPaths } from "~/modules/roster/vocabulary.ts";
import { evidencePaths } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/portal.roster-propose";

/** Propose adding a person to the roster, or a change to one, with the signed Security Addendum page. */
export const permission = "roster:propose:own-vendor";
export const meta = () => [{ title: "Propose a roster change — Vendor portal — Custody" }];

const personOf = (request: Request) => new URL(request.url).searchParams.get("person");

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return {
    ...(await auth.run((ctx) => proposalForm(ctx, personOf(args.request)))),
    maxMegabytes: Math.round(args.context.uploadMaxBytes / (1024 * 1024)),
  };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const personId = personOf(args.request);
  // Refuse a person of another vendor before reading a byte of the upload.
  await auth.run((ctx) => proposalForm(ctx, personId, { audit: false }));
  const result = await withUpload(
    args.request,
    { spoolDir: args.context.blobs.spoolDir, maxBytes: args.context.uploadMaxBytes, fileField: "file", requireFile: false },
    (received) => auth.submit((ctx) => proposeRosterChange(ctx, args.context.blobs, personId, received.file, received.fields)),
  );
  if (!result.ok) return data({ errors: result.errors, values: result.fields }, { status: 400 });
  await auth.flash("Your change is proposed; a CJIS officer of one of your agencies will approve or reject it.");
  return redirect(rosterPaths.portal());
}

export default function ProposeRosterChange({ loaderData: d, actionData }: Route.ComponentProps) {
  const errors: Record<string, string> = actionData?.errors ?? {};
  const p = d.person;
  const v = (name: string, current: string | null | undefined) => actionData?.values?.[name] ?? current ?? "";
  return (
    <div className="padding-y-4">
      <Breadcrumbs
        crumbs={[
          { label: "Vendor portal", to: evidencePaths.portal() },
          { label: "Personnel roster", to: rosterPaths.portal() },
          { label: p ? p.fullName : "Add a person" },
        ]}
      />
      <h1>{p ? `Propose a change to ${p.fullName}` : "Propose adding a person"}</h1>
      <p className="usa-intro">Give the record as it should read. Nothing changes until a CJIS officer approves it.</p>
      <Form method="post" encType="multipart/form-data" className="usa-form usa-form--large" noValidate>
        <ErrorSummary errors={errors} lead="Nothing was proposed. Correct the fields listed here." />
        <Field name="fullName" label="Full name" defaultValue={v("fullName", p?.fullName)} error={errors.fullName} />
        <Field
          name="jobRole"
          label="Role"
          hint="For example: storage administrator, support engineer."
          defaultValue={v("jobRole", p?.jobRole)}
          error={errors.jobRole}
        />
        <ChoiceGroup
          type="radio"
          name="unescortedAccess"
          legend="Unescorted access to CJI or the facilities holding it"
          error={errors.unescortedAccess}
          options={[
            { value: "yes", label: "Yes" },
            { value: "no", label: "No, escorted only" },
          ]}
          checked={[v("unescortedAccess", p ? (p.unescortedAccess ? "yes" : "no") : "")]}
        />
        <Field
          name="fingerprintCheckedOn"
          label="Fingerprint background check date (CJIS PS-3)"
          type="date"
          defaultValue={v("fingerprintCheckedOn", p?.fingerprintCheckedOn)}
          error={errors.fingerprintCheckedOn}
        />
        <Field
          name="fingerprintAgency"
          label="Agency that ran the check"
          defaultValue={v("fingerprintAgency", p?.fingerprintAgency)}
          error={errors.fingerprintAgency}
        />
        <Field
          name="addendumSignedOn"
          label="Security Addendum certification signed on (CJIS SA-9, Appendix H)"
          type="date"
          defaultValue={v("addendumSignedOn", p?.addendumSignedOn)}
          error={errors.addendumSignedOn}
        />
        <FileInput
          name="file"
          label="Signed certification page"
          accept={ROSTER_FILE_ACCEPT}
          types={ROSTER_FILE_NAMES}
          maxMegabytes={d.maxMegabytes}
          optional
          error={errors.file}
        />
        <Field
          name="trainedOn"
          label="Security awareness training completed on (CJIS AT-2; due yearly)"
          type="date"
          defaultValue={v("trainedOn", p?.trainedOn)}
          error={errors.trainedOn}
        />
        <Field
          name="leftOn"
          label="Left the company or the assignment on"
          type="date"
          defaultValue={v("leftOn", p?.leftOn)}
          error={errors.leftOn}
        />
        <Field
          name="accessEndedOn"
          label="Access to CJI ended on (CJIS PS-4: within a day of leaving)"
          type="date"
          defaultValue={v("accessEndedOn", p?.accessEndedOn)}
          error={errors.accessEndedOn}
        />
        <TextareaField
          name="note"
          label="Note for the CJIS officer (optional)"
          defaultValue={v("note", "")}
          error={errors.note}
          rows={3}
        />
        <button className="usa-button" type="submit">
          Propose
        </button>
      </Form>
    </div>
  );
}
