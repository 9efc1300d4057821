import { z } from "zod";

/** Small pieces the zod schemas of forms share (client and server both import them). */

/** A text field left empty counts as absent; any other text is trimmed. */
export const blank = (v: unknown) =>
  typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v;

/** The keys of a label table, as the non-empty tuple z.enum wants. */
export const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

/** A calendar date typed as YYYY-MM-DD; must exist. */
export const day = (label: string) =>
  z.preprocess(
    blank,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `Enter the ${label} as a date, like 2026-07-01.` })
      .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
        message: `The ${label} is not a real date.`,
      })
      .optional(),
  );

export const whole = (label: string, min: number, max: number) =>
  z.preprocess(
    (v) => (blank(v) === undefined ? undefined : Number(String(v).replace(/,/g, ""))),
    z
      .number({ message: `Enter the ${label} as a whole number.` })
      .int({ message: `Enter the ${label} as a whole number.` })
      .min(min, { message: `The ${label} must be at least ${min}.` })
      .max(max, { message: `The ${label} must be at most ${max}.` })
      .optional(),
  );

/** Dollars as people type them ("$1,250,000.00") to whole cents; negative amounts are refused. */
export const money = (label: string) =>
  z.preprocess(
    (v) => {
      const text = blank(v);
      if (text === undefined) return undefined;
      const cleaned = String(text).replace(/[$,\s]/g, "");
      if (!/^-?\d+(\.\d{1,2})?$/.test(cleaned)) return Number.NaN;
      return Math.round(Number(cleaned) * 100);
    },
    z
      .number({ message: `Enter the ${label} in dollars, like 1,250,000.00.` })
      .min(0, { message: `The ${label} cannot be negative.` })
      .max(1e15, { message: `The ${label} is too large.` })
      .optional(),
  );

export const percent = (label: string) =>
  z.preprocess(
    (v) => (blank(v) === undefined ? undefined : String(v).replace(/%/g, "").trim()),
    z
      .string()
      .regex(/^\d{1,3}(\.\d{1,3})?$/, { message: `Enter the ${label} as a percentage, like 99.9.` })
      .refine((v) => Number(v) > 0 && Number(v) <= 100, { message: `The ${label} must be more than 0 and at most 100 percent.` })
      .optional(),
  );
