import type { ReactNode } from "react";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "react-router";
import uswdsScript from "@uswds/uswds?url";
import type { Route } from "./+types/root";
import { sessionOf } from "./http/guard.server.ts";
import type { Permission } from "./modules/access/permissions.ts";
import { roleLabel } from "./modules/format.ts";
import { unreadCount } from "./modules/notifications/notify.server.ts";
import { SiteFooter } from "./components/site-footer.tsx";
import { SiteHeader } from "./components/site-header.tsx";
import { useNonce } from "./nonce.tsx";
import "./app.css";

export const links = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

/** Who is signed in, for the header only; pages authorise themselves (sharing this lookup). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const state = await sessionOf(request, context);
  if (state.status !== "valid") return { viewer: null };
  const can = (p: Permission) => state.permissions.has(p);
  const unread = await unreadCount(context.db, state.person.id);
  const nav = [
    can("contract:read") && { to: "/contracts", label: "Contracts" },
    can("vendor:read") && { to: "/vendors", label: "Vendors" },
    can("evidence:read") && { to: "/evidence", label: "Evidence" },
    can("evidence:read") && { to: "/notices", label: "Notices" },
    can("evidence:read") && { to: "/roster", label: "Rosters" },
    can("document:read") && { to: "/documents", label: "Documents" },
    can("evidence:upload:own-vendor") && { to: "/portal", label: "Vendor portal" },
    can("notice:file:own-vendor") && { to: "/portal/notices", label: "Notices" },
    can("roster:propose:own-vendor") && { to: "/portal/roster", label: "Roster" },
    can("catalog:read") && { to: "/catalog", label: "Catalog" },
    can("user:read") && { to: "/admin/people", label: "People" },
    can("platform:organisations") && { to: "/admin/organisations", label: "Organizations" },
    can("access-review:run") && { to: "/admin/reviews", label: "Reviews" },
    can("token:manage") && { to: "/admin/tokens", label: "API tokens" },
    can("organisation:settings") && { to: "/admin/settings", label: "Settings" },
    can("report:read") && { to: "/reports", label: "Reports" },
    can("audit:read") && { to: "/audit", label: "Audit trail" },
    { to: "/notifications", label: unread > 0 ? `Notifications (${unread})` : "Notifications" },
  ].filter((x): x is { to: string; label: string } => Boolean(x));
  return {
    viewer: {
      nav,
      name: state.person.name,
      organisation: state.membership?.organisationName ?? null,
      role: state.membership ? roleLabel(state.membership.role) : null,
      timeZone: state.membership?.timeZone ?? "UTC",
    },
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const viewer = useRouteLoaderData<typeof loader>("root")?.viewer ?? null;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="usa-skipnav" href="#main-content">
          Skip to main content
        </a>
        <SiteHeader viewer={viewer} />
        <main id="main-content" tabIndex={-1}>
          <div className="grid-container padding-bottom-6">{children}</div>
        </main>
        <SiteFooter />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <script src={uswdsScript} nonce={nonce} defer />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <ErrorPage title="Page not found">
        <p className="usa-intro">We can&rsquo;t find the page you&rsquo;re looking for.</p>
        <p>It may have moved, or the address may be mistyped. Check the address, or go to one of these pages:</p>
        <ul className="usa-list">
          <li>
            <Link to="/">Custody home</Link>
          </li>
          <li>
            <Link to="/catalog">The requirement catalog</Link>
          </li>
        </ul>
      </ErrorPage>
    );
  }
  if (isRouteErrorResponse(error) && error.status < 500) {
    return (
      <ErrorPage title={error.status === 403 ? "Not allowed" : "That request could not be handled"}>
        <p className="usa-intro">{typeof error.data === "string" ? error.data : error.statusText}</p>
        <p>
          <Link to="/">Return to Custody home</Link>
        </p>
      </ErrorPage>
    );
  }
  return (
    <ErrorPage title="Something went wrong">
      <p className="usa-intro">Custody could not show this page because of an error on our side.</p>
      <p>
        Nothing you entered was lost or changed. Try again in a moment; if it keeps happening, tell your administrator the time it
        happened so they can find it in the server log.
      </p>
      <p>
        <Link to="/">Return to Custody home</Link>
      </p>
    </ErrorPage>
  );
}

function ErrorPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="padding-y-6">
      <title>{`${title} — Custody`}</title>
      <h1>{title}</h1>
      {children}
    </div>
  );
}
