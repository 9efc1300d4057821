import { download } from "~/http/download.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { openRosterFile } from "~/modules/roster/roster.server.ts";
import type { Route } from "./+types/roster.file";

/** A signed Security Addendum page, decrypted on the way out; the audit trail records the bytes sent. */
export const permission = "evidence:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return download(auth.submit((ctx) => openRosterFile(ctx, args.context.blobs, args.params.rosterFileId, "agency")));
}
