import type { ClauseChange } from "~/modules/documents/model.ts";

/** What changed between two generations, clause by clause, with the words added and removed. */

const STATUS_LABELS: Record<ClauseChange["status"], string> = {
  added: "Added",
  removed: "Removed",
  changed: "Changed",
  renumbered: "Renumbered",
  unchanged: "Unchanged",
};

type Diff = { summary: Record<ClauseChange["status"], number>; changes: ClauseChange[] };

export function ClauseDiff({ diff }: { diff: Diff }) {
  const shown = diff.changes.filter((c) => c.status !== "unchanged");
  const s = diff.summary;
  return (
    <>
      <p>
        {s.changed} changed, {s.added} added, {s.removed} removed, {s.renumbered} renumbered, {s.unchanged} unchanged.
      </p>
      {shown.length === 0 ? <p>No clause changed.</p> : null}
      {shown.map((c) => (
        <section
          key={c.id}
          className="border-1px border-base-lighter padding-2 margin-bottom-2"
          aria-label={`${STATUS_LABELS[c.status]}: ${(c.after ?? c.before)!.title}`}
        >
          <h3 className="margin-top-0 font-sans-sm">
            <span className="usa-tag margin-right-1">{STATUS_LABELS[c.status]}</span>
            {c.before && c.after && c.before.number !== c.after.number
              ? `${c.before.number} → ${c.after.number}`
              : (c.after ?? c.before)!.number}{" "}
            {(c.after ?? c.before)!.title}
          </h3>
          {c.before && c.after && c.before.wording !== c.after.wording ? (
            <p className="custody-muted">
              Wording: {c.before.wording ?? "standard"} → {c.after.wording ?? "standard"}
            </p>
          ) : null}
          {c.words.length > 0 ? (
            <p className="text-pre-wrap">
              {c.words.map((w, i) =>
                w.change === "added" ? (
                  <ins key={i} className="custody-diff-added">
                    <span className="usa-sr-only">[added: </span>
                    {w.text}
                    <span className="usa-sr-only">]</span>
                  </ins>
                ) : w.change === "removed" ? (
                  <del key={i} className="custody-diff-removed">
                    <span className="usa-sr-only">[removed: </span>
                    {w.text}
                    <span className="usa-sr-only">]</span>
                  </del>
                ) : (
                  <span key={i}>{w.text}</span>
                ),
              )}
            </p>
          ) : null}
        </section>
      ))}
    </>
  );
}
