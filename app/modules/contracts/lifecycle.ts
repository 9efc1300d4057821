import { addDays, addMonths, type Day } from "../dates.ts";

/**
 * Contract status from its dates. The stage a person sets is draft, in
 * negotiation, signed or terminated; whether a signed contract is active or
 * expired follows from today's date, its term and auto-renewal, so it is never
 * typed twice. Days are calendar dates (YYYY-MM-DD); "today" is the agency's own (dates.ts).
 */

export type ContractStatus = "draft" | "negotiation" | "signed" | "active" | "expired" | "terminated";

export const STATUS_LABELS: Record<ContractStatus, string> = {
  draft: "Draft",
  negotiation: "In negotiation",
  signed: "Signed, not yet in effect",
  active: "Active",
  expired: "Expired",
  terminated: "Terminated",
};
export const STATUS_ORDER: ContractStatus[] = ["draft", "negotiation", "signed", "active", "expired", "terminated"];

export const KIND_LABELS = {
  "master-agreement": "Master agreement",
  sla: "Service-level agreement",
  addendum: "Addendum",
  amendment: "Amendment",
  renewal: "Renewal",
} as const;
export const STAGE_LABELS = {
  draft: "Draft",
  negotiation: "In negotiation",
  signed: "Signed",
  terminated: "Terminated",
} as const;

export type LifecycleDates = {
  stage: "draft" | "negotiation" | "signed" | "terminated";
  effectiveOn: string | null;
  endsOn: string | null;
  autoRenew: boolean;
  renewalTermMonths: number | null;
  noticePeriodDays: number | null;
  terminatedOn: string | null;
};

export type Lifecycle = {
  status: ContractStatus;
  /** The end of the term in force: the end date, rolled forward by each automatic renewal already passed. */
  currentEnd: string | null;
  /** The last day to give notice of non-renewal (or to renew), from the notice period. */
  renewalNoticeBy: string | null;
  renewals: number;
};

export function lifecycleOf(c: LifecycleDates, today: Day): Lifecycle {
  let currentEnd = c.endsOn;
  let renewals = 0;
  if (currentEnd && c.stage === "signed" && c.autoRenew && c.renewalTermMonths && c.renewalTermMonths > 0) {
    while (currentEnd < today && renewals < 1200) {
      renewals += 1;
      currentEnd = addMonths(c.endsOn!, c.renewalTermMonths * renewals);
    }
  }
  const renewalNoticeBy =
    currentEnd && c.noticePeriodDays !== null && c.stage !== "terminated" ? addDays(currentEnd, -c.noticePeriodDays) : null;
  let status: ContractStatus;
  if (c.stage === "terminated") status = "terminated";
  else if (c.stage !== "signed") status = c.stage;
  else if (!c.effectiveOn || today < c.effectiveOn) status = "signed";
  else if (currentEnd && today > currentEnd) status = "expired";
  else status = "active";
  return { status, currentEnd, renewalNoticeBy: status === "expired" ? null : renewalNoticeBy, renewals };
}
