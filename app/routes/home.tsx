import { Link, redirect } from "react-router";
import { Dashboard } from "~/components/dashboard.tsx";
import { authorize } from "~/http/guard.server.ts";
import { landingPath } from "~/modules/access/navigation.ts";
import { listFrameworks } from "~/modules/catalog/catalog.server.ts";
import { getDashboard } from "~/modules/dashboard/dashboard.server.ts";
import { catalogPaths, kindLabel } from "~/modules/catalog/paths.ts";
import type { Route } from "./+types/home";

export const meta: Route.MetaFunction = () => [{ title: "Custody — cloud contracts held to CJIS and the IACP principles" }];

export const permission = "catalog:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  // Each person starts on the page of their work: vendor people on their portal, auditors on
  // their reports, administrators on the people they manage, legal staff on documents.
  const landing = landingPath(auth.membership?.role ?? null);
  if (landing !== "/") throw redirect(landing);
  // CJIS and procurement officers land on their dashboard; anyone else left here, on the catalog.
  if (auth.actor.permissions.has("contract:read")) {
    return {
      dashboard: await auth.run((ctx) => getDashboard(ctx)),
      frameworks: [],
      canCreate: auth.actor.permissions.has("contract:edit"),
      canReview: auth.actor.permissions.has("evidence:review"),
    };
  }
  const frameworks = await auth.run((ctx) => listFrameworks(ctx));
  return { dashboard: null, frameworks: frameworks.filter((f) => f.latest), canCreate: false, canReview: false };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  if (loaderData.dashboard)
    return <Dashboard data={loaderData.dashboard} canCreate={loaderData.canCreate} canReview={loaderData.canReview} />;
  return (
    <>
      <section className="padding-y-4">
        <h1>Custody</h1>
        <p className="usa-intro custody-summary">
          Custody holds cloud service providers to the IACP Guiding Principles on Cloud Computing in Law Enforcement and the FBI
          CJIS Security Policy: it maps their requirements to each vendor contract, tracks the evidence vendors owe, and produces
          the documents an audit asks for.
        </p>
      </section>
      <section aria-labelledby="catalog-heading">
        <h2 id="catalog-heading">The requirement catalog</h2>
        <p className="custody-summary">
          Every contract is measured against these frameworks. Each entry is summarized in our own words and cites its source
          section.
        </p>
        <ul className="usa-card-group">
          {loaderData.frameworks.map((f) => (
            <li key={f.id} className="usa-card tablet:grid-col-6 desktop:grid-col-3">
              <div className="usa-card__container">
                <div className="usa-card__header">
                  <h3 className="usa-card__heading">{f.title}</h3>
                </div>
                <div className="usa-card__body">
                  <p className="custody-muted">
                    Version {f.version} · {f.published}
                  </p>
                  <p>
                    {Object.entries(f.counts)
                      .map(([kind, n]) => `${n} ${kindLabel(kind, n)}`)
                      .join(", ")}
                  </p>
                </div>
                <div className="usa-card__footer">
                  <Link className="usa-button" to={catalogPaths.framework(f.key, f.version)}>
                    Browse <span className="usa-sr-only">{f.shortTitle}</span>
                  </Link>
                </div>
              </div>
            </li>
          ))}
        </ul>
        <p>
          <Link to={catalogPaths.crosswalk()}>See how the principles, provisions and CJIS controls map to each other</Link>
          {" · "}
          <Link to={catalogPaths.evidence()}>The kinds of evidence a vendor provides</Link>
        </p>
      </section>
    </>
  );
}
