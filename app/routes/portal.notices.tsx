import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { NoticeTable } from "~/components/notices.tsx";
import { authorize } from "~/http/guard.server.ts";
import { noticePaths } from "~/modules/notices/kinds.ts";
import { listNotices } from "~/modules/notices/notices.server.ts";
import { evidencePaths } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/portal.notices";

/** The notices this vendor has filed or its agencies recorded, with how each agency judged the timing. */
export const permission = "notice:file:own-vendor";
export const meta = () => [{ title: "Notices — Vendor portal — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { rows: await auth.run((ctx) => listNotices(ctx, "vendor")) };
}

export default function PortalNotices({ loaderData: d }: Route.ComponentProps) {
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Vendor portal", to: evidencePaths.portal() }, { label: "Notices" }]} />
      <h1>Notices</h1>
      <p className="usa-intro">
        Tell your agencies of a breach or incident, legal process served on you, a change of where their data is kept, or a change
        of your business. They are told the moment you file.
      </p>
      <p>
        <Link className="usa-button" to={noticePaths.portalFile()}>
          File a notice
        </Link>
      </p>
      <NoticeTable rows={d.rows} href={noticePaths.portalNotice} showVendor={false} />
    </div>
  );
}
