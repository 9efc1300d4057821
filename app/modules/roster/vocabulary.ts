import { z } from "zod";
import { addDays, addMonths } from "../dates.ts";
import { blank, day } from "../form-fields.ts";

/**
 * The vendor personnel roster's fields, its checks and its flags (client and
 * server share this). CJIS Security Policy v6.0: PS-3 fingerprint-based
 * background check before access; AT-2 security awareness training before
 * access and yearly; SA-9 and Appendix H, the Security Addendum certification
 * each person signs; PS-4, access ended within a day of leaving.
 */

export const ROSTER_FLAG_LABELS = {
  "no-check": "No fingerprint background check (CJIS PS-3)",
  "no-addendum": "Security Addendum certification not signed (CJIS SA-9, Appendix H)",
  "training-due": "Security awareness training missing or older than a year (CJIS AT-2)",
  "departed-access-open": "Left, but access not ended within a day (CJIS PS-4)",
} as const;
export type RosterFlag = keyof typeof ROSTER_FLAG_LABELS;

export const ROSTER_CHANGE_LABELS = {
  pending: "Waiting for approval",
  approved: "Approved",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
} as const;

export const ROSTER_FILE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg";
export const ROSTER_FILE_NAMES = "PDF, PNG or JPEG";

export type RosterRecord = {
  fullName: string;
  jobRole: string;
  unescortedAccess: boolean;
  fingerprintCheckedOn: string | null;
  fingerprintAgency: string | null;
  addendumSignedOn: string | null;
  trainedOn: string | null;
  leftOn: string | null;
  accessEndedOn: string | null;
};

export const ROSTER_FIELD_LABELS: Record<keyof RosterRecord, string> = {
  fullName: "Full name",
  jobRole: "Role",
  unescortedAccess: "Unescorted access",
  fingerprintCheckedOn: "Fingerprint check",
  fingerprintAgency: "Checking agency",
  addendumSignedOn: "Security Addendum signed",
  trainedOn: "Security awareness training",
  leftOn: "Left",
  accessEndedOn: "Access ended",
};

const name = (label: string) =>
  z.preprocess(
    blank,
    z
      .string({ message: `Enter the ${label}.` })
      .min(2, { message: `Enter the ${label}.` })
      .max(200, { message: `Keep the ${label} under 200 characters.` }),
  );

/** One schema for the proposal form and the module; dates cannot be in the future (as of `today`). */
function rosterSchema(today: string) {
  const past = (label: string) =>
    day(label).refine((v) => v === undefined || v <= today, { message: `The ${label} cannot be in the future.` });
  return z
    .object({
      fullName: name("person's full name"),
      jobRole: name("person's role"),
      unescortedAccess: z.enum(["yes", "no"], { message: "Say whether the person has unescorted access." }),
      fingerprintCheckedOn: past("fingerprint check date"),
      fingerprintAgency: z.preprocess(
        blank,
        z.string().max(200, { message: "Keep the checking agency under 200 characters." }).optional(),
      ),
      addendumSignedOn: past("Security Addendum signature date"),
      trainedOn: past("training date"),
      leftOn: past("date the person left"),
      accessEndedOn: past("date access ended"),
    })
    .transform((v): RosterRecord => ({
      fullName: v.fullName,
      jobRole: v.jobRole,
      unescortedAccess: v.unescortedAccess === "yes",
      fingerprintCheckedOn: v.fingerprintCheckedOn ?? null,
      fingerprintAgency: v.fingerprintAgency ?? null,
      addendumSignedOn: v.addendumSignedOn ?? null,
      trainedOn: v.trainedOn ?? null,
      leftOn: v.leftOn ?? null,
      accessEndedOn: v.accessEndedOn ?? null,
    }));
}

/** Parse a proposal; every problem comes back at once, the cross-field ones too. */
export function parseRoster(
  raw: Record<string, string>,
  today: string,
): { ok: true; data: RosterRecord } | { ok: false; errors: Record<string, string> } {
  const result = rosterSchema(today).safeParse(raw);
  const errors: Record<string, string> = {};
  if (!result.success) for (const issue of result.error.issues) errors[String(issue.path[0])] ??= issue.message;
  if (blank(raw.fingerprintCheckedOn) !== undefined && blank(raw.fingerprintAgency) === undefined)
    errors.fingerprintAgency ??= "Name the agency that ran the fingerprint check.";
  return result.success && Object.keys(errors).length === 0 ? { ok: true, data: result.data } : { ok: false, errors };
}

/** The day the person's yearly training falls due (null if never trained: due now). */
export const trainingDueOn = (trainedOn: string | null) => (trainedOn ? addMonths(trainedOn, 12) : null);

/** What is wrong with a roster entry as of a day; someone whose access has ended owes nothing more. */
export function rosterFlags(p: RosterRecord, today: string): RosterFlag[] {
  const flags: RosterFlag[] = [];
  if (p.leftOn && (!p.accessEndedOn || p.accessEndedOn > addDays(p.leftOn, 1))) flags.push("departed-access-open");
  if (p.accessEndedOn && p.accessEndedOn <= today) return flags;
  if (!p.fingerprintCheckedOn) flags.push("no-check");
  if (!p.addendumSignedOn) flags.push("no-addendum");
  const due = trainingDueOn(p.trainedOn);
  if (!due || due < today) flags.push("training-due");
  return flags;
}

/** The fields a proposed change alters, for the reviewer. */
export function rosterDiff(current: RosterRecord | null, proposed: RosterRecord) {
  return (Object.keys(ROSTER_FIELD_LABELS) as (keyof RosterRecord)[])
    .filter((k) => !current || current[k] !== proposed[k])
    .map((k) => ({ field: k, label: ROSTER_FIELD_LABELS[k], from: current ? current[k] : null, to: proposed[k] }));
}

export const rosterPaths = {
  agency: () => "/roster",
  vendor: (vendorId: string) => `/roster/${vendorId}`,
  change: (changeId: string) => `/roster/changes/${changeId}`,
  file: (fileId: string) => `/roster/files/${fileId}`,
  portal: () => "/portal/roster",
  portalPropose: (personId?: string) => (personId ? `/portal/roster/propose?person=${personId}` : "/portal/roster/propose"),
  portalFile: (fileId: string) => `/portal/roster/files/${fileId}`,
};
