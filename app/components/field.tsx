import { type InputHTMLAttributes, type ReactNode, useEffect, useRef } from "react";

type Props = InputHTMLAttributes<HTMLInputElement> & { name: string; label: string; hint?: string; error?: string };

/** The ids an input names in aria-describedby: its hint and its error, when it has them. */
export function describedBy(id: string, hint?: string, error?: string) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

/** The hint and error message of a field, with the ids describedBy names. */
export function FieldMessages({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint ? (
        <span className="usa-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="usa-error-message" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

/** A USWDS form group: label, hint and error message around one input. */
export function FieldFrame({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={`usa-form-group${error ? " usa-form-group--error" : ""}`}>
      <label className={`usa-label${error ? " usa-label--error" : ""}`} htmlFor={id}>
        {label}
      </label>
      <FieldMessages id={id} hint={hint} error={error} />
      {children}
    </div>
  );
}

/** What every date field says of its format: what the browser's date control shows (USWDS's date hint). */
export const DATE_FORMAT_HINT = "Format: mm/dd/yyyy.";

/**
 * A USWDS text field with its label, hint and error message wired for screen readers. A date field
 * is the browser's date control (a calendar, and typing in the shown format) and always states the
 * format it shows, after any hint of its own.
 */
export function Field({ name, label, hint: ownHint, error, className, ...input }: Props) {
  const id = input.id ?? `field-${name}`;
  const hint = input.type === "date" ? (ownHint ? `${ownHint} ${DATE_FORMAT_HINT}` : DATE_FORMAT_HINT) : ownHint;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <input
        {...input}
        id={id}
        name={name}
        className={`usa-input${error ? " usa-input--error" : ""}${className ? ` ${className}` : ""}`}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      />
    </FieldFrame>
  );
}

export function FormAlert({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div className="usa-alert usa-alert--error usa-alert--slim margin-y-2" role="alert">
      <div className="usa-alert__body">
        <p className="usa-alert__text">{message}</p>
      </div>
    </div>
  );
}

export function SuccessAlert({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div className="usa-alert usa-alert--success usa-alert--slim" role="status">
      <div className="usa-alert__body">
        <p className="usa-alert__text">{message}</p>
      </div>
    </div>
  );
}

/** The id of the element a field's error points at: the input, or the fieldset of a group of choices. */
export const fieldId = (name: string) => `field-${name}`;

/**
 * The USWDS error pattern for a form that was refused: at the top of the form, a summary that
 * takes focus (so it is read first and is on screen, however far down the button was), says what
 * went wrong in general, and lists each field's message as a link to that field; the page title
 * starts with "Error:" while it shows. Without JavaScript the links still jump to their fields.
 */
export function ErrorSummary({ errors, lead }: { errors: Record<string, string | undefined>; lead?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const fields = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]) && e[0] !== "form");
  const general = errors.form ?? (fields.length > 0 ? (lead ?? "Nothing was saved. Correct the fields listed here.") : null);
  const shown = general !== null || fields.length > 0;
  const signature = JSON.stringify(errors);
  useEffect(() => {
    if (!shown) return;
    ref.current?.focus();
    ref.current?.scrollIntoView({ block: "start" });
    const title = document.title;
    if (!title.startsWith("Error: ")) document.title = `Error: ${title}`;
    return () => {
      document.title = document.title.replace(/^Error: /, "");
    };
  }, [shown, signature]);
  if (!shown) return null;
  const count = fields.length;
  return (
    <div
      ref={ref}
      className="usa-alert usa-alert--error margin-y-2 custody-error-summary"
      role="alert"
      aria-labelledby="error-summary-heading"
      tabIndex={-1}
    >
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading" id="error-summary-heading">
          {count > 1 ? `There are ${count} problems` : "There is a problem"}
        </h2>
        {general ? <p className="usa-alert__text">{general}</p> : null}
        {count > 0 ? (
          <ul className="usa-list">
            {fields.map(([name, message]) => (
              <li key={name}>
                <a
                  href={`#${fieldId(name)}`}
                  onClick={(event) => {
                    const target = document.getElementById(fieldId(name));
                    if (!target) return;
                    event.preventDefault();
                    target.scrollIntoView({ block: "center" });
                    const focusable = target.matches("input, select, textarea")
                      ? target
                      : target.querySelector("input, select, textarea");
                    (focusable as HTMLElement | null)?.focus({ preventScroll: true });
                  }}
                >
                  {message}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
