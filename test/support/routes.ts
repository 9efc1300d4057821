import type { AppContext } from "../../app/context.ts";

/** The arguments React Router passes a loader or action, built for a direct call in a test. */
export function loaderArgs(
  context: AppContext,
  path: string,
  params: Record<string, string> = {},
  init: { cookie?: string; method?: string; form?: Record<string, string>; bearer?: string } = {},
) {
  const headers = new Headers();
  if (init.cookie) headers.set("Cookie", init.cookie);
  if (init.bearer) headers.set("Authorization", `Bearer ${init.bearer}`);
  const body = init.form ? new URLSearchParams(init.form) : undefined;
  return {
    request: new Request(`http://localhost${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body }),
    params,
    context,
  } as never;
}

/** What a loader threw: a data() response carries its status in init; a Response in status. */
export async function thrownStatus(
  promise: Promise<unknown>,
): Promise<{ status: number; body: unknown; location: string | null }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response)
      return { status: error.status, body: await error.text(), location: error.headers.get("Location") };
    const e = error as { init?: { status?: number }; data?: unknown };
    if (e.init?.status) return { status: e.init.status, body: e.data, location: null };
    throw error;
  }
  throw new Error("expected the loader to throw a response");
}
