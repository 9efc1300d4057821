/** A submitted form as a plain record: one string per field, a list for the fields named in `lists`. */
export function formRecord(form: FormData, lists: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.fromEntries(lists.map((name) => [name, [] as string[]]));
  for (const [name, value] of form) {
    if (typeof value !== "string") continue;
    const text = value.slice(0, 10_000);
    if (lists.includes(name)) (out[name] as string[]).push(text);
    else out[name] ??= text;
  }
  return out;
}
