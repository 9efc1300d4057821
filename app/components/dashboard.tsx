import { Link } from "react-router";
import { CoverageLegend, CoverageTable, type CoverageCounts } from "~/components/coverage.tsx";
import { STATUS_LABELS, STATUS_ORDER, type ContractStatus } from "~/modules/contracts/lifecycle.ts";
import { contractPaths, vendorPaths } from "~/modules/contracts/paths.ts";
import { evidencePaths } from "~/modules/evidence/vocabulary.ts";
import { formatPercent } from "~/modules/format.ts";

type DashboardData = {
  today: string;
  timeZone: string;
  horizon: string;
  byStatus: Record<ContractStatus, number>;
  total: number;
  coverage: { id: string; title: string; vendorName: string; owned: boolean; counts: CoverageCounts; percent: number | null }[];
  deadlines: { contractId: string; title: string; kind: "renewal-notice" | "end"; on: string; daysLeft: number }[];
  flagged: { vendorId: string; name: string; flags: { message: string; cites: string }[] }[];
  evidence: {
    counts: { expired: number; expiring: number; rejected: number; toReview: number; overdue: number };
    items: { id: string; title: string; vendorName: string; reason: string; on: string | null }[];
  } | null;
  vendorRecords: { lateNotices: number; flaggedPeople: number; pendingChanges: number } | null;
};

const EVIDENCE_REASONS: Record<string, string> = {
  expired: "Expired",
  expiring: "Expires",
  rejected: "Rejected",
  overdue: "Overdue since",
};

/** The agency's home page. Every item links to the page where it is dealt with. */
export function Dashboard({ data, canCreate, canReview }: { data: DashboardData; canCreate: boolean; canReview: boolean }) {
  return (
    <div className="padding-y-4">
      <h1>Dashboard</h1>
      <p className="custody-muted">
        As of {data.today}, on your agency's calendar ({data.timeZone}).
      </p>
      {canCreate ? (
        <p>
          <Link className="usa-button" to={contractPaths.create()}>
            New contract
          </Link>
          <Link className="usa-button usa-button--outline" to={vendorPaths.create()}>
            Register a vendor
          </Link>
        </p>
      ) : null}

      <section aria-labelledby="status-heading">
        <h2 id="status-heading">Contracts by status</h2>
        {data.total === 0 ? <p>No contract yet.</p> : null}
        <ul className="usa-card-group">
          {STATUS_ORDER.map((s) => (
            <li key={s} className="usa-card mobile-lg:grid-col-4 desktop:grid-col-2">
              <div className="usa-card__container">
                <div className="usa-card__body">
                  <p className="font-heading-2xl margin-y-1">{data.byStatus[s]}</p>
                  <Link to={contractPaths.list({ status: s })}>{STATUS_LABELS[s]}</Link>
                </div>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="coverage-heading">
        <h2 id="coverage-heading">Coverage per contract</h2>
        <p className="custody-summary">
          Contracts in force or being negotiated, the least covered first. Each bar opens the contract's coverage matrix.
        </p>
        <CoverageLegend />
        {data.coverage.length === 0 ? (
          <p>No contract to measure yet.</p>
        ) : (
          <CoverageTable
            caption="Coverage per contract"
            heading="Contract"
            rows={data.coverage.map((c) => ({
              key: c.id,
              label: c.title,
              title: (
                <>
                  <Link to={contractPaths.matrix(c.id)}>{c.title}</Link>
                  <div className="custody-muted">
                    {c.vendorName}
                    {c.owned ? "" : " · shared with your agency"}
                  </div>
                </>
              ),
              counts: c.counts,
              note: `${formatPercent(c.percent ?? 0)} addressed`,
            }))}
          />
        )}
      </section>

      {data.evidence ? (
        <section aria-labelledby="evidence-heading">
          <h2 id="evidence-heading">Evidence needing attention</h2>
          <p>
            <Link to={evidencePaths.register({ status: "expired" })}>{data.evidence.counts.expired} expired</Link> ·{" "}
            <Link to={evidencePaths.register({ status: "rejected" })}>{data.evidence.counts.rejected} rejected</Link> ·{" "}
            <Link to={evidencePaths.register({ status: "overdue" })}>{data.evidence.counts.overdue} overdue</Link> ·{" "}
            {data.evidence.counts.expiring} expiring within two months ·{" "}
            {canReview ? (
              <Link to={evidencePaths.review()}>{data.evidence.counts.toReview} waiting for review</Link>
            ) : (
              `${data.evidence.counts.toReview} waiting for review`
            )}
          </p>
          {data.evidence.items.length > 0 ? (
            <ul>
              {data.evidence.items.map((i) => (
                <li key={i.id}>
                  <Link to={evidencePaths.item(i.id)}>{i.title}</Link> ({i.vendorName}): {EVIDENCE_REASONS[i.reason] ?? i.reason}{" "}
                  {i.on ?? ""}
                </li>
              ))}
            </ul>
          ) : (
            <p>No expired, rejected or overdue evidence.</p>
          )}
          {data.vendorRecords ? (
            <p>
              <Link to="/notices?timeliness=late">
                {data.vendorRecords.lateNotices} late {data.vendorRecords.lateNotices === 1 ? "notice" : "notices"} in the last 90
                days
              </Link>{" "}
              ·{" "}
              <Link to="/roster">
                {data.vendorRecords.flaggedPeople} vendor {data.vendorRecords.flaggedPeople === 1 ? "person" : "people"} flagged,{" "}
                {data.vendorRecords.pendingChanges} roster {data.vendorRecords.pendingChanges === 1 ? "change" : "changes"} to
                approve
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="deadlines-heading">
        <h2 id="deadlines-heading">Deadlines in the next 90 days</h2>
        {data.deadlines.length === 0 ? (
          <p>No renewal notice or end of term falls before {data.horizon}.</p>
        ) : (
          <ul className="usa-list">
            {data.deadlines.map((d, i) => (
              <li key={`${d.contractId}-${d.kind}-${i}`}>
                <strong>{d.on}</strong> ({d.daysLeft === 0 ? "today" : `in ${d.daysLeft} day${d.daysLeft === 1 ? "" : "s"}`}):{" "}
                {d.kind === "renewal-notice" ? "last day to give notice of non-renewal for " : "end of term of "}
                <Link to={contractPaths.contract(d.contractId)}>{d.title}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="flagged-heading">
        <h2 id="flagged-heading">Vendors flagged for data location or key custody</h2>
        {data.flagged.length === 0 ? (
          <p>None of the vendors your agency has recorded is flagged.</p>
        ) : (
          <ul className="usa-list">
            {data.flagged.map((v) => (
              <li key={v.vendorId}>
                <Link to={vendorPaths.vendor(v.vendorId)}>{v.name}</Link>: {v.flags.map((f) => f.message).join(" ")}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
