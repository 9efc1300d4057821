import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { listEvidenceKinds } from "~/modules/catalog/catalog.server.ts";
import { catalogPaths, qualifiedLabel } from "~/modules/catalog/paths.ts";
import type { Route } from "./+types/catalog.evidence";

export const meta: Route.MetaFunction = () => [{ title: "Evidence kinds — Custody" }];

export const permission = "catalog:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { kinds: await auth.run((ctx) => listEvidenceKinds(ctx)) };
}

function cadence(kind: { renewalMonths: number | null; eventDriven: boolean }) {
  if (kind.eventDriven) return "Filed when the event happens";
  if (kind.renewalMonths === 12) return "Renewed yearly";
  if (kind.renewalMonths) return `Renewed every ${kind.renewalMonths} months`;
  return "Provided once, and again when it changes";
}

export default function EvidenceKindsPage({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <Breadcrumbs
        crumbs={[{ label: "Home", to: "/" }, { label: "Catalog", to: catalogPaths.index() }, { label: "Evidence kinds" }]}
      />
      <h1>Evidence kinds</h1>
      <p className="usa-intro custody-summary">
        The {loaderData.kinds.length} kinds of evidence a cloud vendor provides, and the requirements each can help satisfy.
        Evidence requests and review are built on this list.
      </p>
      {loaderData.kinds.map((kind) => (
        <section key={kind.key} id={kind.key} aria-labelledby={`${kind.key}-heading`} className="margin-top-4">
          <h2 id={`${kind.key}-heading`} className="margin-bottom-05">
            {kind.name}
          </h2>
          <p className="margin-top-0 custody-muted">{cadence(kind)}</p>
          <p className="custody-summary">{kind.description}</p>
          <p className="margin-bottom-05">
            <strong>Helps satisfy:</strong>
          </p>
          <ul className="usa-list margin-top-0">
            {kind.supports.map((s) => (
              <li key={`${s.frameworkKey}:${s.code}`}>
                <Link to={catalogPaths.requirement(s.frameworkKey, s.frameworkVersion, s.code)}>
                  <span className="custody-code">{qualifiedLabel(s)}</span> {s.title}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
