import { and, eq, inArray } from "drizzle-orm";
import { vendors } from "../../../../db/schema/vendors.ts";
import { getContract, listContracts } from "../../contracts/contracts.server.ts";
import { NO_ORGANISATION, type ModuleContext } from "../../context.server.ts";
import { profileOf } from "../../vendors/vendors.server.ts";
import { countryName, DATA_CATEGORIES } from "../../vendors/vocabulary.ts";
import type { TableBlock } from "../model.ts";
import type { Subject, TemplateSource } from "./types.ts";
import { formatCount, formatPercent } from "../../format.ts";

/**
 * The agreements (CJIS addendum, service-level schedule) start from the
 * contract record: parties, dates, the terms every deadline is computed from,
 * and the agency's vendor profile (data categories, storage, key custody).
 */

const percent = (v: string | null, fallback: number) => (v === null ? fallback : Number(v));
const categoryLabel = (c: string) => (DATA_CATEGORIES as Record<string, string>)[c] ?? c;

export async function contractBasics(ctx: ModuleContext, contractId: string) {
  const view = await getContract(ctx, contractId);
  const c = view.contract;
  const t = view.terms;
  const subject: Subject = {
    type: "contract",
    id: c.id,
    label: `${c.title} (${view.vendorName})`,
    contractId: c.id,
    vendorId: c.vendorId,
  };
  return {
    view,
    subject,
    values: {
      agencyName: view.agencyName,
      providerName: view.vendorName,
      contractTitle: c.reference ? `${c.title} (${c.reference})` : c.title,
      effectiveDate: c.effectiveOn ?? undefined,
      availabilityCritical: percent(t.availabilityCritical, 99.99),
      availabilityEssential: percent(t.availabilityEssential, 99.9),
      availabilityStandard: percent(t.availabilityStandard, 99.5),
      availabilityArchive: percent(t.availabilityArchive, 99),
    },
  };
}

export const addendumSource: TemplateSource = {
  async prefill(ctx, contractId) {
    const { view, subject, values } = await contractBasics(ctx, contractId);
    const t = view.terms;
    const profile = await profileOf(ctx, view.contract.vendorId, view.contract.agencyId);
    const published = view.cjisCited?.published ?? "";
    // An addendum takes effect when it is signed, not when the master agreement began: the form starts from
    // the day it is generated, and the person may change it (an earlier generation's choice wins).
    const { effectiveDate: _masterStart, ...recordValues } = values;
    return {
      subject,
      values: {
        ...recordValues,
        cjisPolicyVersion: view.cjisCited?.version ?? "6.0",
        cjisPolicyDate: /^\d{4}-\d{2}-\d{2}$/.test(published) ? published : undefined,
        breachNoticeHours: t.breachNoticeHours,
        legalProcessNoticeHours: t.legalProcessNoticeHours,
        auditIntervalMonths: t.auditIntervalMonths,
        insuranceMinimum: t.minCyberInsuranceCents === null ? undefined : Math.round(t.minCyberInsuranceCents / 100),
        dataCategories: (profile?.dataCategories ?? []).map(categoryLabel),
        storageLocations: (profile?.locations ?? []).map(
          (l) => `${countryName(l.country)}${l.region ? ` — ${l.region}` : ""} (${categoryLabel(l.dataCategory)})`,
        ),
        keyCustody: profile?.keyCustody === "agency" ? "agency" : "provider",
        personnelRoster: t.personnelRosterRequired,
        locationChangeNoticeDays: t.locationChangeNoticeDays,
        businessChangeNoticeDays: t.businessChangeNoticeDays,
      },
      suggested: {
        effectiveDate: ctx.today,
        providerStaffAccess: true,
        personnelChangeHours: 24,
        exportFormats: "CSV, JSON and XML for records and metadata, and the original formats of media files",
        deletionDays: 30,
      },
    };
  },
};

/** The targets table of the service-level schedule, from the values on the form. */
function targetsTable(v: Record<string, unknown>): TableBlock {
  const count = (n: unknown, unit: string) => formatCount(Number(n), unit);
  const row = (tier: string, examples: string, key: string, respond: string, restore: string) => [
    tier,
    examples,
    formatPercent(Number(v[key])),
    count(v[respond], "minute"),
    count(v[restore], "hour"),
  ];
  return {
    t: "table",
    caption: "Table 1. Service-level targets by criticality",
    columns: ["Criticality", "Examples", "Monthly availability", "Response to an incident", "Service restored within"],
    rows: [
      row(
        "Critical",
        "Computer-aided dispatch, mobile data to patrol",
        "availabilityCritical",
        "responseCriticalMinutes",
        "restoreCriticalHours",
      ),
      row(
        "Essential",
        "Records management, evidence intake",
        "availabilityEssential",
        "responseEssentialMinutes",
        "restoreEssentialHours",
      ),
      row(
        "Standard",
        "E-mail, office tools, reporting",
        "availabilityStandard",
        "responseStandardMinutes",
        "restoreStandardHours",
      ),
      row("Archive", "Retained video and closed records", "availabilityArchive", "responseArchiveMinutes", "restoreArchiveHours"),
    ],
    empty: "",
  };
}

export const slaSource: TemplateSource = {
  async prefill(ctx, contractId) {
    const { subject, values } = await contractBasics(ctx, contractId);
    return {
      subject,
      values,
      suggested: {
        responseCriticalMinutes: 15,
        responseEssentialMinutes: 60,
        responseStandardMinutes: 240,
        responseArchiveMinutes: 480,
        restoreCriticalHours: 1,
        restoreEssentialHours: 4,
        restoreStandardHours: 24,
        restoreArchiveHours: 72,
        maintenanceWindow: "Sundays from 02:00 to 05:00 in the Agency's local time",
        maintenanceNoticeDays: 7,
        reportDay: 10,
        creditPercent: 5,
        chronicFailureMonths: 3,
      },
    };
  },
  async data(_ctx, _subject, values) {
    return { targets: targetsTable(values) };
  },
};

/**
 * The management control agreement: for a contract whose provider is a government body, which gives the agency
 * management control in place of the Security Addendum (CJIS Security Policy 5.1.1.4). Offered for those contracts only.
 */
export const managementControlSource: TemplateSource = {
  subjectsFor: "a contract whose provider is recorded as a government body (say so in the vendor record)",
  async subjects(ctx) {
    const rows = await listContracts(ctx, {}, { audit: false });
    const government = new Set(
      (
        await ctx.db
          .select({ id: vendors.id })
          .from(vendors)
          .where(
            and(
              eq(vendors.governmentBody, true),
              inArray(vendors.id, [...new Set(rows.map((r) => r.vendorId)), NO_ORGANISATION]),
            ),
          )
      ).map((v) => v.id),
    );
    return rows.filter((c) => government.has(c.vendorId)).map((c) => ({ value: c.id, label: `${c.title} — ${c.vendorName}` }));
  },
  async prefill(ctx, contractId, env) {
    const addendum = await addendumSource.prefill(ctx, contractId, env);
    const v = addendum.values as Record<string, unknown>;
    return {
      subject: addendum.subject,
      values: {
        agencyName: v.agencyName,
        providerName: v.providerName,
        contractTitle: v.contractTitle,
        cjisPolicyVersion: v.cjisPolicyVersion,
        cjisPolicyDate: v.cjisPolicyDate,
        breachNoticeHours: v.breachNoticeHours,
        auditIntervalMonths: v.auditIntervalMonths,
        keyCustody: v.keyCustody,
      },
      suggested: { effectiveDate: ctx.today, personnelChangeHours: 24 },
    };
  },
};
