import { Link } from "react-router";

/** Where the vendor record or the contract's terms contradict what the contract needs, each with the page that fixes it. */
export function ConflictList({
  conflicts,
}: {
  conflicts: { code: string; message: string; cites: string; fix: { label: string; href: string } | null }[];
}) {
  if (conflicts.length === 0) return null;
  return (
    <div className="usa-alert usa-alert--warning margin-y-3" role="region" aria-labelledby="conflicts-heading">
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading" id="conflicts-heading">
          Conflicts between the vendor record and the contract
        </h2>
        <ul className="usa-list">
          {conflicts.map((c, i) => (
            <li key={`${c.code}-${i}`}>
              {c.message} <span className="custody-muted">({c.cites})</span>
              {c.fix ? (
                <>
                  {" "}
                  <Link to={c.fix.href}>{c.fix.label}</Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
