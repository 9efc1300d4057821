import { authorize } from "~/http/guard.server.ts";
import { custodyDocument } from "~/modules/evidence/custody.server.ts";
import { custodyPdf } from "~/modules/documents/custody-pdf.server.ts";
import type { Route } from "./+types/evidence.custody-pdf";

/** The chain-of-custody report of one item as a tagged PDF, its signed receipt attached. */
export const permission = "evidence:read";

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const { publicUrl, auditPublicKeyPem } = args.context;
  const report = await auth.run((ctx) =>
    custodyDocument(ctx, args.params.itemId, { publicUrl, publicKeyPem: auditPublicKeyPem }),
  );
  const bytes = await custodyPdf(report.model, report.receipt, report.receiptName);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="custody-${report.receipt.subject.id.slice(0, 8)}-${auth.today}.pdf"`,
      "Cache-Control": "no-store",
    },
  });
}
