import type { ReactNode } from "react";
import { COVERAGE_LABELS, COVERAGE_ORDER, type CoverageKey } from "~/modules/contracts/contract-form.ts";

/** Coverage as a stacked bar a CJIS officer reads at a glance, with the figures in text beside it. */

export const COVERAGE_COLOURS: Record<CoverageKey, string> = {
  addressed: "#00a91c",
  partial: "#ffbe2e",
  missing: "#d54309",
  "not-applicable": "#a9aeb1",
  unassessed: "#dfe1e2",
};

export type CoverageCounts = Record<CoverageKey, number> & { total: number };

export function coverageText(c: CoverageCounts) {
  return COVERAGE_ORDER.filter((k) => c[k] > 0)
    .map((k) => `${c[k]} ${COVERAGE_LABELS[k].toLowerCase()}`)
    .join(", ");
}

/** An SVG bar (the CSP allows no inline styles): each status a rectangle as wide as its share. */
export function CoverageBar({ counts, label }: { counts: CoverageCounts; label: string }) {
  const total = Math.max(counts.total, 1);
  let x = 0;
  return (
    <svg
      className="custody-coverage__bar"
      viewBox="0 0 100 4"
      preserveAspectRatio="none"
      role="img"
      aria-label={`${label}: ${coverageText(counts) || "no requirements"}`}
    >
      {COVERAGE_ORDER.map((k) => {
        if (counts[k] === 0) return null;
        const width = (counts[k] * 100) / total;
        const rect = <rect key={k} x={x} y={0} width={width} height={4} fill={COVERAGE_COLOURS[k]} />;
        x += width;
        return rect;
      })}
    </svg>
  );
}

export function CoverageLegend() {
  return (
    <ul className="custody-coverage__legend" aria-label="Colors of the coverage bars">
      {COVERAGE_ORDER.map((k) => (
        <li key={k}>
          <svg className="custody-coverage__swatch" viewBox="0 0 1 1" aria-hidden="true">
            <rect width={1} height={1} fill={COVERAGE_COLOURS[k]} />
          </svg>{" "}
          {COVERAGE_LABELS[k]}
        </li>
      ))}
    </ul>
  );
}

const TAG: Record<CoverageKey, string> = {
  addressed: "custody-tag custody-tag--addressed",
  partial: "custody-tag custody-tag--partial",
  missing: "custody-tag custody-tag--missing",
  "not-applicable": "custody-tag custody-tag--na",
  unassessed: "custody-tag custody-tag--unassessed",
};

export function CoverageTag({ status }: { status: CoverageKey }) {
  return <span className={TAG[status]}>{COVERAGE_LABELS[status]}</span>;
}

/** A table of things (frameworks, principles, contracts), each with its coverage bar and figures. */
export function CoverageTable({
  caption,
  heading,
  rows,
}: {
  caption: string;
  heading: string;
  rows: { key: string; label: string; title: ReactNode; counts: CoverageCounts; note?: ReactNode }[];
}) {
  return (
    <table className="usa-table usa-table--borderless usa-table--stacked width-full">
      <caption className="usa-sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col">Coverage</th>
          <th scope="col">Figures</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row" data-label={heading}>
              {r.title}
            </th>
            <td data-label="Coverage">
              <CoverageBar counts={r.counts} label={r.label} />
            </td>
            <td data-label="Figures">
              {r.note ? <>{r.note} · </> : null}
              {coverageText(r.counts) || "Nothing mapped"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
