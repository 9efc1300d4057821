import { Form, Link, NavLink } from "react-router";
import closeIcon from "@uswds/uswds/img/usa-icons/close.svg?url";

export type Viewer = {
  name: string;
  organisation: string | null;
  role: string | null;
  nav: { to: string; label: string }[];
} | null;

/** USWDS basic header: product name, primary navigation, and who is signed in. */
export function SiteHeader({ viewer }: { viewer: Viewer }) {
  return (
    <>
      <div className="usa-overlay"></div>
      <header className="usa-header usa-header--basic">
        <div className="usa-nav-container">
          <div className="usa-navbar">
            <div className="usa-logo">
              <em className="usa-logo__text">
                <Link to="/" title="Custody home">
                  Custody
                </Link>
              </em>
            </div>
            <button type="button" className="usa-menu-btn">
              Menu
            </button>
          </div>
          <nav aria-label="Primary navigation" className="usa-nav">
            <button type="button" className="usa-nav__close">
              <img src={closeIcon} role="img" alt="Close" />
            </button>
            <ul className="usa-nav__primary usa-accordion">
              {(viewer?.nav ?? []).map((item) => (
                <li key={item.to} className="usa-nav__primary-item">
                  <NavLink to={item.to} className={({ isActive }) => `usa-nav-link${isActive ? " usa-current" : ""}`}>
                    <span>{item.label}</span>
                  </NavLink>
                </li>
              ))}
              {viewer ? (
                <>
                  <li className="usa-nav__primary-item">
                    <NavLink to="/account" className={({ isActive }) => `usa-nav-link${isActive ? " usa-current" : ""}`}>
                      <span>
                        {viewer.name}
                        {viewer.organisation ? (
                          <span className="usa-sr-only">
                            , {viewer.role} at {viewer.organisation}
                          </span>
                        ) : null}
                      </span>
                    </NavLink>
                  </li>
                  <li className="usa-nav__primary-item">
                    <Form method="post" action="/sign-out">
                      <button type="submit" className="usa-button usa-button--unstyled usa-nav-link">
                        Sign out
                      </button>
                    </Form>
                  </li>
                </>
              ) : null}
            </ul>
            {viewer?.organisation ? (
              <p className="font-body-3xs custody-muted margin-y-0 desktop:text-right">
                {viewer.role} · {viewer.organisation}
              </p>
            ) : null}
          </nav>
        </div>
      </header>
    </>
  );
}
