/** USWDS slim footer: what the product is and how it treats its sources. */
export function SiteFooter() {
  return (
    <footer className="usa-footer usa-footer--slim">
      <div className="usa-footer__secondary-section">
        <div className="grid-container">
          <p className="margin-y-1">
            <strong>Custody</strong> — cloud contracts and vendor evidence held to the IACP cloud-computing principles and the FBI
            CJIS Security Policy.
          </p>
          <p className="margin-y-1 font-body-3xs">
            Requirement summaries are Custody&rsquo;s own drafting; each cites its source by name and section. Read the source
            documents for their exact text.
          </p>
        </div>
      </div>
    </footer>
  );
}
