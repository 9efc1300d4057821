import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { RosterChanges, RosterTable } from "~/components/roster.tsx";
import { authorize } from "~/http/guard.server.ts";
import { portalRoster } from "~/modules/roster/roster.server.ts";
import { rosterPaths } from "~/modules/roster/vocabulary.ts";
import { evidencePaths } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/portal.roster";

/** The vendor's roster as its agencies see it, with the changes it has proposed. */
export const permission = "roster:propose:own-vendor";
export const meta = () => [{ title: "Personnel roster — Vendor portal — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run((ctx) => portalRoster(ctx));
}

export default function PortalRoster({ loaderData: d }: Route.ComponentProps) {
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Vendor portal", to: evidencePaths.portal() }, { label: "Personnel roster" }]} />
      <h1>Personnel roster</h1>
      <p className="usa-intro">
        Everyone at {d.vendor.legalName} with access to unencrypted CJI. Propose each change here; it applies once a CJIS officer
        approves it. Select a name to propose a change, including the day someone left and the day their access ended.
      </p>
      <p>
        <Link className="usa-button" to={rosterPaths.portalPropose()}>
          Propose adding a person
        </Link>
      </p>
      <h2>Waiting for approval</h2>
      <RosterChanges changes={d.pending} caption="Your changes waiting for approval" />
      <h2>The roster</h2>
      <RosterTable people={d.people} fileHref={rosterPaths.portalFile} editHref={(id) => rosterPaths.portalPropose(id)} />
      <h2>Decided changes</h2>
      <RosterChanges changes={d.decided} caption="Your changes already decided" />
    </div>
  );
}
