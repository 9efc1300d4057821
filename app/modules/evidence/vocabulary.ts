/**
 * Evidence status words and the one rule that turns a stored status into what
 * a person sees: accepted evidence past its expiry date reads "expired" (never
 * stored; it follows from the date), and an open request past its due date
 * reads "overdue".
 */
export const EVIDENCE_STATUS_LABELS = {
  requested: "Requested",
  overdue: "Overdue",
  submitted: "Submitted",
  "under-review": "Under review",
  accepted: "Accepted",
  rejected: "Rejected",
  expired: "Expired",
  superseded: "Superseded",
  cancelled: "Cancelled",
} as const;
export type ShownStatus = keyof typeof EVIDENCE_STATUS_LABELS;

/** The statuses a vendor still has to act on. */
export const OPEN_FOR_VENDOR = ["requested", "rejected"] as const;

export function shownStatus(
  item: { status: string; expiresOn: string | null; dueOn: string | null },
  today: string,
): ShownStatus {
  if (item.status === "accepted" && item.expiresOn !== null && item.expiresOn < today) return "expired";
  if ((item.status === "requested" || item.status === "rejected") && item.dueOn !== null && item.dueOn < today) return "overdue";
  return item.status as ShownStatus;
}

/** USWDS tag colour classes per shown status (custody-tag--*). */
export const STATUS_TONE: Record<ShownStatus, "good" | "warn" | "bad" | "neutral"> = {
  requested: "neutral",
  overdue: "bad",
  submitted: "warn",
  "under-review": "warn",
  accepted: "good",
  rejected: "bad",
  expired: "bad",
  superseded: "neutral",
  cancelled: "neutral",
};

/** How the matrix reads a requirement's evidence on a contract. */
export const EVIDENCE_STATE_LABELS = {
  evidenced: "Evidenced",
  pending: "Evidence awaiting review",
  requested: "Evidence requested",
  expired: "Evidence expired",
  rejected: "Evidence rejected",
  none: "No evidence",
} as const;
export type EvidenceState = keyof typeof EVIDENCE_STATE_LABELS;
/** Expired or rejected evidence is a gap even where the contract text addresses the requirement. */
export const EVIDENCE_GAP_STATES: EvidenceState[] = ["expired", "rejected"];

export const RECURRENCE_LABELS = {
  once: "Once",
  kind: "Each renewal period of this kind of evidence",
  "audit-interval": "Each audit interval of the contract",
} as const;

export const evidencePaths = {
  register: (filter: Record<string, string | undefined> = {}) => {
    const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => Boolean(v)) as [string, string][]);
    return `/evidence${params.size > 0 ? `?${params}` : ""}`;
  },
  request: () => "/evidence/request",
  review: () => "/evidence/review",
  item: (id: string) => `/evidence/${id}`,
  custodyCsv: (id: string) => `/evidence/${id}/custody.csv`,
  custodyReceipt: (id: string) => `/evidence/${id}/custody-receipt.json`,
  custodyPdf: (id: string) => `/evidence/${id}/custody.pdf`,
  file: (id: string, fileId: string) => `/evidence/${id}/files/${fileId}`,
  portal: () => "/portal",
  portalItem: (id: string) => `/portal/evidence/${id}`,
  portalFile: (id: string, fileId: string) => `/portal/evidence/${id}/files/${fileId}`,
};

export const ACCEPTED_EVIDENCE_FILES = "PDF, DOCX, XLSX, PNG, JPEG, CSV or plain text";
/** The file input's accept list (a hint to the browser; the server checks the bytes). */
export const EVIDENCE_FILE_ACCEPT = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.csv,.txt";
