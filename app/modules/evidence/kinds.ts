import { z } from "zod";
import type { EvidenceKindKey } from "../../../db/catalog/evidence-kinds.ts";
import { blank, day, money, percent, whole } from "../form-fields.ts";
import { formatCents, formatNumber, formatPercent } from "../format.ts";

/**
 * The fields each kind of evidence carries beyond its dates, declared once:
 * the form draws its inputs from these declarations and the module validates
 * with the zod schema built from the same ones. Also the flags a reviewer
 * needs raised (an amount below the contract's minimum, a FIPS 140-2
 * certificate after its sunset …), computed from the fields and the terms.
 */

type Base = { name: string; label: string; hint?: string; optional?: boolean };
export type KindField =
  | (Base & { type: "text" })
  | (Base & { type: "money" })
  | (Base & { type: "date" })
  | (Base & { type: "whole"; min: number; max: number })
  | (Base & { type: "percent" })
  | (Base & { type: "choice"; options: Record<string, string> });

export const AUDIT_FRAMEWORKS = {
  "soc2-type-1": "SOC 2 Type I",
  "soc2-type-2": "SOC 2 Type II",
  fedramp: "FedRAMP",
  stateramp: "StateRAMP",
  "cjis-audit": "CJIS audit",
  "iso-27001": "ISO/IEC 27001",
} as const;
export const OPINIONS = { unqualified: "Unqualified (clean)", qualified: "Qualified", adverse: "Adverse" } as const;
export const FIPS_STANDARDS = { "140-3": "FIPS 140-3", "140-2": "FIPS 140-2" } as const;
export const CRITICALITIES = {
  critical: "Critical (e.g. CAD)",
  essential: "Essential",
  standard: "Standard",
  archive: "Archive",
} as const;
const KEY_HOLDERS = { agency: "The agency alone", provider: "The provider", shared: "Shared (split knowledge)" } as const;
const YES_NO = { no: "No", yes: "Yes" } as const;
const SANITISATION = {
  clear: "Clear (overwrite)",
  purge: "Purge (cryptographic erase or degauss)",
  destroy: "Destroy (shred, disintegrate)",
} as const;

const auditFields: KindField[] = [
  { name: "auditor", label: "Auditor or assessor", type: "text" },
  { name: "framework", label: "Framework", type: "choice", options: AUDIT_FRAMEWORKS },
  { name: "periodStart", label: "Period covered: from", type: "date" },
  { name: "periodEnd", label: "Period covered: to", type: "date" },
  { name: "opinion", label: "Opinion", type: "choice", options: OPINIONS },
  { name: "exceptions", label: "Number of exceptions noted", type: "whole", min: 0, max: 10_000 },
];

export const KIND_FIELDS: { readonly [K in EvidenceKindKey]?: KindField[] } = {
  "cyber-insurance-certificate": [
    { name: "carrier", label: "Insurance carrier", type: "text" },
    { name: "policyNumber", label: "Policy number", type: "text" },
    {
      name: "coverage",
      label: "Coverage",
      type: "text",
      hint: "What the policy covers, e.g. cyber liability, first and third party.",
    },
    { name: "perClaimCents", label: "Per-claim limit", type: "money", hint: "In dollars, like 5,000,000." },
    { name: "aggregateCents", label: "Aggregate limit", type: "money", hint: "In dollars." },
  ],
  "third-party-audit-report": auditFields,
  "independent-assessment": auditFields,
  "fips-validation-certificate": [
    { name: "module", label: "Cryptographic module", type: "text" },
    { name: "certificateNumber", label: "Certificate number", type: "text", hint: "The CMVP certificate number, e.g. 4282." },
    { name: "standard", label: "Validated against", type: "choice", options: FIPS_STANDARDS },
  ],
  "personnel-roster": [
    { name: "asOf", label: "Roster as of", type: "date" },
    { name: "personnelCount", label: "People with access to unencrypted CJI", type: "whole", min: 0, max: 100_000 },
  ],
  "fingerprint-check-attestation": [
    { name: "personnel", label: "People covered", type: "text", hint: "Names, or the roster the attestation refers to." },
    { name: "checkingAgency", label: "Agency that ran the checks", type: "text" },
    { name: "checkedOn", label: "Checks completed on", type: "date" },
  ],
  "training-record": [
    { name: "personnel", label: "People covered", type: "text" },
    { name: "course", label: "Course", type: "text" },
    { name: "completedOn", label: "Completed on", type: "date" },
  ],
  "key-custody-attestation": [
    { name: "keyHolder", label: "Who holds the keys", type: "choice", options: KEY_HOLDERS },
    { name: "providerStaffAccess", label: "Can provider staff reach the keys?", type: "choice", options: YES_NO },
    { name: "keyManagement", label: "Key management", type: "text", hint: "The service or device, e.g. a FIPS 140-3 HSM." },
  ],
  "availability-report": [
    { name: "periodStart", label: "Period from", type: "date" },
    { name: "periodEnd", label: "Period to", type: "date" },
    { name: "criticality", label: "Service criticality", type: "choice", options: CRITICALITIES },
    { name: "measured", label: "Measured availability", type: "percent", hint: "As a percentage, like 99.95." },
    { name: "incidents", label: "Service incidents in the period", type: "whole", min: 0, max: 100_000 },
  ],
  "deletion-certificate": [
    { name: "dataOrMedia", label: "Data or media concerned", type: "text" },
    { name: "method", label: "Method", type: "choice", options: SANITISATION },
    { name: "completedOn", label: "Completed on", type: "date" },
  ],
  "vulnerability-scan-summary": [
    { name: "scannedOn", label: "Scan or test date", type: "date" },
    { name: "scope", label: "Scope", type: "text" },
    { name: "openCritical", label: "Open critical findings", type: "whole", min: 0, max: 100_000 },
    { name: "openHigh", label: "Open high findings", type: "whole", min: 0, max: 100_000 },
    { name: "openMedium", label: "Open medium findings", type: "whole", min: 0, max: 100_000 },
    { name: "openLow", label: "Open low findings", type: "whole", min: 0, max: 100_000 },
  ],
};

/** The fields of a kind, by its key as stored (a kind without fields of its own has none). */
export const fieldsOf = (kindKey: string): KindField[] => (KIND_FIELDS as Record<string, KindField[] | undefined>)[kindKey] ?? [];

const text = (label: string) =>
  z.preprocess(
    blank,
    z
      .string({ message: `Enter the ${label.toLowerCase()}.` })
      .max(500, { message: `Keep the ${label.toLowerCase()} under 500 characters.` }),
  );

function fieldSchema(f: KindField): z.ZodType {
  const label = f.label.toLowerCase();
  const schema: z.ZodType = (() => {
    switch (f.type) {
      case "text":
        return text(f.label);
      case "money":
        return money(label);
      case "date":
        return day(label);
      case "whole":
        return whole(label, f.min, f.max);
      case "percent":
        return percent(label);
      case "choice":
        return z.preprocess(blank, z.enum(Object.keys(f.options) as [string, ...string[]], { message: `Choose the ${label}.` }));
    }
  })();
  if (f.optional) return schema.optional();
  // The helpers above accept an empty field; a required one must be filled.
  return schema.refine((v: unknown) => v !== undefined && v !== null, {
    message: f.type === "choice" ? `Choose the ${label}.` : `Enter the ${label}.`,
  });
}

export type KindValues = Record<string, string | number>;

/** The zod schema of a kind's fields, with the rules between them. */
export function kindSchema(kindKey: string) {
  const fields = fieldsOf(kindKey) ?? [];
  return z
    .object(Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])))
    .superRefine((v: Record<string, unknown>, issue) => {
      if (typeof v.periodStart === "string" && typeof v.periodEnd === "string" && v.periodEnd < v.periodStart) {
        issue.addIssue({ code: "custom", path: ["periodEnd"], message: "The period must end on or after the day it starts." });
      }
      if (typeof v.perClaimCents === "number" && typeof v.aggregateCents === "number" && v.aggregateCents < v.perClaimCents) {
        issue.addIssue({
          code: "custom",
          path: ["aggregateCents"],
          message: "The aggregate limit cannot be lower than the per-claim limit.",
        });
      }
    });
}

/** The dates every version carries, and the attestation a vendor signs. */
export const VersionDates = z
  .object({
    issuedOn: day("issue date"),
    validFrom: day("start of validity"),
    expiresOn: day("expiry date"),
  })
  .superRefine((v, issue) => {
    if (v.validFrom && v.expiresOn && v.expiresOn < v.validFrom)
      issue.addIssue({ code: "custom", path: ["expiresOn"], message: "It cannot expire before it becomes valid." });
    if (v.issuedOn && v.expiresOn && v.expiresOn < v.issuedOn)
      issue.addIssue({ code: "custom", path: ["expiresOn"], message: "It cannot expire before it was issued." });
  });

export const ATTESTATION_STATEMENT =
  "I attest that the files and information submitted here are true, complete and unaltered copies of what they represent, and that I am authorized to submit them on behalf of the vendor.";

export const Attestation = z.object({
  attestationName: z.preprocess(
    blank,
    z
      .string({ message: "Type your full name to sign the attestation." })
      .min(2, { message: "Type your full name to sign the attestation." })
      .max(200),
  ),
  attestationTitle: z.preprocess(
    blank,
    z.string({ message: "Type your job title." }).min(2, { message: "Type your job title." }).max(200),
  ),
  attest: z.literal("yes", { message: "Tick the box to make the attestation; nothing is submitted without it." }),
});

/** The money amounts of a kind are shown as dollars. */
export const isMoneyField = (kindKey: string, name: string) =>
  fieldsOf(kindKey).some((f) => f.name === name && f.type === "money");

/** A stored field value as its form field takes it again (money in dollars, as typed), to start a new version from the last. */
export function formValue(kindKey: string, name: string, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (isMoneyField(kindKey, name)) {
    const cents = Number(value);
    return Number.isFinite(cents) ? (cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2)) : "";
  }
  return String(value);
}

/** How a stored field value reads on a page. */
export function displayValue(kindKey: string, name: string, value: unknown): string {
  const field = fieldsOf(kindKey).find((f) => f.name === name);
  if (value === undefined || value === null || value === "") return "—";
  if (!field) return String(value);
  if (field.type === "money") return formatCents(Number(value));
  if (field.type === "percent") return formatPercent(Number(value));
  if (field.type === "choice") return field.options[String(value)] ?? String(value);
  if (field.type === "whole") return formatNumber(Number(value));
  return String(value);
}

/** The figures a version is checked against: the strictest of the contracts it supports. */
export type FlagContext = {
  asOf: string;
  minInsuranceCents: number | null;
  availability: Partial<Record<keyof typeof CRITICALITIES, number>>;
};

/** FIPS 140-2 certificates are not accepted after this day (CJIS Security Policy v6.0 SC-13). */
export const FIPS_140_2_SUNSET = "2026-09-21";

export const FLAG_LABELS: Record<string, string> = {
  "below-insurance-minimum": "Insurance below the contract's minimum (IACP principle 10)",
  "fips-140-2-after-sunset": "FIPS 140-2 certificate, not accepted after 2026-09-21 (CJIS v6.0 SC-13)",
  "qualified-opinion": "Qualified audit opinion",
  "adverse-opinion": "Adverse audit opinion",
  "audit-exceptions": "Exceptions noted by the auditor",
  "provider-key-access": "Provider staff can reach the keys (CJIS v6.0 SC-12, Appendix G.3)",
  "below-availability-target": "Availability below the contract's target (IACP principle 11)",
  "open-critical-findings": "Open critical findings (CJIS v6.0 SI-2: fix within 15 days)",
};

export function flagsOf(kindKey: string, values: KindValues, context: FlagContext): string[] {
  const flags: string[] = [];
  const min = context.minInsuranceCents;
  if (
    kindKey === "cyber-insurance-certificate" &&
    min !== null &&
    (Number(values.perClaimCents) < min || Number(values.aggregateCents) < min)
  )
    flags.push("below-insurance-minimum");
  if (kindKey === "fips-validation-certificate" && values.standard === "140-2" && context.asOf > FIPS_140_2_SUNSET)
    flags.push("fips-140-2-after-sunset");
  if (values.opinion === "qualified") flags.push("qualified-opinion");
  if (values.opinion === "adverse") flags.push("adverse-opinion");
  if (Number(values.exceptions) > 0) flags.push("audit-exceptions");
  if (kindKey === "key-custody-attestation" && (values.providerStaffAccess === "yes" || values.keyHolder === "provider"))
    flags.push("provider-key-access");
  if (kindKey === "availability-report") {
    const target = context.availability[values.criticality as keyof typeof CRITICALITIES];
    if (target !== undefined && Number(values.measured) < target) flags.push("below-availability-target");
  }
  if (kindKey === "vulnerability-scan-summary" && Number(values.openCritical) > 0) flags.push("open-critical-findings");
  return flags;
}
