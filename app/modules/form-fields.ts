/** Small pieces the zod schemas of forms share (client and server both import them). */

/** A text field left empty counts as absent; any other text is trimmed. */
export const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v);

/** The keys of a label table, as the non-empty tuple z.enum wants. */
export const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
