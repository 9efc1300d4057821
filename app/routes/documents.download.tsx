import { download } from "~/http/download.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { openGenerationOutput } from "~/modules/documents/generations.server.ts";
import type { Route } from "./+types/documents.download";

/** A generated file, decrypted on the way out; the audit trail records who took which bytes. */
export const permission = "document:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return download(
    auth.submit((ctx) => openGenerationOutput(ctx, args.context.blobs, args.params.generationId, args.params.format)),
  );
}
