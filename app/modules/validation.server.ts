import type { z } from "zod";
import { InvalidInput } from "./context.server.ts";

/**
 * Validate plain input against a zod schema; on failure throw InvalidInput with
 * one message per field, keyed by the field's path ("locations.0.country"),
 * so a form shows each message next to its own field.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    errors[key] ??= issue.message;
  }
  throw new InvalidInput(errors);
}
