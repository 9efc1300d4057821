import { qualifiedLabel } from "~/modules/catalog/paths.ts";
import { readForm } from "~/http/form.server.ts";
import { data, Form, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { Field, ErrorSummary } from "~/components/field.tsx";
import { ChoiceGroup, SelectField, TextareaField } from "~/components/inputs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { requestEvidence, requestFormOptions } from "~/modules/evidence/requests.server.ts";
import { evidencePaths } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/evidence.request";

/**
 * Ask a vendor for evidence. Step one (a GET form, works without JavaScript): the contract
 * and the kind. Step two: the requirements (pre-ticked from the catalog), due date, recurrence.
 */
export const permission = "evidence:request";
export const meta = () => [{ title: "Request evidence — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const params = new URL(args.request.url).searchParams;
  return auth.run((ctx) =>
    requestFormOptions(ctx, { contractId: params.get("contractId") ?? undefined, kind: params.get("kind") ?? undefined }),
  );
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const form = await readForm(args.request);
  const text = (name: string) => (form.get(name) === null ? undefined : String(form.get(name)));
  const raw = {
    contractId: text("contractId"),
    kind: text("kind"),
    title: text("title"),
    dueOn: text("dueOn"),
    instructions: text("instructions"),
    internalNotes: text("internalNotes"),
    recurrence: text("recurrence"),
    otherContractIds: form.getAll("otherContractIds").map(String),
    requirementIds: form.getAll("requirementIds").map(String),
  };
  const result = await auth.submit((ctx) => requestEvidence(ctx, raw));
  if (!result.ok) return data({ errors: result.errors, values: raw }, { status: 400 });
  const item = result.value;
  await auth.flash("The request is sent; the vendor sees it in the vendor portal.");
  return redirect(evidencePaths.item(item.id));
}

export default function RequestEvidence({ loaderData, actionData }: Route.ComponentProps) {
  const errors = actionData?.errors ?? {};
  const values = actionData?.values;
  const o = loaderData;
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Evidence", to: evidencePaths.register() }, { label: "Request evidence" }]} />
      <h1>Request evidence</h1>
      <Form method="get" className="usa-form usa-form--large" aria-label="Contract and kind of evidence">
        <SelectField
          name="contractId"
          label="Contract"
          hint="One of your agency's contracts; the request goes to its vendor."
          options={o.contracts.map((c) => ({ value: c.id, label: `${c.title} (${c.vendorName})` }))}
          empty="- Choose -"
          defaultValue={o.chosen.contractId ?? ""}
        />
        <SelectField
          name="kind"
          label="Kind of evidence"
          options={o.kinds.map((k) => ({ value: k.key, label: k.name }))}
          empty="- Choose -"
          defaultValue={o.chosen.kind ?? ""}
        />
        <button className={`usa-button${o.step === "details" ? " usa-button--outline" : ""}`} type="submit">
          {o.step === "details" ? "Change" : "Continue"}
        </button>
      </Form>
      {o.step === "details" ? (
        <Form method="post" className="usa-form usa-form--large" noValidate>
          <h2>
            {o.kind.name} from {o.contract.vendorName}
          </h2>
          <p className="custody-muted">{o.kind.description}</p>
          <ErrorSummary errors={errors} lead="Nothing was requested. Correct the fields listed here." />
          <input type="hidden" name="contractId" value={o.contract.id} />
          <input type="hidden" name="kind" value={o.kind.key} />
          <Field
            name="title"
            label="Title (optional)"
            hint={`Defaults to “${o.kind.name}”.`}
            defaultValue={values?.title ?? ""}
            error={errors.title}
          />
          <Field name="dueOn" label="Due date" type="date" defaultValue={values?.dueOn ?? o.suggestedDue} error={errors.dueOn} />
          <ChoiceGroup
            name="requirementIds"
            legend="Requirements this evidence supports"
            hint="Ticked from the catalog's links for this kind of evidence; change them as needed."
            error={errors.requirementIds}
            options={o.requirements
              .filter((r) => r.supported)
              .map((r) => ({ value: r.id, label: `${qualifiedLabel(r)} — ${r.title}` }))}
            checked={values ? values.requirementIds : o.requirements.filter((r) => r.supported).map((r) => r.id)}
          />
          <details className="margin-y-2">
            <summary>Other requirements of the contract</summary>
            <ChoiceGroup
              name="requirementIds"
              legend="Also supports"
              options={o.requirements
                .filter((r) => !r.supported)
                .map((r) => ({ value: r.id, label: `${qualifiedLabel(r)} — ${r.title}` }))}
              checked={values ? values.requirementIds : []}
            />
          </details>
          {o.sameVendor.length > 0 ? (
            <ChoiceGroup
              name="otherContractIds"
              legend="Other contracts with this vendor it also supports"
              options={o.sameVendor.map((c) => ({ value: c.id, label: c.title }))}
              checked={values?.otherContractIds ?? []}
              error={errors.otherContractIds}
            />
          ) : null}
          <ChoiceGroup
            type="radio"
            name="recurrence"
            legend="Repeat this request"
            hint="A recurring request opens the next one when this one is accepted."
            options={o.recurrence}
            checked={[values?.recurrence ?? "once"]}
            error={errors.recurrence}
          />
          <TextareaField
            name="instructions"
            label="Instructions for the vendor (optional)"
            hint="The vendor sees this."
            rows={3}
            defaultValue={values?.instructions ?? ""}
            error={errors.instructions}
          />
          <TextareaField
            name="internalNotes"
            label="Internal notes (optional)"
            hint="Only your agency sees these; never the vendor."
            rows={2}
            defaultValue={values?.internalNotes ?? ""}
            error={errors.internalNotes}
          />
          <button className="usa-button" type="submit">
            Send the request
          </button>
        </Form>
      ) : null}
    </div>
  );
}
