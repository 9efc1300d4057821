import type { getMatrix } from "../../contracts/coverage.server.ts";
import type { TextBlock } from "../assemble.server.ts";
import type { TableBlock } from "../model.ts";

/**
 * What every document that summarises a contract's coverage says first: how much of it was
 * assessed. A requirement nobody has assessed is not met and not missing — it is unknown — so a
 * document may say "no gaps" only when every requirement has been assessed, and otherwise names
 * how many were not, per framework, before anything else (Developers' guide: truth before polish).
 */

type Matrix = Awaited<ReturnType<typeof getMatrix>>;

export type Completeness = {
  total: number;
  assessed: number;
  unassessed: number;
  perFramework: { name: string; assessed: number; total: number }[];
};

export function completenessOf(matrix: Pick<Matrix, "sections">): Completeness {
  const perFramework = matrix.sections.map((s) => {
    const total = s.rows.length;
    return { name: `${s.framework.shortTitle} ${s.framework.version}`, assessed: total - s.counts.unassessed, total };
  });
  const total = perFramework.reduce((n, f) => n + f.total, 0);
  const assessed = perFramework.reduce((n, f) => n + f.assessed, 0);
  return { total, assessed, unassessed: total - assessed, perFramework };
}

const perFrameworkText = (c: Completeness) => c.perFramework.map((f) => `${f.name}: ${f.assessed} of ${f.total}`).join("; ");

/** The sentence that states completeness, for the opening paragraph of a memo or report. */
export function completenessSentence(c: Completeness, document: "memo" | "report"): string {
  if (c.total === 0)
    return `The contract is not yet measured against any framework, so this ${document} cannot say whether it meets any requirement.`;
  if (c.assessed === 0)
    return `No requirement of this contract has been assessed yet (0 of ${c.total}; ${perFrameworkText(c)}), so this ${document} cannot say whether the contract meets any of them: it lists no gap because none has been looked for, not because none exists.`;
  if (c.unassessed > 0)
    return `The assessment is not complete: ${c.assessed} of the ${c.total} requirements the contract is measured against have been assessed (${perFrameworkText(c)}), and the ${c.unassessed} not yet assessed are listed in this ${document} and may hold further gaps.`;
  return `Every one of the ${c.total} requirements the contract is measured against has been assessed (${perFrameworkText(c)}).`;
}

/** The requirements not yet assessed, per framework, for the list a document carries. */
export function unassessedTable(matrix: Pick<Matrix, "sections">): TableBlock {
  return {
    t: "table",
    caption: "Requirements not yet assessed",
    columns: ["Framework", "Requirement", "Title"],
    rows: matrix.sections.flatMap((s) =>
      s.rows
        .filter((r) => r.status === "unassessed")
        .map((r) => [`${s.framework.shortTitle} ${s.framework.version}`, r.label, r.title]),
    ),
    empty: "Every requirement has been assessed.",
  };
}

/** The contract's own conflicts (its terms or the vendor record against a requirement), with the wording that would resolve each. */
export function conflictsTable(conflicts: Matrix["conflicts"]): TableBlock {
  return {
    t: "table",
    caption: "Conflicts in the contract's own terms",
    columns: ["What conflicts", "Requirement it breaks", "Wording that would resolve it"],
    rows: conflicts.map((c) => [c.message, c.cites, c.wording]),
    empty: "The contract's terms and the vendor record show no conflict with a requirement.",
  };
}

/**
 * How the CJIS requirements are cited and what is not known of them: the control identifiers are
 * certain, the section numbers of policy areas 5.11–5.19 are our reading, and the policy's audit
 * priority is stated only where the catalog records it (docs/decisions/0005).
 */
export function cjisCitationNote(matrix: Pick<Matrix, "sections">): string {
  const cjis = matrix.sections.filter((s) => s.framework.key === "cjis-policy");
  if (cjis.length === 0) return "";
  const rows = cjis.flatMap((s) => s.rows);
  const recorded = rows.filter((r) => r.priority !== null).length;
  const priority =
    recorded === 0
      ? `The policy marks each requirement with an audit priority: Priority 1 and existing requirements are auditable since October 1, 2024, Priorities 2 to 4 after September 30, 2027. The priority of none of the ${rows.length} CJIS requirements is recorded in Custody's catalog, so this document does not say which of them an auditor may cite today.`
      : `The policy marks each requirement with an audit priority (Priority 1 and existing requirements auditable since October 1, 2024, Priorities 2 to 4 after September 30, 2027); it is recorded for ${recorded} of the ${rows.length} CJIS requirements and not recorded for the rest.`;
  return `CJIS requirements are cited by their control identifiers (such as IR-6 and AC-7), which are certain; the section numbers of policy areas 5.11 to 5.19 are Custody's reading of the policy and have not been checked against its text. ${priority}`;
}

export const paragraphs = (...texts: string[]): TextBlock => ({ t: "paras", paragraphs: texts.filter(Boolean) });
