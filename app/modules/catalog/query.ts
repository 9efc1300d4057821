import { data } from "react-router";
import { z } from "zod";

/** Query-string input of catalog pages, shared by the filter form and the loaders. */
export const FilterSchema = z.object({
  q: z.string().trim().max(200, { message: "Enter 200 characters or fewer." }).optional(),
});

const RevisionSchema = z
  .string()
  .regex(/^[1-9]\d{0,5}$/, { message: "revision must be a positive whole number" })
  .transform(Number)
  .optional();

/** The ?revision= parameter, or a 400 response naming the problem. */
export function parseRevision(url: URL): number | undefined {
  const raw = url.searchParams.get("revision");
  const result = RevisionSchema.safeParse(raw === null || raw === "" ? undefined : raw);
  if (!result.success) throw data(`The address is not valid: ${result.error.issues[0]!.message}.`, { status: 400 });
  return result.data;
}

/** The ?q= filter: its value, or the message to show next to the field. */
export function parseFilter(url: URL): { q: string; error?: string } {
  const raw = url.searchParams.get("q") ?? "";
  const result = FilterSchema.safeParse({ q: raw });
  if (!result.success) return { q: "", error: result.error.issues[0]!.message };
  return { q: result.data.q ?? "" };
}
