import { download } from "~/http/download.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { openRosterFile } from "~/modules/roster/roster.server.ts";
import type { Route } from "./+types/portal.roster-file";

/** The vendor's own signed Security Addendum page, as it was uploaded. */
export const permission = "roster:propose:own-vendor";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return download(auth.submit((ctx) => openRosterFile(ctx, args.context.blobs, args.params.rosterFileId, "vendor")));
}
