import { Link } from "react-router";
import { EvidenceStatusTag } from "~/components/evidence.tsx";
import { authorize } from "~/http/guard.server.ts";
import { portalHome } from "~/modules/evidence/submissions.server.ts";
import { evidencePaths, type ShownStatus } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/portal";

/** The vendor portal: what the agencies ask of this vendor, what awaits their decision, what was decided. */
export const permission = "evidence:upload:own-vendor";
export const meta = () => [{ title: "Vendor portal — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run((ctx) => portalHome(ctx));
}

type Row = {
  id: string;
  title: string;
  kindName: string;
  agencyName: string;
  shown: ShownStatus;
  dueOn: string | null;
  expiresOn: string | null;
};

function ItemTable({
  caption,
  rows,
  empty,
  dateLabel,
  date,
}: {
  caption: string;
  rows: Row[];
  empty: string;
  dateLabel: string;
  date: (r: Row) => string | null;
}) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <table className="usa-table usa-table--borderless usa-table--stacked width-full">
      <caption className="usa-sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Evidence</th>
          <th scope="col">Asked by</th>
          <th scope="col">Status</th>
          <th scope="col">{dateLabel}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row" data-label="Evidence">
              <Link to={evidencePaths.portalItem(r.id)}>{r.title}</Link>
              <div className="custody-muted">{r.kindName}</div>
            </th>
            <td data-label="Asked by">{r.agencyName}</td>
            <td data-label="Status">
              <EvidenceStatusTag status={r.shown} />
            </td>
            <td data-label={dateLabel}>{date(r) ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function Portal({ loaderData }: Route.ComponentProps) {
  const { vendor, open, awaiting, decided } = loaderData;
  return (
    <div className="padding-y-4">
      <h1>Vendor portal{vendor ? `: ${vendor.legalName}` : ""}</h1>
      <p className="custody-summary">
        Upload here, never by e-mail: each file is checked, encrypted and recorded with your attestation, and the agency sees it
        at once.
      </p>
      <p>
        <Link to="/portal/notices">Notices</Link>: tell your agencies of a breach, legal process, a data-location change or a
        business change. <Link to="/portal/roster">Personnel roster</Link>: propose who has access to CJI, with their checks,
        Security Addendum and training.
      </p>
      <section aria-labelledby="open">
        <h2 id="open">Requests to answer ({open.length})</h2>
        <ItemTable
          caption="Requests to answer"
          rows={open}
          empty="Nothing is asked of you at the moment."
          dateLabel="Due"
          date={(r) => r.dueOn}
        />
      </section>
      <section aria-labelledby="awaiting">
        <h2 id="awaiting">Awaiting the agency's decision ({awaiting.length})</h2>
        <ItemTable
          caption="Awaiting a decision"
          rows={awaiting}
          empty="Nothing is waiting for a decision."
          dateLabel="Due"
          date={(r) => r.dueOn}
        />
      </section>
      <section aria-labelledby="decided">
        <h2 id="decided">Accepted ({decided.length})</h2>
        <ItemTable
          caption="Accepted evidence"
          rows={decided}
          empty="Nothing accepted yet."
          dateLabel="Expires"
          date={(r) => r.expiresOn}
        />
      </section>
    </div>
  );
}
