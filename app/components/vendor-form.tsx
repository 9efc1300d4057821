import { Form } from "react-router";
import { Field, ErrorSummary, FormAlert } from "~/components/field.tsx";
import { Checkbox, ChoiceGroup, optionsOf, SelectField, TextareaField } from "~/components/inputs.tsx";
import { LOCATION_ROWS } from "~/modules/vendors/vendor-form.ts";
import {
  countryList,
  DATA_CATEGORIES,
  FEDRAMP_LABELS,
  KEY_CUSTODY_LABELS,
  SERVICE_KINDS,
  SOC2_LABELS,
  STATERAMP_LABELS,
} from "~/modules/vendors/vocabulary.ts";

export type VendorFormValues = {
  legalName?: string | null;
  tradeName?: string | null;
  headquarters?: string | null;
  headquartersCountry?: string | null;
  governmentBody?: boolean | null;
  serviceKinds?: string[];
  dataCategories?: string[];
  keyCustody?: string | null;
  fedramp?: string | null;
  stateramp?: string | null;
  soc2?: string | null;
  securityContactName?: string | null;
  securityContactEmail?: string | null;
  securityContactPhone?: string | null;
  legalNoticeAddress?: string | null;
  legalNoticeEmail?: string | null;
  notes?: string | null;
  locations?: { dataCategory?: string; country?: string; region?: string }[];
};

/** The vendor record form: shared identity (when the agency may edit it) and the agency's own profile. */
export function VendorForm({
  values,
  errors,
  identityEditable,
  submit,
}: {
  values: VendorFormValues;
  errors: Record<string, string>;
  identityEditable: boolean;
  submit: string;
}) {
  const v = (key: keyof VendorFormValues) => (values[key] as string | null | undefined) ?? "";
  const countries = countryList().map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }));
  const locations = [...(values.locations ?? [])];
  while (locations.length < LOCATION_ROWS) locations.push({});
  return (
    <Form method="post" className="usa-form usa-form--large" noValidate>
      <ErrorSummary errors={errors} lead="The vendor was not saved. Correct the fields listed here." />
      <fieldset className="usa-fieldset">
        <legend className="usa-legend usa-legend--large">The vendor</legend>
        {identityEditable ? (
          <>
            <Field
              name="legalName"
              label="Legal name"
              defaultValue={v("legalName")}
              error={errors.legalName}
              autoComplete="organization"
            />
            <Field name="tradeName" label="Trade name (optional)" defaultValue={v("tradeName")} error={errors.tradeName} />
            <Field
              name="headquarters"
              label="Headquarters"
              hint="City and state or province."
              defaultValue={v("headquarters")}
              error={errors.headquarters}
            />
            <SelectField
              name="headquartersCountry"
              label="Country of the headquarters"
              options={countries}
              empty="- Choose -"
              defaultValue={v("headquartersCountry") || "US"}
              error={errors.headquartersCountry}
            />
            <Checkbox
              name="governmentBody"
              value="yes"
              label="The provider is a government body (a county or state IT department, a state hosting center)"
              checked={values.governmentBody === true}
              description="It signs a management control agreement instead of the CJIS Security Addendum (CJIS Security Policy 5.1.1.4)."
            />
          </>
        ) : (
          <p className="custody-muted">
            The vendor's name and headquarters are shared by every agency; the agency that registered the vendor keeps them.
          </p>
        )}
      </fieldset>
      <fieldset className="usa-fieldset">
        <legend className="usa-legend usa-legend--large">What your agency buys</legend>
        <ChoiceGroup
          name="serviceKinds"
          legend="Kinds of service"
          options={optionsOf(SERVICE_KINDS)}
          checked={values.serviceKinds ?? []}
          error={errors.serviceKinds}
        />
        <ChoiceGroup
          name="dataCategories"
          legend="Data the vendor will hold"
          options={optionsOf(DATA_CATEGORIES)}
          checked={values.dataCategories ?? []}
          error={errors.dataCategories}
        />
      </fieldset>
      <fieldset className="usa-fieldset">
        <legend className="usa-legend usa-legend--large">Where the data is stored</legend>
        <p className="usa-hint">
          One row per data category and place. CJI may be stored only in the United States, its territories and Canada (CJIS
          Security Policy v6.0 SC-28); anything else is flagged.
        </p>
        <table className="usa-table usa-table--borderless">
          <caption className="usa-sr-only">Storage locations</caption>
          <thead>
            <tr>
              <th scope="col">Data category</th>
              <th scope="col">Country</th>
              <th scope="col">Region (optional)</th>
            </tr>
          </thead>
          <tbody>
            {locations.map((l, i) => (
              <tr key={i}>
                <td>
                  <SelectField
                    name={`locations.${i}.dataCategory`}
                    label={`Row ${i + 1}: data category`}
                    options={optionsOf(DATA_CATEGORIES)}
                    empty="-"
                    defaultValue={l.dataCategory ?? ""}
                    error={errors[`locations.${i}.dataCategory`]}
                  />
                </td>
                <td>
                  <SelectField
                    name={`locations.${i}.country`}
                    label={`Row ${i + 1}: country`}
                    options={countries}
                    empty="-"
                    defaultValue={l.country ?? ""}
                    error={errors[`locations.${i}.country`]}
                  />
                </td>
                <td>
                  <Field
                    name={`locations.${i}.region`}
                    label={`Row ${i + 1}: region`}
                    defaultValue={l.region ?? ""}
                    error={errors[`locations.${i}.region`]}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <FormAlert message={errors.locations} />
      </fieldset>
      <fieldset className="usa-fieldset">
        <legend className="usa-legend usa-legend--large">Encryption and assessments</legend>
        <ChoiceGroup
          type="radio"
          name="keyCustody"
          legend="Who holds the encryption keys for data at rest"
          hint="When the provider holds them, its staff who can reach the keys count as having access to CJI (CJIS Security Policy v6.0 Appendix G.3)."
          options={optionsOf(KEY_CUSTODY_LABELS)}
          checked={values.keyCustody ? [values.keyCustody] : []}
          error={errors.keyCustody}
        />
        <SelectField
          name="fedramp"
          label="FedRAMP authorization claimed"
          options={optionsOf(FEDRAMP_LABELS)}
          defaultValue={v("fedramp") || "none"}
          error={errors.fedramp}
        />
        <SelectField
          name="stateramp"
          label="StateRAMP authorization claimed"
          options={optionsOf(STATERAMP_LABELS)}
          defaultValue={v("stateramp") || "none"}
          error={errors.stateramp}
        />
        <SelectField
          name="soc2"
          label="SOC 2 report claimed"
          options={optionsOf(SOC2_LABELS)}
          defaultValue={v("soc2") || "none"}
          error={errors.soc2}
        />
      </fieldset>
      <fieldset className="usa-fieldset">
        <legend className="usa-legend usa-legend--large">Contacts</legend>
        <Field
          name="securityContactName"
          label="Security contact"
          defaultValue={v("securityContactName")}
          error={errors.securityContactName}
        />
        <Field
          name="securityContactEmail"
          label="Security contact's e-mail"
          type="email"
          defaultValue={v("securityContactEmail")}
          error={errors.securityContactEmail}
        />
        <Field
          name="securityContactPhone"
          label="Security contact's telephone"
          type="tel"
          defaultValue={v("securityContactPhone")}
          error={errors.securityContactPhone}
        />
        <TextareaField
          name="legalNoticeAddress"
          label="Legal-notice address"
          hint="The address breach and legal-process notices must come from."
          defaultValue={v("legalNoticeAddress")}
          error={errors.legalNoticeAddress}
          rows={3}
        />
        <Field
          name="legalNoticeEmail"
          label="Legal-notice e-mail (optional)"
          type="email"
          defaultValue={v("legalNoticeEmail")}
          error={errors.legalNoticeEmail}
        />
        <TextareaField name="notes" label="Notes (your agency's only)" defaultValue={v("notes")} error={errors.notes} rows={3} />
      </fieldset>
      <button className="usa-button margin-top-3" type="submit">
        {submit}
      </button>
    </Form>
  );
}
