import type { SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { describedBy as described, FieldFrame as Frame, FieldMessages } from "./field.tsx";

/** USWDS select, textarea and checkbox groups, each with its label, hint and error wired for screen readers. */

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  options: { value: string; label: string }[];
  empty?: string;
};

export function SelectField({ name, label, hint, error, options, empty, ...rest }: SelectProps) {
  const id = rest.id ?? `field-${name}`;
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <select
        {...rest}
        id={id}
        name={name}
        className="usa-select"
        aria-describedby={described(id, hint, error)}
        aria-invalid={error ? true : undefined}
      >
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

type TextareaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & { name: string; label: string; hint?: string; error?: string };

export function TextareaField({ name, label, hint, error, ...rest }: TextareaProps) {
  const id = rest.id ?? `field-${name}`;
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <textarea
        {...rest}
        id={id}
        name={name}
        className={`usa-textarea${error ? " usa-input--error" : ""}`}
        aria-describedby={described(id, hint, error)}
        aria-invalid={error ? true : undefined}
      />
    </Frame>
  );
}

/** A fieldset of checkboxes (several) or radio buttons (one) sharing one name. */
export function ChoiceGroup({
  name,
  legend,
  hint,
  error,
  options,
  checked,
  type = "checkbox",
}: {
  name: string;
  legend: string;
  hint?: string;
  error?: string;
  options: { value: string; label: string; description?: string }[];
  checked: readonly string[];
  type?: "checkbox" | "radio";
}) {
  const id = `field-${name}`;
  return (
    <fieldset
      id={id}
      className={`usa-fieldset usa-form-group${error ? " usa-form-group--error" : ""}`}
      aria-describedby={described(id, hint, error)}
    >
      <legend className={`usa-legend${error ? " usa-label--error" : ""}`}>{legend}</legend>
      <FieldMessages id={id} hint={hint} error={error} />
      {options.map((o) => (
        <div key={o.value} className={`usa-${type}`}>
          <input
            className={`usa-${type}__input`}
            id={`${id}-${o.value}`}
            type={type}
            name={name}
            value={o.value}
            defaultChecked={checked.includes(o.value)}
          />
          <label className={`usa-${type}__label`} htmlFor={`${id}-${o.value}`}>
            {o.label}
            {o.description ? <span className={`usa-${type}__label-description`}>{o.description}</span> : null}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** One checkbox; several sharing a name each need their own value (and so their own id). */
export function Checkbox({
  name,
  label,
  checked,
  description,
  value,
}: {
  name: string;
  label: string;
  checked: boolean;
  description?: string;
  value?: string;
}) {
  const id = value ? `field-${name}-${value}` : `field-${name}`;
  return (
    <div className="usa-checkbox margin-y-2">
      <input className="usa-checkbox__input" id={id} type="checkbox" name={name} value={value} defaultChecked={checked} />
      <label className="usa-checkbox__label" htmlFor={id}>
        {label}
        {description ? <span className="usa-checkbox__label-description">{description}</span> : null}
      </label>
    </div>
  );
}

export const optionsOf = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
