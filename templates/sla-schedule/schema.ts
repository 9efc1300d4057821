import { z } from "zod";
import { field, type TemplateModule } from "../fields.ts";

const minutes = (label: string) => field.whole(label, 1, 10_080);
const hours = (label: string) => field.whole(label, 1, 720);

export const variables = z.object({
  agencyName: field.text("Agency (legal name)"),
  providerName: field.text("Provider (legal name)"),
  contractTitle: field.text("Agreement this schedule belongs to"),
  effectiveDate: field.date("Effective date"),
  availabilityCritical: field.percent(
    "Availability of critical services (%)",
    "Computer-aided dispatch and anything an officer waits on in the field.",
  ),
  availabilityEssential: field.percent("Availability of essential services (%)"),
  availabilityStandard: field.percent("Availability of standard services (%)"),
  availabilityArchive: field.percent("Availability of archives (%)"),
  responseCriticalMinutes: minutes("Response to a critical incident (minutes)"),
  responseEssentialMinutes: minutes("Response to an essential incident (minutes)"),
  responseStandardMinutes: minutes("Response to a standard incident (minutes)"),
  responseArchiveMinutes: minutes("Response to an archive incident (minutes)"),
  restoreCriticalHours: hours("Critical service restored within (hours)"),
  restoreEssentialHours: hours("Essential service restored within (hours)"),
  restoreStandardHours: hours("Standard service restored within (hours)"),
  restoreArchiveHours: hours("Archive restored within (hours)"),
  maintenanceWindow: field.text("Planned maintenance window"),
  maintenanceNoticeDays: field.count("Notice of planned maintenance (days)", 1, 60, "day"),
  reportDay: field.whole("Monthly report due on day", 1, 28),
  creditPercent: field.whole("Service credit per missed target (% of the monthly fee)", 1, 100),
  chronicFailureMonths: field.count("Missed months that allow termination", 2, 12, "month"),
});

export default { variables } satisfies TemplateModule;
