import { authorize } from "~/http/guard.server.ts";
import { eventReceipt } from "~/modules/audit/viewer.server.ts";
import type { Route } from "./+types/audit.event-receipt";

/** One audit event as a signed receipt: its inclusion proof in the log, checkable offline with the public key. */
export const permission = "audit:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const { publicUrl, auditPublicKeyPem } = args.context;
  const receipt = await auth.run((ctx) => eventReceipt(ctx, args.params.eventId, { publicUrl, publicKeyPem: auditPublicKeyPem }));
  return new Response(JSON.stringify(receipt, null, 2) + "\n", {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-event-receipt-${receipt.subject.id.slice(0, 8)}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
