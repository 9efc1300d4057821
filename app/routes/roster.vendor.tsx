import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { RosterChanges, RosterTable } from "~/components/roster.tsx";
import { authorize } from "~/http/guard.server.ts";
import { agencyRoster } from "~/modules/roster/roster.server.ts";
import { rosterPaths } from "~/modules/roster/vocabulary.ts";
import { documentPaths } from "~/modules/documents/paths.ts";
import type { Route } from "./+types/roster.vendor";

/** One vendor's roster, with the changes it proposed: waiting ones first. */
export const permission = "evidence:read";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.vendor.legalName ?? "Vendor"} roster — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run(async (ctx) => ({
    ...(await agencyRoster(ctx, args.params.vendorId)),
    canGenerate: ctx.actor.permissions.has("document:generate"),
  }));
}

export default function VendorRoster({ loaderData: d }: Route.ComponentProps) {
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Vendor rosters", to: rosterPaths.agency() }, { label: d.vendor.legalName }]} />
      <h1>{d.vendor.legalName}: personnel roster</h1>
      <p className="usa-intro">
        {d.active.length} {d.active.length === 1 ? "person has" : "people have"} access; {d.flagged} flagged; {d.pending.length}{" "}
        {d.pending.length === 1 ? "change waits" : "changes wait"} for approval.
        {d.vendor.rosterRequired ? " Your contract requires this roster." : ""}
      </p>
      {d.canGenerate ? (
        <p>
          <Link className="usa-button usa-button--outline" to={documentPaths.generate("roster-certification", d.vendor.id)}>
            Roster certification
          </Link>
          <Link className="usa-button usa-button--outline" to={documentPaths.generate("evidence-request-letter", d.vendor.id)}>
            Evidence request letter
          </Link>
          <Link className="usa-button usa-button--outline" to={documentPaths.generate("audit-binder", d.vendor.id)}>
            Audit binder
          </Link>
        </p>
      ) : null}
      <h2>Waiting for approval</h2>
      <RosterChanges changes={d.pending} href={rosterPaths.change} caption="Changes waiting for approval" />
      <h2>The roster</h2>
      <RosterTable people={d.people} fileHref={rosterPaths.file} />
      <h2>Decided changes</h2>
      <RosterChanges changes={d.decided} href={rosterPaths.change} caption="Changes already decided" />
    </div>
  );
}
