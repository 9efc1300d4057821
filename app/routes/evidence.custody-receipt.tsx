import { authorize } from "~/http/guard.server.ts";
import { custodyReceipt } from "~/modules/evidence/custody.server.ts";
import type { Route } from "./+types/evidence.custody-receipt";

/** The chain of custody of one item as a signed receipt: each event with its inclusion proof, checkable offline. */
export const permission = "evidence:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const { publicUrl, auditPublicKeyPem } = args.context;
  const receipt = await auth.run((ctx) =>
    custodyReceipt(ctx, args.params.itemId, { publicUrl, publicKeyPem: auditPublicKeyPem }),
  );
  return new Response(JSON.stringify(receipt, null, 2) + "\n", {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="custody-receipt-${receipt.subject.id.slice(0, 8)}-${auth.today}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
