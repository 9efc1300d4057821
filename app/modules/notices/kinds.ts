import { z } from "zod";
import type { NoticeKindKey } from "../../../db/catalog/evidence-kinds.ts";
import { blank, day, keys } from "../form-fields.ts";

/** The four kinds of notice, their own fields, and the words the pages use (client and server share this). */

/** Short names of the catalog's notice kinds (db/catalog/evidence-kinds.ts), as the notice pages use them. */
export const NOTICE_KIND_LABELS: Record<NoticeKindKey, string> = {
  "breach-notice": "Breach or incident",
  "legal-process-notice": "Legal process",
  "data-location-change-notice": "Data-location change",
  "business-change-notice": "Business change",
};
export type { NoticeKindKey };
export const NOTICE_KIND_KEYS = Object.keys(NOTICE_KIND_LABELS) as NoticeKindKey[];

export const NOTICE_KIND_HINTS: Record<NoticeKindKey, string> = {
  "breach-notice":
    "Any attempted or completed access to the agency's data that was not authorized (IACP principle 4; CJIS Security Policy v6.0 IR-6).",
  "legal-process-notice": "A subpoena, warrant or other order served on the vendor about the agency's data (IACP principle 4).",
  "data-location-change-notice": "A change of the physical place where chosen categories of data are stored (IACP principle 8).",
  "business-change-notice":
    "A merger, acquisition, restructuring or other change that could affect the service or the data (IACP principle 9).",
};

/** What the event time means for each kind. */
export const OCCURRED_LABELS: Record<NoticeKindKey, string> = {
  "breach-notice": "time it was discovered",
  "legal-process-notice": "time it was served",
  "data-location-change-notice": "time the change takes effect",
  "business-change-notice": "time the change takes effect",
};
export const OCCURRED_HEADINGS: Record<NoticeKindKey, string> = {
  "breach-notice": "Discovered",
  "legal-process-notice": "Served",
  "data-location-change-notice": "Takes effect",
  "business-change-notice": "Takes effect",
};

export const PROCESS_KINDS = {
  subpoena: "Subpoena",
  "search-warrant": "Search warrant",
  "court-order": "Court order",
  "national-security-letter": "National security letter",
  other: "Other",
} as const;
export const DESTINATIONS = {
  us: "United States",
  "us-territory": "A U.S. territory",
  "tribal-land": "Tribal land",
  canada: "Canada",
  other: "Another country",
} as const;
export const BUSINESS_CHANGES = {
  merger: "Merger",
  acquisition: "Acquisition",
  restructuring: "Restructuring",
  "change-of-control": "Change of control",
  relocation: "Relocation of operations",
  insolvency: "Insolvency or wind-down",
  other: "Other",
} as const;

export type NoticeField = {
  name: string;
  label: string;
  hint?: string;
  input: "text" | "textarea" | "date" | "select";
  options?: Record<string, string>;
};

export const NOTICE_FIELDS: Record<NoticeKindKey, NoticeField[]> = {
  "breach-notice": [
    {
      name: "whatHappened",
      label: "What happened",
      input: "textarea",
      hint: "What was reached or taken, how, and what has been done since.",
    },
    {
      name: "dataCategories",
      label: "Data categories affected",
      input: "text",
      hint: "For example: RMS records, body-worn camera video, license plate reads.",
    },
  ],
  "legal-process-notice": [
    { name: "authority", label: "Court or issuing authority", input: "text" },
    { name: "processKind", label: "Kind of process", input: "select", options: PROCESS_KINDS },
    { name: "respondBy", label: "Deadline to respond", input: "date" },
    { name: "description", label: "What it asks for", input: "textarea" },
  ],
  "data-location-change-notice": [
    { name: "fromLocation", label: "Where the data is kept now", input: "text", hint: "Region or data center, city and state." },
    { name: "toLocation", label: "Where it will be kept", input: "text" },
    { name: "destination", label: "Country of the new location", input: "select", options: DESTINATIONS },
    { name: "dataCategories", label: "Data categories moving", input: "text" },
  ],
  "business-change-notice": [
    { name: "changeKind", label: "Kind of change", input: "select", options: BUSINESS_CHANGES },
    {
      name: "counterparty",
      label: "Other party (optional)",
      input: "text",
      hint: "The acquirer, the merged company or the new owner.",
    },
    { name: "whatChanges", label: "What changes for the service and the data", input: "textarea" },
  ],
};

const text = (label: string, min: number, max: number) =>
  z.preprocess(
    blank,
    z
      .string({ message: `Enter the ${label}.` })
      .min(min, { message: min > 1 ? `Describe the ${label} in at least ${min} characters.` : `Enter the ${label}.` })
      .max(max, { message: `Keep the ${label} under ${max} characters.` }),
  );
const choice = <T extends Record<string, string>>(label: string, options: T) =>
  z.enum(keys(options), { message: `Choose the ${label}.` });

export const NOTICE_DETAIL_SCHEMAS = {
  "breach-notice": z.object({
    whatHappened: text("account of what happened", 10, 5000),
    dataCategories: text("data categories", 1, 1000),
  }),
  "legal-process-notice": z.object({
    authority: text("court or issuing authority", 2, 300),
    processKind: choice("kind of process", PROCESS_KINDS),
    respondBy: day("deadline to respond").refine((v) => v !== undefined, {
      message: "Enter the deadline to respond as a date, like 2026-07-01.",
    }),
    description: z.preprocess(blank, z.string().max(3000, { message: "Keep the description under 3000 characters." }).optional()),
  }),
  "data-location-change-notice": z.object({
    fromLocation: text("current location", 2, 300),
    toLocation: text("new location", 2, 300),
    destination: choice("country of the new location", DESTINATIONS),
    dataCategories: text("data categories", 1, 1000),
  }),
  "business-change-notice": z.object({
    changeKind: choice("kind of change", BUSINESS_CHANGES),
    counterparty: z.preprocess(
      blank,
      z.string().max(300, { message: "Keep the other party's name under 300 characters." }).optional(),
    ),
    whatChanges: text("account of what changes", 10, 5000),
  }),
} satisfies Record<NoticeKindKey, z.ZodType>;

export const NoticeSummary = text("summary", 3, 200);

/** Shown beside a detail value on the notice page. */
export function noticeDetailValue(field: NoticeField, value: unknown) {
  if (value === undefined || value === null || value === "") return "—";
  return field.options ? (field.options[String(value)] ?? String(value)) : String(value);
}

/** Concerns a reviewer should see at once. */
export function noticeConcerns(kind: NoticeKindKey, details: Record<string, unknown>): string[] {
  if (kind === "data-location-change-notice" && details.destination === "other") {
    return [
      "The new location is outside the countries the CJIS Security Policy allows for CJI storage (APB member countries: the United States and its territories, tribal lands, Canada).",
    ];
  }
  return [];
}

export const TIMELINESS_LABELS = { late: "Late", "on-time": "On time", "no-window": "No contract window" } as const;
export type Timeliness = keyof typeof TIMELINESS_LABELS;

export const noticePaths = {
  list: () => "/notices",
  record: () => "/notices/new",
  notice: (id: string) => `/notices/${id}`,
  portalList: () => "/portal/notices",
  portalFile: () => "/portal/notices/new",
  portalNotice: (id: string) => `/portal/notices/${id}`,
};
