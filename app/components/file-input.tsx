import { useState } from "react";

/**
 * The USWDS file input, drawn by React in the structure USWDS's script would build, and marked
 * as already enhanced so that script leaves it alone: its rewriting of the page before React
 * hydrates was a hydration error (#418), and on a page reached by a link it never ran at all.
 * The native input covers the drop area, so choosing and dropping work before any script; once
 * hydrated, the chosen file's name is shown and a drag over the area is drawn as USWDS draws it.
 */
export function FileInput({
  name,
  label,
  accept,
  types,
  maxMegabytes,
  optional = false,
  error,
}: {
  name: string;
  label: string;
  /** The input's accept attribute (extensions and media types). */
  accept: string;
  /** The accepted types in words ("PDF, PNG or JPEG"). */
  types: string;
  maxMegabytes: number;
  optional?: boolean;
  error?: string;
}) {
  const id = `field-${name}`;
  const [chosen, setChosen] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`usa-form-group${error ? " usa-form-group--error" : ""}`}>
      <label className="usa-label" htmlFor={id}>
        {label}
        {optional ? " (optional)" : ""}
      </label>
      <span className="usa-hint" id={`${id}-hint`}>
        {types}; at most {maxMegabytes} MB.
      </span>
      {error ? (
        <span className="usa-error-message" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
      <div className={`usa-file-input${dragging ? " usa-file-input--drag" : ""}`} data-enhanced="true">
        <div className="usa-file-input__target">
          {chosen ? (
            <div className="usa-file-input__preview-heading" aria-hidden="true">
              Selected file <span className="usa-file-input__choose">Change file</span>
            </div>
          ) : (
            <>
              <div className="usa-file-input__box"></div>
              <div className="usa-file-input__instructions" aria-hidden="true">
                <span className="usa-file-input__drag-text">Drag file here or </span>
                <span className="usa-file-input__choose">choose from folder</span>
              </div>
            </>
          )}
          {chosen ? (
            <div className="usa-file-input__preview" aria-hidden="true">
              <span className="usa-file-input__preview-image usa-file-input__preview-image--generic"></span>
              {chosen}
            </div>
          ) : null}
          <input
            className="usa-file-input__input"
            id={id}
            name={name}
            type="file"
            accept={accept}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setChosen(e.currentTarget.files?.[0]?.name ?? null)}
            onDragEnter={() => setDragging(true)}
            onDragLeave={() => setDragging(false)}
            onDrop={() => setDragging(false)}
          />
        </div>
      </div>
      <span className="usa-sr-only" aria-live="polite">
        {chosen ? `You have selected the file: ${chosen}` : ""}
      </span>
    </div>
  );
}
