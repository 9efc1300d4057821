import { Form } from "react-router";

/** A small form for an administrative action that must give its reason. */
export function ReasonForm(props: {
  intent: string;
  label: string;
  button: string;
  danger?: boolean;
  error?: string;
  hidden?: Record<string, string>;
  /** More fields, after the reason (e.g. a typed confirmation). */
  children?: React.ReactNode;
}) {
  const id = `reason-${props.intent}`;
  return (
    <Form method="post" className="usa-form maxw-none margin-y-2">
      <input type="hidden" name="intent" value={props.intent} />
      {Object.entries(props.hidden ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <div className={`usa-form-group${props.error ? " usa-form-group--error" : ""}`}>
        <label className="usa-label" htmlFor={id}>
          {props.label}
        </label>
        {props.error ? (
          <span className="usa-error-message" id={`${id}-error`} role="alert">
            {props.error}
          </span>
        ) : null}
        <input
          className="usa-input"
          id={id}
          name="reason"
          required
          maxLength={500}
          aria-describedby={props.error ? `${id}-error` : undefined}
        />
      </div>
      {props.children}
      <button type="submit" className={`usa-button${props.danger ? " usa-button--secondary" : ""} margin-top-1`}>
        {props.button}
      </button>
    </Form>
  );
}
