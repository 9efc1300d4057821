import { data } from "react-router";
import { fileResponse } from "~/http/download.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { InvalidInput } from "~/modules/context.server.ts";
import { openEvidenceFile } from "~/modules/evidence/submissions.server.ts";
import type { Route } from "./+types/evidence.file";

/** An evidence file, decrypted on the way out; the audit trail records who took which bytes. */
export const permission = "evidence:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const file = await auth.run((ctx) => openEvidenceFile(ctx, args.context.blobs, args.params.itemId, args.params.fileId, "agency")).catch((error: unknown) => {
    // 410 Gone: the record exists, its bytes do not.
    if (error instanceof InvalidInput) throw data(error.message, { status: 410 });
    throw error;
  });
  return fileResponse(file);
}
