import { z } from "zod";
import { formatNumber } from "../app/modules/format.ts";

/**
 * The building blocks of a template's variable schema. Each carries what the
 * generation form needs (label, hint, kind of input) and how the value reads
 * in the document (format), as zod metadata: one schema for form and document.
 */
export type FieldMeta = {
  label: string;
  hint?: string;
  input: "text" | "textarea" | "date" | "number" | "checkbox" | "select" | "lines";
  format?: "money" | "date" | "percent" | "list" | "url" | "address";
  /** A count of something ("hour", "day"): the document writes "1 hour", "24 hours". */
  unit?: "minute" | "hour" | "day" | "month" | "year";
  options?: Record<string, string>;
};

const said = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

export const field = {
  text: (label: string, hint?: string) =>
    z
      .string({ message: `Enter ${said(label)}.` })
      .trim()
      .min(1, { message: `Enter ${said(label)}.` })
      .max(300, { message: "Keep it under 300 characters." })
      .meta({ label, hint, input: "text" } satisfies FieldMeta),
  /** A postal address or a name over several lines: the document keeps its line breaks. */
  address: (label: string, hint?: string) =>
    z
      .string({ message: `Enter ${said(label)}.` })
      .trim()
      .min(1, { message: `Enter ${said(label)}.` })
      .max(600, { message: "Keep it under 600 characters." })
      .meta({ label, hint, input: "textarea", format: "address" } satisfies FieldMeta),
  paragraph: (label: string, hint?: string) =>
    z
      .string({ message: `Enter ${said(label)}.` })
      .trim()
      .min(1, { message: `Enter ${said(label)}.` })
      .max(4000, { message: "Keep it under 4,000 characters." })
      .meta({ label, hint, input: "textarea" } satisfies FieldMeta),
  date: (label: string, hint?: string) =>
    z.iso
      .date({ message: `Enter ${said(label)} as a date.` })
      .meta({ label, hint, input: "date", format: "date" } satisfies FieldMeta),
  whole: (label: string, min: number, max: number, hint?: string) =>
    z
      .number({ message: `Enter ${said(label)} as a whole number.` })
      .int({ message: `Enter ${said(label)} as a whole number.` })
      .min(min, { message: `${label} must be at least ${formatNumber(min)}.` })
      .max(max, { message: `${label} must be at most ${formatNumber(max)}.` })
      .meta({ label, hint, input: "number" } satisfies FieldMeta),
  /** A whole number of minutes, hours, days, months or years, written with its unit. */
  count: (label: string, min: number, max: number, unit: NonNullable<FieldMeta["unit"]>, hint?: string) =>
    z
      .number({ message: `Enter ${said(label)} as a whole number.` })
      .int({ message: `Enter ${said(label)} as a whole number.` })
      .min(min, { message: `${label} must be at least ${formatNumber(min)}.` })
      .max(max, { message: `${label} must be at most ${formatNumber(max)}.` })
      .meta({ label, hint, input: "number", unit } satisfies FieldMeta),
  money: (label: string, hint?: string) =>
    z
      .number({ message: `Enter ${said(label)} in whole dollars.` })
      .int({ message: `Enter ${said(label)} in whole dollars.` })
      .min(0, { message: `${label} cannot be negative.` })
      .max(1_000_000_000_000, { message: `${label} is implausibly large.` })
      .meta({ label, hint, input: "number", format: "money" } satisfies FieldMeta),
  percent: (label: string, hint?: string) =>
    z
      .number({ message: `Enter ${said(label)} as a percentage, e.g. 99.9.` })
      .min(90, { message: `${label} below 90% is not a service level; enter e.g. 99.5.` })
      .max(100, { message: `${label} cannot exceed 100%.` })
      .meta({ label, hint, input: "number", format: "percent" } satisfies FieldMeta),
  url: (label: string, hint?: string) =>
    z
      .url({ protocol: /^https?$/, message: `Enter ${said(label)} as a web address starting with https:// or http://.` })
      .max(300, { message: "Keep it under 300 characters." })
      .meta({ label, hint, input: "text", format: "url" } satisfies FieldMeta),
  flag: (label: string, hint?: string) => z.boolean().meta({ label, hint, input: "checkbox" } satisfies FieldMeta),
  choice: <const T extends Record<string, string>>(label: string, options: T, hint?: string) =>
    z
      .enum(Object.keys(options) as [keyof T & string, ...(keyof T & string)[]], { message: `Choose ${said(label)}.` })
      .meta({ label, hint, input: "select", options } satisfies FieldMeta),
  lines: (label: string, hint?: string) =>
    z
      .array(z.string().trim().min(1).max(300, { message: "Keep each line under 300 characters." }), {
        message: `Enter ${said(label)}, one per line.`,
      })
      .min(1, { message: `Enter at least one line for ${said(label)}.` })
      .max(50, { message: "At most 50 lines." })
      .meta({ label, hint, input: "lines", format: "list" } satisfies FieldMeta),
};

/** A template's code: its variable schema and the named predicates its conditions may use. */
export type TemplateModule = {
  variables: z.ZodObject;
  predicates?: Record<string, (values: Record<string, unknown>) => boolean>;
};
