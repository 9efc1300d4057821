import { data, Form, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { DocumentForm } from "~/components/document-form.tsx";
import { FormAlert } from "~/components/field.tsx";
import { SelectField } from "~/components/inputs.tsx";
import { formRecord, readForm } from "~/http/form.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { generateDocument, generationForm } from "~/modules/documents/generations.server.ts";
import { documentPaths, SUBJECT_LABELS } from "~/modules/documents/paths.ts";
import type { Route } from "./+types/documents.new";

/** Generate a document: choose what it is for, check the values filled from the record, choose clauses, generate. */
export const permission = "document:generate";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `Generate: ${data?.template.title ?? "document"} — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const url = new URL(args.request.url);
  return auth.run((ctx) =>
    generationForm(
      ctx,
      args.params.templateId,
      url.searchParams.get("subject"),
      { publicUrl: args.context.publicUrl },
      url.searchParams.get("from"),
    ),
  );
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = formRecord(await readForm(args.request), ["include", "agencyTitle", "agencyText"]);
  const result = await auth.submit((ctx) =>
    generateDocument(ctx, args.context.blobs, args.params.templateId, String(form.subject ?? ""), form, {
      publicUrl: args.context.publicUrl,
      auditPublicKeyPem: args.context.auditPublicKeyPem,
    }),
  );
  if (!result.ok) return data({ errors: result.errors, values: form }, { status: 400 });
  const created = result.value;
  await auth.flash("The document is generated and stored. Download it below.");
  return redirect(documentPaths.document(created.id));
}

export default function GenerateDocument({ loaderData: d, actionData }: Route.ComponentProps) {
  const t = d.template;
  const subjectName = SUBJECT_LABELS[t.subject].toLowerCase();
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Documents", to: documentPaths.list() }, { label: `Generate: ${t.title}` }]} />
      <h1>{t.title}</h1>
      <p className="usa-intro">{t.description}</p>
      <p className="custody-muted">
        Template {t.id}, version {t.version}, approved {t.approved} by {t.owner}.
      </p>
      {!t.usable ? (
        <FormAlert
          message={`This template failed its check and cannot be used until it is corrected: ${t.problems.join("; ")}`}
        />
      ) : (
        <>
          {t.subject !== "agency" ? (
            <Form method="get" className="usa-form margin-bottom-3">
              <SelectField
                name="subject"
                label={`${SUBJECT_LABELS[t.subject]} this document is for`}
                options={d.subjectOptions}
                defaultValue={d.subject?.id ?? ""}
                empty={`Choose a ${subjectName}…`}
              />
              <button type="submit" className="usa-button usa-button--outline">
                {d.subject ? `Change ${subjectName}` : "Continue"}
              </button>
            </Form>
          ) : null}
          {d.subjectOptions.length === 0 ? <p>There is no {subjectName} you can generate this document for yet.</p> : null}
          {d.subject && d.form ? (
            <>
              <h2>For {d.subject.label}</h2>
              <p>
                The values below come from the {subjectName}&rsquo;s record. Check them, complete what is missing, and generate.
                Nothing is stored until every value is valid.
              </p>
              <DocumentForm subjectId={d.subject.id} {...d.form} errors={actionData?.errors ?? {}} values={actionData?.values} />
            </>
          ) : null}
        </>
      )}
    </div>
  );
}
