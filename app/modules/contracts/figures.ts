import type { CoverageKey } from "./contract-form.ts";

/** Coverage counts and the words for contract files, shared by pages and modules. */

export type Counts = Record<CoverageKey, number> & { total: number };

/** Share addressed among the requirements that apply (not-applicable ones left out), in whole percent. */
export function percentAddressed(c: Counts) {
  const applicable = c.total - c["not-applicable"];
  return applicable === 0 ? null : Math.round((c.addressed * 100) / applicable);
}

export const CONTRACT_FILE_STAGE_LABELS = { draft: "Draft", signed: "Signed version", other: "Other" } as const;
export const ACCEPTED_CONTRACT_FILES = "PDF or Word document (DOCX)";
/** The file chooser's filter for contract files (the server checks the bytes whatever the browser sends). */
export const CONTRACT_FILE_ACCEPT =
  ".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document";
