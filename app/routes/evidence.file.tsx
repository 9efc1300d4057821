import { download } from "~/http/download.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { openEvidenceFile } from "~/modules/evidence/submissions.server.ts";
import type { Route } from "./+types/evidence.file";

/** An evidence file, decrypted on the way out; the audit trail records who took which bytes. */
export const permission = "evidence:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return download(
    auth.submit((ctx) => openEvidenceFile(ctx, args.context.blobs, args.params.itemId, args.params.fileId, "agency")),
  );
}
