/** Links to download records as NIST OSCAL JSON, with a line on what each holds. */
export function OscalDownloads({ links }: { links: { href: string; label: string; holds: string }[] }) {
  return (
    <section aria-labelledby="oscal-heading" className="margin-top-4">
      <h2 id="oscal-heading">Exchange in NIST OSCAL</h2>
      <p className="custody-muted">
        Machine-readable JSON in the Open Security Controls Assessment Language, version 1.0.6, for a state CJIS Systems Agency,
        an assessor or another tool. The same documents are available from the API with a token carrying
        &ldquo;export:read&rdquo;.
      </p>
      <ul className="usa-list">
        {links.map((l) => (
          <li key={l.href}>
            <a href={l.href} download>
              {l.label}
            </a>{" "}
            (JSON): {l.holds}
          </li>
        ))}
      </ul>
    </section>
  );
}
