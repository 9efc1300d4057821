import { z } from "zod";
import { field, type TemplateModule } from "../fields.ts";

export const variables = z.object({
  agencyName: field.text("Agency"),
  systemName: field.text("System", "e.g. Body-worn camera video storage."),
  preparedBy: field.text("Prepared by"),
  worksheetDate: field.date("Date"),
  lifeYears: field.count("Life of the system (years)", 1, 15, "year"),
  annualIncreasePercent: field.whole("Yearly increase of recurring costs (%)", 0, 20),
  cloudSetup: field.money("Cloud: one-time set-up and migration (US dollars)"),
  cloudAnnual: field.money("Cloud: yearly subscription (US dollars)"),
  cloudComplianceAnnual: field.money(
    "Cloud: yearly CJIS compliance work (US dollars)",
    "Audits, evidence review, roster upkeep.",
  ),
  onPremCapital: field.money("On-premises: capital cost (US dollars)", "Servers, storage, licenses, facility work."),
  onPremAnnualUpkeep: field.money("On-premises: yearly maintenance and licenses (US dollars)"),
  onPremStaffAnnual: field.money("On-premises: yearly staff time (US dollars)"),
  onPremComplianceAnnual: field.money("On-premises: yearly CJIS compliance work (US dollars)"),
  onPremRefreshYear: field.count("On-premises: hardware refreshed every (years, 0 for never)", 0, 15, "year"),
  onPremRefreshCost: field.money("On-premises: cost of each refresh (US dollars)"),
});

export const predicates = {
  /** The on-premises option includes a hardware refresh during the system's life. */
  hasRefresh: (values: Record<string, unknown>) =>
    Number(values.onPremRefreshYear) > 0 && Number(values.onPremRefreshYear) < Number(values.lifeYears),
};

export default { variables, predicates } satisfies TemplateModule;
