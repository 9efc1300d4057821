import { download } from "~/http/download.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { openAgencyExport } from "~/modules/portability/export-jobs.server.ts";
import type { Route } from "./+types/export-download";

/** A finished agency export, decrypted on the way out, while its link lasts; the audit trail records who took it. */
export const permission = "agency:export";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return download(auth.submit((ctx) => openAgencyExport(ctx, args.context.blobs, args.params.exportId)));
}
