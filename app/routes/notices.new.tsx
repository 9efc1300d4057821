import { data, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { KindChooser, NoticeForm } from "~/components/notices.tsx";
import { formRecord, readForm } from "~/http/form.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { NOTICE_KIND_LABELS, type NoticeKindKey, noticePaths } from "~/modules/notices/kinds.ts";
import { createNotice, noticeFormOptions } from "~/modules/notices/notices.server.ts";
import type { Route } from "./+types/notices.new";

/** Record a notice the agency received by phone, letter or e-mail, with the time it was told. */
export const permission = "notice:record";
export const meta = () => [{ title: "Record a notice — Custody" }];

const kindOf = (value: string | null) => (value && Object.hasOwn(NOTICE_KIND_LABELS, value) ? (value as NoticeKindKey) : null);

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const kind = kindOf(new URL(args.request.url).searchParams.get("kind"));
  return { kind, ...(await auth.run((ctx) => noticeFormOptions(ctx, "agency", { audit: true }))) };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const raw = formRecord(await readForm(args.request));
  const result = await auth.submit((ctx) => createNotice(ctx, "agency", raw));
  if (!result.ok) return data({ errors: result.errors, values: raw }, { status: 400 });
  const created = result.value;
  await auth.flash("The notice is recorded and your agency's CJIS officers have been told.");
  return redirect(noticePaths.notice(created.notice.id));
}

export default function RecordNotice({ loaderData: d, actionData }: Route.ComponentProps) {
  const kind = kindOf(String(actionData?.values.kind ?? "")) ?? d.kind;
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Notices", to: noticePaths.list() }, { label: "Record a notice" }]} />
      <h1>Record a notice</h1>
      <p className="usa-intro">
        For a notice the vendor gave outside the portal. Give each time as it read where it happened; Custody works out the
        deadline from your contract and whether it was met.
      </p>
      <KindChooser chosen={kind} />
      {kind ? (
        <NoticeForm
          side="agency"
          kind={kind}
          values={actionData?.values ?? {}}
          errors={actionData?.errors ?? {}}
          agencies={[]}
          vendors={d.vendors}
        />
      ) : null}
    </div>
  );
}
