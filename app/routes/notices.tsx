import { Form, Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { SelectField, optionsOf } from "~/components/inputs.tsx";
import { NoticeTable } from "~/components/notices.tsx";
import { authorize } from "~/http/guard.server.ts";
import { NOTICE_KIND_LABELS, noticePaths } from "~/modules/notices/kinds.ts";
import { listNotices, noticeFormOptions } from "~/modules/notices/notices.server.ts";
import type { Route } from "./+types/notices";

/** The notices that concern the agency, each with whether it met the contract's window. */
export const permission = "evidence:read";
export const meta = () => [{ title: "Notices — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const params = new URL(args.request.url).searchParams;
  const filter = {
    kind: params.get("kind") ?? "",
    timeliness: params.get("timeliness") ?? "",
    vendorId: params.get("vendorId") ?? "",
  };
  return auth.run(async (ctx) => ({
    filter,
    rows: await listNotices(ctx, "agency", filter),
    vendors: (await noticeFormOptions(ctx, "agency")).vendors,
    canRecord: ctx.actor.permissions.has("notice:record"),
  }));
}

export default function Notices({ loaderData: d }: Route.ComponentProps) {
  const late = d.rows.filter((r) => r.agencies.some((a) => a.timeliness === "late")).length;
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Notices" }]} />
      <h1>Notices</h1>
      <p className="usa-intro">
        Breach, legal-process, data-location and business-change notices from vendors. {d.rows.length} shown, {late} late against
        the contract's window.
      </p>
      {d.canRecord ? (
        <p>
          <Link className="usa-button" to={noticePaths.record()}>
            Record a notice
          </Link>
        </p>
      ) : null}
      <Form method="get" className="usa-form grid-row grid-gap-2 flex-align-end maxw-none" aria-label="Filter notices">
        <div className="grid-col-auto">
          <SelectField
            name="vendorId"
            label="Vendor"
            options={d.vendors.map((v) => ({ value: v.id, label: v.name }))}
            empty="All"
            defaultValue={d.filter.vendorId}
          />
        </div>
        <div className="grid-col-auto">
          <SelectField
            name="kind"
            label="Kind"
            options={optionsOf(NOTICE_KIND_LABELS)}
            empty="All"
            defaultValue={d.filter.kind}
          />
        </div>
        <div className="grid-col-auto">
          <SelectField
            name="timeliness"
            label="Timeliness"
            options={[
              { value: "late", label: "Late" },
              { value: "on-time", label: "On time" },
            ]}
            empty="All"
            defaultValue={d.filter.timeliness}
          />
        </div>
        <div className="grid-col-auto">
          <button className="usa-button usa-button--outline" type="submit">
            Filter
          </button>
        </div>
      </Form>
      <NoticeTable rows={d.rows} href={noticePaths.notice} showVendor />
    </div>
  );
}
