import { data } from "react-router";
import { fileResponse } from "~/http/download.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { InvalidInput } from "~/modules/context.server.ts";
import { openContractDocument } from "~/modules/contracts/documents.server.ts";
import type { Route } from "./+types/contracts.document";

/** One document version, as a download; the audit trail records who took which bytes. */
export const permission = "contract:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const file = await auth.run((ctx) => openContractDocument(ctx, args.context.blobs, args.params.contractId, args.params.documentId)).catch((error: unknown) => {
    // 410 Gone: the version exists, its bytes do not.
    if (error instanceof InvalidInput) throw data(error.message, { status: 410 });
    throw error;
  });
  return fileResponse(file);
}
