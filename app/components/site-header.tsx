import { Link, NavLink } from "react-router";
import closeIcon from "@uswds/uswds/img/usa-icons/close.svg?url";

const navigation = [
  { to: "/catalog", label: "Catalog", end: true },
  { to: "/catalog/crosswalk", label: "Crosswalk", end: false },
  { to: "/catalog/evidence", label: "Evidence kinds", end: false },
];

/** USWDS basic header: product name and primary navigation. */
export function SiteHeader() {
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
              {navigation.map((item) => (
                <li key={item.to} className="usa-nav__primary-item">
                  <NavLink
                    to={item.to}
                    end={item.end}
                    className={({ isActive }) => `usa-nav-link${isActive ? " usa-current" : ""}`}
                  >
                    <span>{item.label}</span>
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </header>
    </>
  );
}
