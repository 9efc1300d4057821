import { redirect } from "react-router";
import { contractPaths } from "~/modules/contracts/paths.ts";
import type { Route } from "./+types/contracts.files-moved";

/**
 * Contract files lived at /contracts/:id/documents before "documents" came to mean generated
 * documents. This only rewrites an old link to the new address; the page it leads to checks
 * who may see it, so this route itself needs no permission and reveals nothing.
 */
export const permission = "public";

export function loader({ params }: Route.LoaderArgs) {
  const to = params.documentId
    ? contractPaths.file(params.contractId, params.documentId)
    : contractPaths.files(params.contractId);
  return redirect(to, 301);
}
