/** Words the gap report page and its CSV share (no server code: the page renders them too). */

/** What the gap report and its CSV say where no sample provision covers a gap. */
export const NO_PROVISION_TEXT =
  "No IACP sample provision covers it: the Agency's own clause is needed. Draft it with counsel and add it as an additional term when generating the CJIS addendum.";

type Assessment = { total: number; assessed: number; perFramework: { name: string; total: number; assessed: number }[] };

/** One line on how much of a contract was assessed, per framework. */
export function assessmentLine(a: Assessment) {
  const each = a.perFramework.map((f) => `${f.name}: ${f.assessed} of ${f.total}`).join("; ");
  return `${a.assessed} of ${a.total} requirements assessed (${each}).`;
}
