import { Form, Link, NavLink, useLocation } from "react-router";
import closeIcon from "@uswds/uswds/img/usa-icons/close.svg?url";
import { currentItem, type NavGroup } from "~/modules/access/navigation.ts";

export type Viewer = {
  name: string;
  email: string;
  organisation: string | null;
  role: string | null;
  groups: NavGroup[];
  unread: number;
  /** The person's other live roles, each a switch to act for that organization. */
  others: { organisationId: string; organisationName: string; roleLabel: string }[];
} | null;

/**
 * USWDS extended header: the product name and, beside it, the notification count and the account
 * menu (who is signed in, as what, for whom; switching organization; signing out); below, the
 * primary navigation in at most six groups, a link for a group of one page and a menu for more.
 * The menus are USWDS's own (its script opens and closes them, Escape included); without
 * JavaScript, /no-js.css opens a menu while focus is inside it.
 */
export function SiteHeader({ viewer }: { viewer: Viewer }) {
  const { pathname } = useLocation();
  const current = viewer ? currentItem(viewer.groups, pathname) : null;
  return (
    <>
      <div className="usa-overlay"></div>
      <header className="usa-header usa-header--extended custody-header">
        <div className="usa-navbar">
          <div className="usa-logo">
            <em className="usa-logo__text">
              <Link to="/" title="Your start page in Custody">
                Custody
              </Link>
            </em>
          </div>
          {viewer ? (
            <button type="button" className="usa-menu-btn">
              Menu
            </button>
          ) : null}
        </div>
        {viewer ? (
          <nav aria-label="Primary navigation" className="usa-nav">
            <div className="usa-nav__inner">
              <button type="button" className="usa-nav__close">
                <img src={closeIcon} role="img" alt="Close" />
              </button>
              <ul className="usa-nav__primary usa-accordion">
                {viewer.groups.map((group, i) => (
                  <NavGroupItem key={group.label} group={group} index={i} current={current} />
                ))}
              </ul>
              <div className="usa-nav__secondary custody-header__secondary">
                <ul className="usa-nav__secondary-links custody-header__tools">
                  <li className="usa-nav__secondary-item">
                    <NavLink to="/notifications" className={({ isActive }) => (isActive ? "usa-current" : undefined)}>
                      Notifications{" "}
                      {viewer.unread > 0 ? (
                        <span className="custody-count">
                          {viewer.unread > 99 ? "99+" : viewer.unread}
                          <span className="usa-sr-only"> unread</span>
                        </span>
                      ) : null}
                    </NavLink>
                  </li>
                  <li className="usa-nav__secondary-item">
                    <AccountMenu viewer={viewer} />
                  </li>
                </ul>
              </div>
            </div>
          </nav>
        ) : null}
      </header>
    </>
  );
}

function NavGroupItem({ group, index, current }: { group: NavGroup; index: number; current: string | null }) {
  const only = group.items.length === 1 ? group.items[0]! : null;
  if (only)
    return (
      <li className="usa-nav__primary-item">
        <Link
          to={only.to}
          className={`usa-nav-link${current === only.to ? " usa-current" : ""}`}
          aria-current={current === only.to ? "page" : undefined}
        >
          <span>{group.label}</span>
        </Link>
      </li>
    );
  const id = `nav-group-${index}`;
  const here = group.items.some((item) => item.to === current);
  return (
    <li className="usa-nav__primary-item">
      <button
        type="button"
        className={`usa-accordion__button usa-nav__link${here ? " usa-current" : ""}`}
        aria-expanded="false"
        aria-controls={id}
      >
        <span>{group.label}</span>
      </button>
      <ul id={id} className="usa-nav__submenu" hidden>
        {group.items.map((item) => (
          <li key={item.to} className="usa-nav__submenu-item">
            <Link to={item.to} aria-current={item.to === current ? "page" : undefined}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </li>
  );
}

/** The account menu: a USWDS nav dropdown of its own, so the same script and keys open and close it. */
function AccountMenu({ viewer }: { viewer: NonNullable<Viewer> }) {
  return (
    <ul className="usa-nav__primary usa-accordion custody-account">
      <li className="usa-nav__primary-item">
        <button
          type="button"
          className="usa-accordion__button usa-nav__link custody-account__button"
          aria-expanded="false"
          aria-controls="account-menu"
        >
          <span className="custody-account__name">{viewer.name}</span>
          <span className="usa-sr-only">: account menu</span>
        </button>
        <div id="account-menu" className="usa-nav__submenu custody-account__menu" hidden>
          <p className="custody-account__who">
            <strong>{viewer.name}</strong>
            <br />
            {viewer.email}
          </p>
          {viewer.role ? (
            <p className="custody-account__who">
              {viewer.role}
              <br />
              {viewer.organisation}
            </p>
          ) : (
            <p className="custody-account__who">No active role</p>
          )}
          <ul className="usa-list usa-list--unstyled">
            <li className="usa-nav__submenu-item">
              <Link to="/account">Your account</Link>
            </li>
            {viewer.others.map((o) => (
              <li key={o.organisationId} className="usa-nav__submenu-item">
                <Form method="post" action="/account">
                  <input type="hidden" name="organisationId" value={o.organisationId} />
                  <button type="submit" className="usa-button usa-button--unstyled custody-account__switch">
                    Act for {o.organisationName} ({o.roleLabel})
                  </button>
                </Form>
              </li>
            ))}
            <li className="usa-nav__submenu-item">
              <Form method="post" action="/sign-out">
                <button type="submit" className="usa-button usa-button--unstyled custody-account__switch">
                  Sign out
                </button>
              </Form>
            </li>
          </ul>
        </div>
      </li>
    </ul>
  );
}
