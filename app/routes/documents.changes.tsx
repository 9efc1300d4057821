import { download } from "~/http/download.server.ts";
import { authorize } from "~/http/guard.server.ts";
import { openRedline } from "~/modules/documents/generations.server.ts";
import type { Route } from "./+types/documents.changes";

/** A regenerated document's changes since the previous generation, as a DOCX with tracked changes; the download is audited. */
export const permission = "document:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return download(auth.submit((ctx) => openRedline(ctx, args.params.generationId)));
}
