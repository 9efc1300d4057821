import { Form } from "react-router";
import { Field, ErrorSummary } from "~/components/field.tsx";
import { Checkbox, ChoiceGroup, SelectField, TextareaField } from "~/components/inputs.tsx";
import type { ClauseChoice, FormField } from "~/modules/documents/model.ts";

/**
 * The generation form, drawn from the template's schema: its variables, its
 * clauses (optional ones can be left out, alternative wordings chosen, locked
 * ones shown as taken whole), the agency's own clauses and, for agreements,
 * whether it is final. Errors sit next to their fields.
 */

type Props = {
  subjectId: string;
  fields: FormField[];
  clauses: ClauseChoice[];
  agencyClauses: { title: string; text: string }[];
  acceptsAgencyClauses: boolean;
  kind: "agreement" | "report";
  final: boolean;
  errors: Record<string, string>;
  values?: Record<string, string | string[]>;
};

function VariableField({ field, error, posted }: { field: FormField; error?: string; posted?: string }) {
  const name = `v.${field.name}`;
  const value = posted ?? field.value;
  switch (field.input) {
    case "checkbox":
      return (
        <Checkbox
          name={name}
          label={field.label}
          checked={posted !== undefined ? posted === "on" : field.checked}
          description={field.hint}
        />
      );
    case "select":
      return (
        <SelectField
          name={name}
          label={field.label}
          hint={field.hint}
          error={error}
          options={field.options ?? []}
          defaultValue={value}
          empty="Choose…"
        />
      );
    case "textarea":
    case "lines":
      return (
        <TextareaField
          name={name}
          label={field.label}
          hint={field.hint}
          error={error}
          defaultValue={value}
          rows={field.input === "lines" ? 4 : 6}
        />
      );
    case "date":
      return <Field name={name} label={field.label} hint={field.hint} error={error} type="date" defaultValue={value} />;
    case "number":
      return (
        <Field
          name={name}
          label={field.label}
          hint={field.hint}
          error={error}
          inputMode="decimal"
          defaultValue={value}
          className="usa-input--medium"
        />
      );
    default:
      return <Field name={name} label={field.label} hint={field.hint} error={error} defaultValue={value} />;
  }
}

export function DocumentForm(props: Props) {
  const { errors, values } = props;
  const posted = (name: string) => (values && typeof values[name] === "string" ? (values[name] as string) : undefined);
  const postedIncluded = values ? (Array.isArray(values.include) ? values.include : []) : null;
  const titles = values && Array.isArray(values.agencyTitle) ? values.agencyTitle : null;
  const texts = values && Array.isArray(values.agencyText) ? values.agencyText : null;
  const agency = titles ? titles.map((title, i) => ({ title, text: texts?.[i] ?? "" })) : props.agencyClauses;
  return (
    <Form method="post" className="usa-form usa-form--large" noValidate>
      <ErrorSummary errors={errors} lead="The document was not generated. Correct the fields listed here." />
      <input type="hidden" name="subject" value={props.subjectId} />
      <fieldset className="usa-fieldset">
        <legend className="usa-legend usa-legend--large">Details</legend>
        {props.fields.map((f) => (
          <VariableField key={f.name} field={f} error={errors[`v.${f.name}`]} posted={posted(`v.${f.name}`)} />
        ))}
      </fieldset>
      {props.clauses.length > 0 ? (
        <fieldset className="usa-fieldset margin-top-4" aria-describedby={errors.clauses ? "field-clauses-error" : undefined}>
          <legend className="usa-legend usa-legend--large">Clauses</legend>
          <input type="hidden" name="clauses" value="shown" />
          {errors.clauses ? (
            <span className="usa-error-message" id="field-clauses-error" role="alert">
              {errors.clauses}
            </span>
          ) : null}
          {props.clauses.map((c) => {
            const included = postedIncluded ? postedIncluded.includes(c.id) || !c.optional : c.included;
            return (
              <div key={c.id} className="border-bottom-1px border-base-lighter padding-y-1">
                {c.optional ? (
                  <Checkbox
                    name="include"
                    value={c.id}
                    label={c.title}
                    checked={included}
                    description={`Optional. Addresses ${c.requirements.join(", ") || "general terms"}.${
                      c.soleCover.length > 0
                        ? ` Leaving it out means the addendum no longer covers ${c.soleCover.join(", ")}, which it promises.`
                        : ""
                    }`}
                  />
                ) : (
                  <p className="margin-y-1">
                    <strong>{c.title}</strong>{" "}
                    <span className="usa-tag">
                      {c.locked ? "Locked" : c.applies === null ? "Required" : c.applies ? "Included" : "Left out"}
                    </span>{" "}
                    <span className="custody-muted font-body-2xs">
                      {c.locked
                        ? "taken whole, word for word"
                        : c.applies === null
                          ? ""
                          : c.applies
                            ? "the answers above call for it"
                            : "the answers above do not call for it"}
                    </span>
                  </p>
                )}
                {c.wordings.length > 1 ? (
                  <ChoiceGroup
                    type="radio"
                    name={`w.${c.id}`}
                    legend={`Wording of “${c.title}”`}
                    error={errors[`w.${c.id}`]}
                    options={c.wordings.map((w) => ({ value: w.name, label: w.label }))}
                    checked={[posted(`w.${c.id}`) ?? c.wording]}
                  />
                ) : errors[`w.${c.id}`] ? (
                  <span className="usa-error-message" role="alert">
                    {errors[`w.${c.id}`]}
                  </span>
                ) : null}
              </div>
            );
          })}
        </fieldset>
      ) : null}
      {props.acceptsAgencyClauses ? (
        <fieldset className="usa-fieldset margin-top-4">
          <legend className="usa-legend usa-legend--large">The agency&rsquo;s own clauses</legend>
          <span className="usa-hint">
            Added in a final article, numbered after the library&rsquo;s clauses. Leave a pair empty to add nothing.
          </span>
          {agency.map((a, i) => (
            <div key={i} className="margin-top-2">
              <Field
                name="agencyTitle"
                id={`field-agency-${i}-title`}
                label={`Clause ${i + 1}: title`}
                defaultValue={a.title}
                error={errors[`agency.${i}`]}
              />
              <TextareaField
                name="agencyText"
                id={`field-agency-${i}-text`}
                label={`Clause ${i + 1}: text`}
                defaultValue={a.text}
                rows={4}
              />
            </div>
          ))}
        </fieldset>
      ) : null}
      {props.kind === "agreement" ? (
        <Checkbox
          name="final"
          label="Final for signature"
          checked={posted("final") !== undefined ? posted("final") === "on" : props.final}
          description="Until then the header and footer of every page say DRAFT."
        />
      ) : null}
      <button type="submit" className="usa-button margin-top-3">
        Generate
      </button>
    </Form>
  );
}
