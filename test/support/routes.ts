import type { Database } from "../../db/client.ts";

/** The arguments React Router passes a loader, built for a direct call in a test. */
export function loaderArgs(db: Database, path: string, params: Record<string, string> = {}) {
  return {
    request: new Request(`http://localhost${path}`),
    params,
    context: { db, cspNonce: "test-nonce" },
  } as never;
}

/** What a loader threw: a data() response carries its status in init; a Response in status. */
export async function thrownStatus(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return { status: error.status, body: await error.text() };
    const e = error as { init?: { status?: number }; data?: unknown };
    if (e.init?.status) return { status: e.init.status, body: e.data };
    throw error;
  }
  throw new Error("expected the loader to throw a response");
}
