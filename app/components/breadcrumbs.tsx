import { Link } from "react-router";

export type Crumb = { label: string; to?: string };

/** USWDS breadcrumb; the last crumb is the current page. */
export function Breadcrumbs({ crumbs }: { crumbs: Crumb[] }) {
  return (
    <nav className="usa-breadcrumb" aria-label="Breadcrumbs">
      <ol className="usa-breadcrumb__list">
        {crumbs.map((crumb, i) => {
          const current = i === crumbs.length - 1;
          return (
            <li
              key={`${crumb.label}-${i}`}
              className={`usa-breadcrumb__list-item${current ? " usa-current" : ""}`}
              aria-current={current ? "page" : undefined}
            >
              {crumb.to && !current ? (
                <Link to={crumb.to} className="usa-breadcrumb__link">
                  <span>{crumb.label}</span>
                </Link>
              ) : (
                <span>{crumb.label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
