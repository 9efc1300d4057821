/** The reports an auditor asks for, by address and title (shared by the pages and the server). */
export const REPORTS = ["access-list", "outside-access", "accounts", "deprovisioning", "access-reviews", "permissions"] as const;
export type ReportName = (typeof REPORTS)[number];

export const REPORT_TITLES: Record<ReportName, string> = {
  "access-list": "Access list",
  "outside-access": "Access from outside the agency",
  accounts: "Stale and expiring accounts",
  deprovisioning: "Deprovisioning records",
  "access-reviews": "Access reviews",
  permissions: "Permission configuration",
};
