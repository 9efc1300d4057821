import { type ReactNode, useEffect } from "react";
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
import { navigationFor } from "./modules/access/navigation.ts";
import { isNotAllowed } from "./modules/access/permissions.ts";
import { roleLabel } from "./modules/format.ts";
import { takeFlash } from "./modules/access/flash.server.ts";
import { SiteFooter } from "./components/site-footer.tsx";
import { SiteHeader } from "./components/site-header.tsx";
import { useClientNavigation } from "./components/plain-link.tsx";
import { useNonce } from "./nonce.tsx";
import "./app.css";

export const links = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

/** Who is signed in, for the header only; pages authorise themselves (sharing this lookup). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const state = await sessionOf(request, context);
  if (state.status !== "valid") return { viewer: null, flash: null };
  const unread = state.unread;
  // Shown once, on this page, to the person whose action left it; gone on the next. The session row was read
  // already, so the claiming update runs only when it holds a message.
  const flash = state.hasFlash ? await takeFlash(context.db, state.sessionId) : null;
  const active = state.membership?.organisationId ?? null;
  return {
    viewer: {
      groups: navigationFor(state.permissions),
      unread,
      name: state.person.name,
      email: state.person.email,
      organisation: state.membership?.organisationName ?? null,
      role: state.membership ? roleLabel(state.membership.role) : null,
      others: state.memberships
        .filter((m) => m.organisationId !== active)
        .map((m) => ({ organisationId: m.organisationId, organisationName: m.organisationName, roleLabel: roleLabel(m.role) })),
      timeZone: state.membership?.timeZone ?? "UTC",
    },
    flash,
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const root = useRouteLoaderData<typeof loader>("root");
  const viewer = root?.viewer ?? null;
  const flash = root?.flash ?? null;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <noscript>
          <link rel="stylesheet" href="/no-js.css" />
        </noscript>
      </head>
      <body>
        <a className="usa-skipnav" href="#main-content">
          Skip to main content
        </a>
        <SiteHeader viewer={viewer} />
        <main id="main-content" tabIndex={-1}>
          <div className="grid-container padding-bottom-6">
            {flash ? (
              <div className="usa-alert usa-alert--success usa-alert--slim margin-top-2" role="status">
                <div className="usa-alert__body">
                  <p className="usa-alert__text">{flash}</p>
                </div>
              </div>
            ) : null}
            {children}
          </div>
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
  useClientNavigation();
  // Marks the page as hydrated: React owns it from here (browser tests wait for this before judging a page).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
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
  if (isRouteErrorResponse(error) && error.status === 403 && isNotAllowed(error.data)) {
    const d = error.data;
    const lower = d.allows.charAt(0).toLowerCase() + d.allows.slice(1);
    return (
      <ErrorPage title="Not allowed">
        <p className="usa-intro">
          This page is for people who may {lower}.{" "}
          {d.role ? `Your role, ${d.role} at ${d.organisation}, may not.` : "You have no active role that allows it."}
        </p>
        <p>
          If your work needs it, ask {d.grantedBy} to give you a role that allows it. Nothing was shown or changed, and the
          attempt is recorded in the audit trail.
        </p>
        <details className="margin-y-2">
          <summary>Details for administrators</summary>
          <p>
            Permission needed: <code>{d.permission}</code> ({d.allows}). Roles that hold it:{" "}
            {d.rolesWithIt.length > 0 ? d.rolesWithIt.join(", ") : "none"}.
          </p>
        </details>
        <p>
          <Link to="/">Go to your start page</Link>
        </p>
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
