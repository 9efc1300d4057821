import { data, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { KindChooser, NoticeForm } from "~/components/notices.tsx";
import { formRecord, readForm } from "~/http/form.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { NOTICE_KIND_LABELS, type NoticeKindKey, noticePaths } from "~/modules/notices/kinds.ts";
import { createNotice, noticeFormOptions } from "~/modules/notices/notices.server.ts";
import { evidencePaths } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/portal.notices.new";

/** File a notice with the agencies it concerns; filing is the notice, timed when it is submitted. */
export const permission = "notice:file:own-vendor";
export const meta = () => [{ title: "File a notice — Vendor portal — Custody" }];

const kindOf = (value: string | null) => (value && Object.hasOwn(NOTICE_KIND_LABELS, value) ? (value as NoticeKindKey) : null);

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const kind = kindOf(new URL(args.request.url).searchParams.get("kind"));
  return { kind, ...(await auth.run((ctx) => noticeFormOptions(ctx, "vendor", { audit: true }))) };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const raw = formRecord(await readForm(args.request), ["agencies"]);
  const result = await auth.submit((ctx) => createNotice(ctx, "vendor", raw));
  if (!result.ok) return data({ errors: result.errors, values: raw }, { status: 400 });
  const created = result.value;
  await auth.flash("The notice is filed; the agencies you named have been told.");
  return redirect(noticePaths.portalNotice(created.notice.id));
}

export default function FileNotice({ loaderData: d, actionData }: Route.ComponentProps) {
  const kind = kindOf(String(actionData?.values.kind ?? "")) ?? d.kind;
  return (
    <div className="padding-y-4">
      <Breadcrumbs
        crumbs={[
          { label: "Vendor portal", to: evidencePaths.portal() },
          { label: "Notices", to: noticePaths.portalList() },
          { label: "File a notice" },
        ]}
      />
      <h1>File a notice</h1>
      <KindChooser chosen={kind} />
      {kind ? (
        <NoticeForm
          side="vendor"
          kind={kind}
          values={actionData?.values ?? {}}
          errors={actionData?.errors ?? {}}
          agencies={d.agencies}
          vendors={[]}
        />
      ) : null}
    </div>
  );
}
