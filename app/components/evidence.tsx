import { Link } from "react-router";
import { displayValue, FLAG_LABELS, type KindField } from "~/modules/evidence/kinds.ts";
import {
  EVIDENCE_STATE_LABELS,
  EVIDENCE_STATUS_LABELS,
  type EvidenceState,
  evidencePaths,
  type ShownStatus,
  STATUS_TONE,
} from "~/modules/evidence/vocabulary.ts";

/** Evidence pieces shared by the agency pages and the vendor portal. */

const TONE_CLASS = {
  good: "custody-tag--addressed",
  warn: "custody-tag--partial",
  bad: "custody-tag--missing",
  neutral: "custody-tag--na",
} as const;

export function EvidenceStatusTag({ status }: { status: ShownStatus }) {
  return <span className={`custody-tag ${TONE_CLASS[STATUS_TONE[status]]}`}>{EVIDENCE_STATUS_LABELS[status]}</span>;
}

const STATE_TONE: Record<EvidenceState, keyof typeof TONE_CLASS> = {
  evidenced: "good",
  pending: "warn",
  requested: "neutral",
  expired: "bad",
  rejected: "bad",
  none: "neutral",
};

/** A requirement's evidence on a contract, linking to the item behind it for a person who may open it. */
export function EvidenceStateTag({
  evidence,
  canOpen,
}: {
  evidence: { state: EvidenceState; itemId: string } | null;
  canOpen: boolean;
}) {
  if (!evidence) return <span className="custody-muted">{EVIDENCE_STATE_LABELS.none}</span>;
  const className = `custody-tag ${TONE_CLASS[STATE_TONE[evidence.state]]}`;
  if (!canOpen) return <span className={className}>{EVIDENCE_STATE_LABELS[evidence.state]}</span>;
  return (
    <Link to={evidencePaths.item(evidence.itemId)} className={className}>
      {EVIDENCE_STATE_LABELS[evidence.state]}
    </Link>
  );
}

export function FlagList({ flags }: { flags: string[] }) {
  if (flags.length === 0) return null;
  return (
    <ul className="custody-flag margin-y-1">
      {flags.map((f) => (
        <li key={f}>{FLAG_LABELS[f] ?? f}</li>
      ))}
    </ul>
  );
}

/** The dates and kind-specific fields of a version, as a definition list. */
export function VersionFields({
  kindKey,
  fields,
  version,
}: {
  kindKey: string;
  fields: KindField[];
  version: {
    issuedOn: string | null;
    validFrom: string | null;
    expiresOn: string | null;
    fields: Record<string, string | number>;
  };
}) {
  return (
    <dl className="custody-definitions">
      <dt>Issued</dt>
      <dd>{version.issuedOn ?? "—"}</dd>
      <dt>Valid</dt>
      <dd>
        {version.validFrom ?? "—"} to {version.expiresOn ?? "no expiry"}
      </dd>
      {fields.map((f) => (
        <div key={f.name}>
          <dt>{f.label}</dt>
          <dd>{displayValue(kindKey, f.name, version.fields[f.name])}</dd>
        </div>
      ))}
    </dl>
  );
}

const SERIES: { key: ShownStatus; colour: string }[] = [
  { key: "accepted", colour: "#00a91c" },
  { key: "submitted", colour: "#ffbe2e" },
  { key: "under-review", colour: "#e5a000" },
  { key: "requested", colour: "#a9aeb1" },
  { key: "overdue", colour: "#b50909" },
  { key: "rejected", colour: "#d54309" },
  { key: "expired", colour: "#6f3331" },
];

/** Evidence status by vendor as stacked SVG bars, with the figures in text. */
export function StatusByVendorChart({
  rows,
}: {
  rows: { vendorId: string; vendorName: string; counts: Partial<Record<ShownStatus, number>>; total: number }[];
}) {
  if (rows.length === 0) return <p>No evidence yet.</p>;
  return (
    <>
      <ul className="custody-coverage__legend" aria-label="Colors of the evidence bars">
        {SERIES.map((s) => (
          <li key={s.key}>
            <svg className="custody-coverage__swatch" viewBox="0 0 1 1" aria-hidden="true">
              <rect width={1} height={1} fill={s.colour} />
            </svg>{" "}
            {EVIDENCE_STATUS_LABELS[s.key]}
          </li>
        ))}
      </ul>
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Evidence status by vendor</caption>
        <thead>
          <tr>
            <th scope="col">Vendor</th>
            <th scope="col">Evidence</th>
            <th scope="col">Figures</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const text = SERIES.filter((s) => r.counts[s.key])
              .map((s) => `${r.counts[s.key]} ${EVIDENCE_STATUS_LABELS[s.key].toLowerCase()}`)
              .join(", ");
            let x = 0;
            return (
              <tr key={r.vendorId}>
                <th scope="row" data-label="Vendor">
                  <Link to={evidencePaths.register({ vendorId: r.vendorId })}>{r.vendorName}</Link>
                </th>
                <td data-label="Evidence">
                  <svg
                    className="custody-coverage__bar"
                    viewBox="0 0 100 4"
                    preserveAspectRatio="none"
                    role="img"
                    aria-label={`${r.vendorName}: ${text}`}
                  >
                    {SERIES.map((s) => {
                      const n = r.counts[s.key] ?? 0;
                      if (n === 0) return null;
                      const width = (n * 100) / r.total;
                      const rect = <rect key={s.key} x={x} y={0} width={width} height={4} fill={s.colour} />;
                      x += width;
                      return rect;
                    })}
                  </svg>
                </td>
                <td data-label="Figures">{text}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

/** Accepted evidence expiring in this month and each of the next twelve, as SVG columns with the figures in text. */
export function ExpiriesChart({ months }: { months: { month: string; count: number }[] }) {
  const max = Math.max(1, ...months.map((m) => m.count));
  const total = months.reduce((n, m) => n + m.count, 0);
  return (
    <figure className="margin-x-0">
      <svg
        className="custody-expiries"
        viewBox="0 0 260 60"
        role="img"
        aria-label={`Accepted evidence expiring from this month to the same month next year: ${total} in all`}
      >
        {months.map((m, i) => {
          const h = (m.count * 50) / max;
          return (
            <g key={m.month}>
              <rect x={i * 20 + 3} y={52 - h} width={14} height={h} fill="#005ea2" />
              <text x={i * 20 + 10} y={59} fontSize={5} textAnchor="middle" fill="#1b1b1b">
                {m.month.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="custody-muted">
        {months
          .filter((m) => m.count > 0)
          .map((m) => `${m.month}: ${m.count}`)
          .join(" · ") || "Nothing expires from this month to the same month next year."}
      </figcaption>
    </figure>
  );
}
