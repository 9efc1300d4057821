import { useEffect, useState } from "react";

/**
 * A SHA-256 (or any long fingerprint) as people compare it: in a monospaced face that wraps inside
 * its column rather than running past it, with a button that copies it whole once the page is
 * hydrated (the clipboard needs JavaScript; without it the text is still selectable).
 */
export function Hash({ value, label = "SHA-256" }: { value: string; label?: string }) {
  const [ready, setReady] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setReady(true), []);
  return (
    <span className="custody-hash-wrap">
      <code className="custody-hash">{value}</code>
      {ready ? (
        <button
          type="button"
          className="usa-button usa-button--unstyled custody-copy"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy"}
          <span className="usa-sr-only"> the {label}</span>
        </button>
      ) : null}
    </span>
  );
}
