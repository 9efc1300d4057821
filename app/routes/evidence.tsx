import { Form, Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { EvidenceStatusTag, ExpiriesChart, FlagList, StatusByVendorChart } from "~/components/evidence.tsx";
import { Field } from "~/components/field.tsx";
import { SelectField } from "~/components/inputs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { listRegister } from "~/modules/evidence/register.server.ts";
import { EVIDENCE_STATUS_LABELS, evidencePaths } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/evidence";
import { formatCount } from "~/modules/format.ts";

/** The agency's evidence register: every item, filtered by vendor, kind, status or expiry, with charts. */
export const permission = "evidence:read";
export const meta = () => [{ title: "Evidence register — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const params = new URL(args.request.url).searchParams;
  const get = (name: string) => params.get(name) ?? undefined;
  const page = await auth.run((ctx) =>
    listRegister(ctx, {
      vendorId: get("vendorId"),
      kind: get("kind"),
      status: get("status"),
      expiringBefore: get("expiringBefore"),
      page: Number(get("page") ?? 1),
    }),
  );
  return {
    ...page,
    canRequest: auth.actor.permissions.has("evidence:request"),
    canReview: auth.actor.permissions.has("evidence:review"),
  };
}

export default function EvidenceRegister({ loaderData }: Route.ComponentProps) {
  const { rows, filter, page, total, pageSize, kinds, vendors, charts, canRequest, canReview } = loaderData;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const pageLink = (n: number) => evidencePaths.register({ ...filter, page: String(n) });
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Evidence" }]} />
      <h1>Evidence register</h1>
      <p>
        {canRequest ? (
          <Link className="usa-button" to={evidencePaths.request()}>
            Request evidence
          </Link>
        ) : null}
        {canReview ? (
          <Link className="usa-button usa-button--outline" to={evidencePaths.review()}>
            Review queue
          </Link>
        ) : null}
      </p>
      <Form method="get" className="usa-form usa-form--large maxw-full" aria-label="Filter the register">
        <div className="grid-row grid-gap">
          <div className="grid-col-12 tablet:grid-col-3">
            <SelectField
              name="vendorId"
              label="Vendor"
              options={vendors.map((v) => ({ value: v.id, label: v.name }))}
              empty="All vendors"
              defaultValue={filter.vendorId ?? ""}
            />
          </div>
          <div className="grid-col-12 tablet:grid-col-3">
            <SelectField
              name="kind"
              label="Kind"
              options={kinds.map((k) => ({ value: k.key, label: k.name }))}
              empty="All kinds"
              defaultValue={filter.kind ?? ""}
            />
          </div>
          <div className="grid-col-12 tablet:grid-col-3">
            <SelectField
              name="status"
              label="Status"
              options={Object.entries(EVIDENCE_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
              empty="Any status"
              defaultValue={filter.status ?? ""}
            />
          </div>
          <div className="grid-col-12 tablet:grid-col-3">
            <Field name="expiringBefore" label="Expiring before" type="date" defaultValue={filter.expiringBefore ?? ""} />
          </div>
        </div>
        <button className="usa-button margin-top-2" type="submit">
          Show
        </button>
      </Form>
      <p className="custody-muted" role="status">
        {formatCount(total, "item")}
        {pages > 1 ? `, page ${page} of ${pages}` : ""}.
      </p>
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Evidence items</caption>
        <thead>
          <tr>
            <th scope="col">Evidence</th>
            <th scope="col">Vendor</th>
            <th scope="col">Status</th>
            <th scope="col">Due</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={5}>No evidence matches.</td>
            </tr>
          ) : null}
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row" data-label="Evidence">
                <Link to={evidencePaths.item(r.id)}>{r.title}</Link>
                <div className="custody-muted">
                  {r.kindName}
                  {r.version > 0 ? ` · version ${r.version}` : ""}
                  {r.shared ? " · from a shared contract" : ""}
                </div>
                <FlagList flags={r.flags} />
              </th>
              <td data-label="Vendor">{r.vendorName}</td>
              <td data-label="Status">
                <EvidenceStatusTag status={r.shown} />
              </td>
              <td data-label="Due">{r.dueOn ?? "—"}</td>
              <td data-label="Expires">{r.expiresOn ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 ? (
        <nav aria-label="Pages of the register" className="margin-y-2">
          {page > 1 ? <Link to={pageLink(page - 1)}>Previous page</Link> : null}
          {page > 1 && page < pages ? " · " : null}
          {page < pages ? <Link to={pageLink(page + 1)}>Next page</Link> : null}
        </nav>
      ) : null}
      <section aria-labelledby="by-vendor">
        <h2 id="by-vendor">Evidence status by vendor</h2>
        <StatusByVendorChart rows={charts.byVendor} />
      </section>
      <section aria-labelledby="expiries">
        <h2 id="expiries">Expiries over the next year</h2>
        <ExpiriesChart months={charts.expiries} />
      </section>
    </div>
  );
}
