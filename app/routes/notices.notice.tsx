import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { NoticeDetail } from "~/components/notices.tsx";
import { authorize } from "~/http/guard.server.ts";
import { noticePaths } from "~/modules/notices/kinds.ts";
import { getNotice } from "~/modules/notices/notices.server.ts";
import type { Route } from "./+types/notices.notice";

/** One notice: what happened, when, when the agency was told, and whether that met the contract. */
export const permission = "evidence:read";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.notice.summary ?? "Notice"} — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return { notice: await auth.run((ctx) => getNotice(ctx, "agency", args.params.noticeId)) };
}

export default function NoticePage({ loaderData: { notice } }: Route.ComponentProps) {
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Notices", to: noticePaths.list() }, { label: notice.summary }]} />
      <h1>{notice.summary}</h1>
      <NoticeDetail notice={notice} />
    </div>
  );
}
