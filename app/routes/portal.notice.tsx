import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { NoticeDetail } from "~/components/notices.tsx";
import { authorize } from "~/http/guard.server.ts";
import { noticePaths } from "~/modules/notices/kinds.ts";
import { getNotice } from "~/modules/notices/notices.server.ts";
import { evidencePaths } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/portal.notice";

/** One of the vendor's notices as filed, with each agency's deadline and whether it was met. */
export const permission = "notice:file:own-vendor";
export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.notice.summary ?? "Notice"} — Vendor portal — Custody` },
];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { notice: await auth.run((ctx) => getNotice(ctx, "vendor", args.params.noticeId)) };
}

export default function PortalNotice({ loaderData: { notice } }: Route.ComponentProps) {
  return (
    <div className="padding-y-4">
      <Breadcrumbs
        crumbs={[
          { label: "Vendor portal", to: evidencePaths.portal() },
          { label: "Notices", to: noticePaths.portalList() },
          { label: notice.summary },
        ]}
      />
      <h1>{notice.summary}</h1>
      <NoticeDetail notice={notice} />
    </div>
  );
}
