import { z } from "zod";
import { blank, day, keys, money, percent, whole } from "../form-fields.ts";
import { KIND_LABELS, STAGE_LABELS } from "./lifecycle.ts";

/** One schema for the contract form and the module that saves it: details, lifecycle dates and terms. */

const uuid = (message: string) =>
  z.preprocess(
    blank,
    z
      .string()
      .regex(/^[0-9a-f-]{36}$/i, { message })
      .optional(),
  );

export const ContractFields = z.object({
  kind: z.enum(keys(KIND_LABELS), { message: "Choose the kind of contract." }),
  parentId: uuid("Choose the contract this one belongs to."),
  vendorId: z.preprocess(
    blank,
    z.string({ message: "Choose the vendor." }).regex(/^[0-9a-f-]{36}$/i, { message: "Choose the vendor." }),
  ),
  title: z.preprocess(
    blank,
    z
      .string({ message: "Enter a title." })
      .min(3, { message: "Enter a title of at least 3 characters." })
      .max(300, { message: "The title is too long (at most 300 characters)." }),
  ),
  reference: z.preprocess(
    blank,
    z.string().max(100, { message: "The contract number is too long (at most 100 characters)." }).optional(),
  ),
  services: z.preprocess(
    blank,
    z.string().max(4000, { message: "The services description is too long (at most 4,000 characters)." }).optional(),
  ),
  valueCents: money("contract value"),
  stage: z.enum(keys(STAGE_LABELS), { message: "Choose the contract's stage." }),
  signedOn: day("signature date"),
  effectiveOn: day("effective date"),
  endsOn: day("end date"),
  autoRenew: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  renewalTermMonths: whole("renewal term in months", 1, 120),
  noticePeriodDays: whole("notice period in days", 0, 730),
  terminatedOn: day("termination date"),
  terminationReason: z.preprocess(
    blank,
    z.string().max(1000, { message: "The termination reason is too long (at most 1,000 characters)." }).optional(),
  ),
  // Terms that drive deadlines.
  breachNoticeHours: whole("breach-notification window in hours", 1, 720).default(1),
  legalProcessNoticeHours: whole("legal-process notice window in hours", 1, 2160).default(72),
  auditIntervalMonths: whole("audit interval in months", 1, 60).default(12),
  minCyberInsuranceCents: money("minimum cyber-liability insurance"),
  availabilityCritical: percent("availability target for critical services"),
  availabilityEssential: percent("availability target for essential services"),
  availabilityStandard: percent("availability target for standard services"),
  availabilityArchive: percent("availability target for archives"),
  locationChangeNoticeDays: whole("data-location change notice in days", 0, 365).default(30),
  businessChangeNoticeDays: whole("business change notice in days", 0, 365).default(30),
  personnelRosterRequired: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  cjisFrameworkId: uuid("Choose the CJIS Security Policy version the contract cites."),
  sharedWith: z
    .array(z.string().regex(/^[0-9a-f-]{36}$/i, { message: "Choose agencies from the list." }))
    .max(100)
    .default([]),
  /** Absent: the default frameworks. Present and empty: refused (a contract is measured against something). */
  frameworkIds: z.array(z.string().regex(/^[0-9a-f-]{36}$/i, { message: "Choose frameworks from the list." })).optional(),
});
export type ContractValues = z.output<typeof ContractFields>;

/**
 * Rules across fields. They run on every field that parsed, even when others did not,
 * so a person sees every problem of the form at once rather than one round at a time.
 */
function crossFieldIssues(c: Partial<ContractValues>): Record<string, string> {
  const issues: Record<string, string> = {};
  const issue = (path: string, message: string) => {
    issues[path] ??= message;
  };
  if ((c.kind === "amendment" || c.kind === "renewal") && !c.parentId)
    issue("parentId", `Choose the contract this ${KIND_LABELS[c.kind].toLowerCase()} belongs to.`);
  if (c.effectiveOn && c.endsOn && c.endsOn < c.effectiveOn) issue("endsOn", "The end date is before the effective date.");
  if (c.signedOn && c.stage !== "signed" && c.stage !== "terminated")
    issue("stage", "A contract with a signature date is signed: choose Signed, or clear the signature date.");
  if (c.stage === "signed" && !c.signedOn) issue("signedOn", "Enter the date the contract was signed.");
  if (c.stage === "signed" && !c.effectiveOn) issue("effectiveOn", "Enter the date the signed contract takes effect.");
  if (c.stage === "terminated" && !c.terminatedOn) issue("terminatedOn", "Enter the termination date.");
  if (c.stage === "terminated" && !c.terminationReason) issue("terminationReason", "Give the reason for termination.");
  if (c.stage !== "terminated" && c.terminatedOn)
    issue("terminatedOn", "Only a terminated contract has a termination date: choose Terminated, or clear the date.");
  if (c.terminatedOn && c.effectiveOn && c.terminatedOn < c.effectiveOn)
    issue("terminatedOn", "The termination date is before the effective date.");
  if (c.autoRenew && !c.renewalTermMonths) issue("renewalTermMonths", "Enter how many months each automatic renewal lasts.");
  if (c.autoRenew && !c.endsOn) issue("endsOn", "An auto-renewing contract needs the end date of its first term.");
  if (c.noticePeriodDays !== undefined && !c.endsOn)
    issue("noticePeriodDays", "A notice period counts back from the end date: enter the end date too.");
  const order = [c.availabilityCritical, c.availabilityEssential, c.availabilityStandard, c.availabilityArchive];
  const given = order.map((v) => (v === undefined ? null : Number(v)));
  for (let i = 0; i < given.length; i++) {
    for (let j = i + 1; j < given.length; j++) {
      if (given[i] !== null && given[j] !== null && given[i]! < given[j]!) {
        const names = ["availabilityCritical", "availabilityEssential", "availabilityStandard", "availabilityArchive"];
        issue(names[i]!, "A more critical service needs a target at least as high as a less critical one (CAD before archives).");
      }
    }
  }
  return issues;
}

/** Parse the contract form: every field on its own, then the rules across fields; all messages at once. */
export function checkContract(raw: Record<string, unknown>): { values: ContractValues } | { errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [key, schema] of Object.entries(ContractFields.shape)) {
    const result = (schema as z.ZodType).safeParse(raw[key]);
    if (result.success) values[key] = result.data;
    else errors[key] = result.error.issues[0]?.message ?? "Check this field.";
  }
  for (const [key, message] of Object.entries(crossFieldIssues(values as Partial<ContractValues>)))
    if (!errors[key]) errors[key] = message;
  return Object.keys(errors).length > 0 ? { errors } : { values: values as ContractValues };
}

export const CONTRACT_TEXT_FIELDS = [
  "kind",
  "parentId",
  "vendorId",
  "title",
  "reference",
  "services",
  "valueCents",
  "stage",
  "signedOn",
  "effectiveOn",
  "endsOn",
  "autoRenew",
  "renewalTermMonths",
  "noticePeriodDays",
  "terminatedOn",
  "terminationReason",
  "breachNoticeHours",
  "legalProcessNoticeHours",
  "auditIntervalMonths",
  "minCyberInsuranceCents",
  "availabilityCritical",
  "availabilityEssential",
  "availabilityStandard",
  "availabilityArchive",
  "locationChangeNoticeDays",
  "businessChangeNoticeDays",
  "personnelRosterRequired",
  "cjisFrameworkId",
] as const;

export function contractFormInput(form: FormData) {
  const input: Record<string, unknown> = {};
  for (const name of CONTRACT_TEXT_FIELDS) input[name] = form.get(name) === null ? undefined : String(form.get(name));
  input.sharedWith = form.getAll("sharedWith").map(String);
  input.frameworkIds = form.getAll("frameworkIds").map(String);
  return input;
}

export const COVERAGE_LABELS = {
  addressed: "Addressed",
  partial: "Partially addressed",
  missing: "Missing",
  "not-applicable": "Not applicable",
  unassessed: "Not yet assessed",
} as const;
export type CoverageKey = keyof typeof COVERAGE_LABELS;
export const COVERAGE_ORDER: CoverageKey[] = ["addressed", "partial", "missing", "not-applicable", "unassessed"];

/** Who carries a requirement under the contract, as a person reads it. */
export const RESPONSIBILITY_LABELS = {
  provider: "The provider",
  agency: "The agency",
  shared: "Both, shared",
} as const;
export const RESPONSIBILITY_ORDER = ["provider", "agency", "shared"] as const;
/** Who carries it, inside a sentence: "Carried by the provider and the agency together." */
export const RESPONSIBILITY_PHRASES = {
  provider: "the provider",
  agency: "the agency",
  shared: "the provider and the agency together",
} as const;
export type Responsibility = keyof typeof RESPONSIBILITY_LABELS;

export const CoverageSchema = z
  .object({
    status: z.enum(["addressed", "partial", "missing", "not-applicable"], { message: "Choose a status." }),
    section: z.preprocess(
      blank,
      z.string().max(300, { message: "The contract section is too long (at most 300 characters)." }).optional(),
    ),
    notes: z.preprocess(
      blank,
      z.string().max(4000, { message: "The notes are too long (at most 4,000 characters)." }).optional(),
    ),
    reason: z.preprocess(
      blank,
      z.string().max(1000, { message: "The reason is too long (at most 1,000 characters)." }).optional(),
    ),
    responsibility: z.preprocess(
      blank,
      z.enum(["provider", "agency", "shared"], { message: "Choose the provider, the agency or both." }).optional(),
    ),
  })
  .superRefine((c, ctx) => {
    if (c.status === "not-applicable" && !c.reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Say why this requirement does not apply to the contract." });
    if ((c.status === "addressed" || c.status === "partial") && !c.section)
      ctx.addIssue({
        code: "custom",
        path: ["section"],
        message: "Name the contract section that addresses it, like §7.2, Schedule B.",
      });
  });
export type CoverageInput = z.input<typeof CoverageSchema>;
