import { Form } from "react-router";
import { Field, ErrorSummary } from "~/components/field.tsx";
import { Checkbox, ChoiceGroup, optionsOf, SelectField, TextareaField } from "~/components/inputs.tsx";
import { KIND_LABELS, STAGE_LABELS } from "~/modules/contracts/lifecycle.ts";

export type ContractFormValues = Record<string, string | boolean | string[] | null | undefined>;
export type ContractFormOptions = {
  vendors: { id: string; name: string }[];
  parents: { id: string; title: string }[];
  agencies: { id: string; name: string }[];
  frameworks: { id: string; shortTitle: string; version: string; revision: number }[];
  cjisVersions: { id: string; version: string; revision: number; title: string }[];
};

/** The contract form: details, lifecycle dates, the terms that drive deadlines, sharing and frameworks. */
export function ContractForm({
  values,
  errors,
  options,
  submit,
}: {
  values: ContractFormValues;
  errors: Record<string, string>;
  options: ContractFormOptions;
  submit: string;
}) {
  const v = (key: string) => {
    const value = values[key];
    return typeof value === "string" ? value : "";
  };
  const list = (key: string) => (Array.isArray(values[key]) ? (values[key] as string[]) : []);
  const flag = (key: string) => values[key] === true || values[key] === "on";
  return (
    <Form method="post" className="usa-form usa-form--large" noValidate>
      <ErrorSummary errors={errors} lead="The contract was not saved. Correct the fields listed here." />
      <fieldset className="usa-fieldset" id="details">
        <legend className="usa-legend usa-legend--large">The contract</legend>
        <SelectField
          name="kind"
          label="Kind"
          options={optionsOf(KIND_LABELS)}
          defaultValue={v("kind") || "master-agreement"}
          error={errors.kind}
        />
        <SelectField
          name="parentId"
          label="Belongs to (for an amendment, renewal, addendum or SLA)"
          options={options.parents.map((p) => ({ value: p.id, label: p.title }))}
          empty="- None -"
          defaultValue={v("parentId")}
          error={errors.parentId}
        />
        <Field name="title" label="Title" defaultValue={v("title")} error={errors.title} />
        <Field name="reference" label="Your contract number (optional)" defaultValue={v("reference")} error={errors.reference} />
        <SelectField
          name="vendorId"
          label="Vendor"
          options={options.vendors.map((o) => ({ value: o.id, label: o.name }))}
          empty="- Choose -"
          defaultValue={v("vendorId")}
          error={errors.vendorId}
        />
        <TextareaField name="services" label="Services covered" defaultValue={v("services")} error={errors.services} rows={3} />
        <Field
          name="valueCents"
          label="Contract value (US dollars, optional)"
          inputMode="decimal"
          defaultValue={v("valueCents")}
          error={errors.valueCents}
        />
      </fieldset>
      <fieldset className="usa-fieldset" id="lifecycle">
        <legend className="usa-legend usa-legend--large">Lifecycle</legend>
        <p className="usa-hint">
          Whether a signed contract is active or expired follows from these dates; you never set it by hand.
        </p>
        <SelectField
          name="stage"
          label="Stage"
          options={optionsOf(STAGE_LABELS)}
          defaultValue={v("stage") || "draft"}
          error={errors.stage}
        />
        <Field name="signedOn" label="Signed on" type="date" defaultValue={v("signedOn")} error={errors.signedOn} />
        <Field name="effectiveOn" label="Effective from" type="date" defaultValue={v("effectiveOn")} error={errors.effectiveOn} />
        <Field name="endsOn" label="Ends on" type="date" defaultValue={v("endsOn")} error={errors.endsOn} />
        <Checkbox name="autoRenew" label="Renews automatically" checked={flag("autoRenew")} />
        <Field
          name="renewalTermMonths"
          label="Each renewal lasts (months)"
          inputMode="numeric"
          defaultValue={v("renewalTermMonths")}
          error={errors.renewalTermMonths}
        />
        <Field
          name="noticePeriodDays"
          label="Notice of non-renewal due (days before the end)"
          hint="The renewal-notice deadline is computed from it."
          inputMode="numeric"
          defaultValue={v("noticePeriodDays")}
          error={errors.noticePeriodDays}
        />
        <Field
          name="terminatedOn"
          label="Terminated on"
          type="date"
          defaultValue={v("terminatedOn")}
          error={errors.terminatedOn}
        />
        <TextareaField
          name="terminationReason"
          label="Reason for termination"
          defaultValue={v("terminationReason")}
          error={errors.terminationReason}
          rows={2}
        />
      </fieldset>
      <fieldset className="usa-fieldset" id="terms">
        <legend className="usa-legend usa-legend--large">Terms that drive deadlines</legend>
        <Field
          name="breachNoticeHours"
          label="Breach notification window (hours)"
          hint="CJIS Security Policy v6.0 IR-6 asks for one hour."
          inputMode="numeric"
          defaultValue={v("breachNoticeHours")}
          error={errors.breachNoticeHours}
        />
        <Field
          name="legalProcessNoticeHours"
          label="Legal-process notice window (hours)"
          hint="IACP principle 4: the agency hears promptly of any subpoena or warrant served on the provider."
          inputMode="numeric"
          defaultValue={v("legalProcessNoticeHours")}
          error={errors.legalProcessNoticeHours}
        />
        <Field
          name="auditIntervalMonths"
          label="Audit interval (months)"
          hint="IACP principle 6."
          inputMode="numeric"
          defaultValue={v("auditIntervalMonths")}
          error={errors.auditIntervalMonths}
        />
        <Field
          name="minCyberInsuranceCents"
          label="Minimum cyber-liability insurance (US dollars)"
          hint="IACP principle 10."
          inputMode="decimal"
          defaultValue={v("minCyberInsuranceCents")}
          error={errors.minCyberInsuranceCents}
        />
        <Field
          name="availabilityCritical"
          label="Availability target, critical services such as CAD (%)"
          inputMode="decimal"
          defaultValue={v("availabilityCritical")}
          error={errors.availabilityCritical}
        />
        <Field
          name="availabilityEssential"
          label="Availability target, essential services such as RMS (%)"
          inputMode="decimal"
          defaultValue={v("availabilityEssential")}
          error={errors.availabilityEssential}
        />
        <Field
          name="availabilityStandard"
          label="Availability target, standard services such as e-mail (%)"
          inputMode="decimal"
          defaultValue={v("availabilityStandard")}
          error={errors.availabilityStandard}
        />
        <Field
          name="availabilityArchive"
          label="Availability target, archives (%)"
          inputMode="decimal"
          defaultValue={v("availabilityArchive")}
          error={errors.availabilityArchive}
        />
        <Field
          name="locationChangeNoticeDays"
          label="Notice of a change of data location (days)"
          hint="IACP principle 8."
          inputMode="numeric"
          defaultValue={v("locationChangeNoticeDays")}
          error={errors.locationChangeNoticeDays}
        />
        <Field
          name="businessChangeNoticeDays"
          label="Notice of a merger, acquisition or restructuring (days before it takes effect)"
          hint="IACP principle 9."
          inputMode="numeric"
          defaultValue={v("businessChangeNoticeDays")}
          error={errors.businessChangeNoticeDays}
        />
        <Checkbox
          name="personnelRosterRequired"
          label="The vendor keeps a roster of its personnel with access to CJI"
          description="Fingerprint checks, Security Addendum signatures and training dates (CJIS Security Policy v6.0 PS-3, AT-2, SA-9)."
          checked={flag("personnelRosterRequired")}
        />
        <SelectField
          name="cjisFrameworkId"
          label="CJIS Security Policy version the contract cites"
          options={options.cjisVersions.map((c) => ({
            value: c.id,
            label: `Version ${c.version}${c.revision > 1 ? ` (catalog revision ${c.revision})` : ""}`,
          }))}
          defaultValue={v("cjisFrameworkId")}
          error={errors.cjisFrameworkId}
        />
      </fieldset>
      <fieldset className="usa-fieldset" id="sharing">
        <legend className="usa-legend usa-legend--large">Sharing and measurement</legend>
        {options.agencies.length > 0 ? (
          <ChoiceGroup
            name="sharedWith"
            legend="Share with participating agencies"
            hint="They see the contract, its documents and its coverage; only your agency changes it."
            options={options.agencies.map((a) => ({ value: a.id, label: a.name }))}
            checked={list("sharedWith")}
            error={errors.sharedWith}
          />
        ) : null}
        <ChoiceGroup
          name="frameworkIds"
          legend="Measure the contract against"
          options={options.frameworks.map((f) => ({ value: f.id, label: `${f.shortTitle} (${f.version})` }))}
          checked={list("frameworkIds")}
          error={errors.frameworkIds}
        />
      </fieldset>
      <button className="usa-button margin-top-3" type="submit">
        {submit}
      </button>
    </Form>
  );
}
