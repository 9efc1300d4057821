import { data } from "react-router";

/**
 * Reading what a person (or a stranger) submits. Text a form can carry holds printable
 * characters, tabs and line breaks; a NUL or other control character is never typed and
 * the database refuses NUL outright, so a field carrying one is refused here with its name,
 * before anything reads it. A page answering such a form answers 400 with that message.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The first field whose value carries a control character, as a message naming it; null when none does. */
export function controlCharacterProblem(
  entries: Iterable<[string, FormDataEntryValue]>,
): { field: string; message: string } | null {
  for (const [name, value] of entries) {
    const text = typeof value === "string" ? value : value.name;
    const found = CONTROL.exec(text) ?? CONTROL.exec(name);
    if (found) {
      const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
      return {
        field: name,
        message: `The field “${name.slice(0, 60)}” contains a control character (U+${code}) that cannot be part of any entry. Remove it and submit again.`,
      };
    }
  }
  return null;
}

/** A submitted url-encoded or multipart form (without its files' contents), refused with a 400 when a field carries a control character. */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw data("The form did not arrive in a shape this page reads. Reload the page and submit it again.", { status: 400 });
  }
  const problem = controlCharacterProblem(form);
  if (problem) throw data(problem.message, { status: 400 });
  return form;
}

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
