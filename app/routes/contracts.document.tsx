import { download } from "~/http/download.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { openContractDocument } from "~/modules/contracts/documents.server.ts";
import type { Route } from "./+types/contracts.document";

/** One document version, as a download; the audit trail records who took which bytes. */
export const permission = "contract:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return download(
    auth.run((ctx) => openContractDocument(ctx, args.context.blobs, args.params.contractId, args.params.documentId)),
  );
}
