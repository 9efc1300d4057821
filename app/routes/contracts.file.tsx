import { download } from "~/http/download.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { openContractFile } from "~/modules/contracts/files.server.ts";
import type { Route } from "./+types/contracts.file";

/** One version of a contract file, as a download; the audit trail records who took which bytes. */
export const permission = "contract:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return download(
    auth.submit((ctx) => openContractFile(ctx, args.context.blobs, args.params.contractId, args.params.contractFileId)),
  );
}
