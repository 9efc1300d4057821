import type { EvidenceItem } from "../../../db/schema/evidence.ts";
import { labelEvents } from "../audit/labels.server.ts";
import { buildReceipt, logPositions, type Receipt } from "../audit/proofs.server.ts";
import { eventsAbout } from "../audit/viewer.server.ts";
import { type ModuleContext, requirePermission } from "../context.server.ts";
import type { DocumentModel } from "../documents/model.ts";
import { agencyItem } from "./scope.server.ts";

/**
 * The chain of custody of an evidence item: every event about it from the audit trail, on the
 * item's page, as CSV, as a PDF and as a signed receipt whose proofs anyone can check offline
 * (decision 0026; IACP principle 8).
 */

const ACTION_LABELS: Record<string, string> = {
  "evidence.request": "Requested",
  "evidence.request.recur": "Requested (recurring)",
  "evidence.submit": "Submitted with attestation",
  "evidence.review.start": "Review started",
  "evidence.accept": "Accepted",
  "evidence.reject": "Rejected",
  "evidence.supersede": "Superseded",
  "evidence.read": "Viewed",
  "portal.evidence.read": "Viewed in the vendor portal",
  "evidence.file.download": "File downloaded",
  "evidence.custody.export": "Custody report exported",
  "evidence.custody.receipt": "Custody receipt made",
  "evidence.custody.pdf": "Custody report printed (PDF)",
  "access.not-found": "Access refused (not visible to this person)",
};

/** The chain of custody of an item: every event about it, in order, from the audit trail. */
export async function custodyRows(ctx: ModuleContext, item: EvidenceItem) {
  const events = await eventsAbout(ctx.db, "evidence-item", item.id);
  const labels = await labelEvents(ctx.db, ctx.actor, events);
  const positions = await logPositions(
    ctx.db,
    events.map((e) => e.id),
  );
  return events.map((e, i) => {
    const d = e.details as Record<string, unknown>;
    const named = labels[i]!;
    const files =
      (d.files as { filename: string; sha256: string; bytes: number }[] | undefined) ??
      (d.sha256 ? [{ filename: String(d.filename ?? ""), sha256: String(d.sha256), bytes: Number(d.bytes ?? 0) }] : []);
    const attestation = d.attestation as { name: string; title: string } | undefined;
    return {
      seq: e.seq,
      eventId: e.id,
      /** The event's place in the signed log; null for the moment between its commit and the next seal. */
      position: positions.get(e.id) ?? null,
      at: e.occurredAt,
      who: named.actor ? `${named.actor.name} (${named.actor.email})` : (e.actorLabel ?? "—"),
      /** The organisation the person acted for: a vendor's upload is the vendor's, whoever's item it is. */
      actorOrganisation: named.actorOrganisation ?? "",
      /** The organisation the event concerns (the agency whose item it is). */
      organisation: named.organisation ?? "",
      from: e.ip ?? "",
      action: e.action,
      label: ACTION_LABELS[e.action] ?? e.action,
      outcome: e.outcome,
      version: d.version === undefined ? null : Number(d.version),
      files,
      note: typeof d.reason === "string" ? d.reason : attestation ? `Attested by ${attestation.name}, ${attestation.title}` : "",
      hash: e.hash,
    };
  });
}

/** The custody report for export; the export is its own audit event. */
export async function custodyReport(ctx: ModuleContext, itemId: string) {
  requirePermission(ctx, "evidence:read");
  const { item } = await agencyItem(ctx, itemId);
  const rows = await custodyRows(ctx, item);
  ctx.audit.record({
    action: "evidence.custody.export",
    objectType: "evidence-item",
    objectId: item.id,
    organisationId: item.agencyId,
  });
  return { item: { id: item.id, title: item.title }, rows };
}

/** The signed receipt of an item's events (the custody receipt, the PDF's attachment, a binder exhibit's). */
export function itemReceipt(
  ctx: Pick<ModuleContext, "db" | "now">,
  item: { id: string; title: string },
  eventIds: string[],
  keys: { publicUrl: string; publicKeyPem: string | null },
): Promise<Receipt> {
  return buildReceipt(ctx.db, {
    subject: { kind: "evidence item", id: item.id, title: item.title },
    eventIds,
    publicUrl: keys.publicUrl,
    publicKeyPem: keys.publicKeyPem,
    now: ctx.now,
  });
}

/**
 * The custody receipt of an item (decision 0026): every event of its chain of custody with its place
 * in the audit log and the proof, checkable offline against the installation's public key, that
 * the signed log holds it as written. Making one is itself an event (in the next receipt).
 */
export async function custodyReceipt(
  ctx: ModuleContext,
  itemId: string,
  keys: { publicUrl: string; publicKeyPem: string | null },
) {
  requirePermission(ctx, "evidence:read");
  const { item } = await agencyItem(ctx, itemId);
  const events = await eventsAbout(ctx.db, "evidence-item", item.id);
  const receipt = await itemReceipt(
    ctx,
    item,
    events.map((e) => e.id),
    keys,
  );
  ctx.audit.record({
    action: "evidence.custody.receipt",
    objectType: "evidence-item",
    objectId: item.id,
    organisationId: item.agencyId,
    details: { events: receipt.events.length, treeSize: receipt.checkpoint?.treeSize ?? 0 },
  });
  return receipt;
}

export const CUSTODY_CSV_COLUMNS = [
  "log_position",
  "event_id",
  "seq",
  "time_utc",
  "who",
  "actor_organisation",
  "concerning_organisation",
  "source_address",
  "action",
  "outcome",
  "version",
  "file",
  "sha256",
  "bytes",
  "note",
  "event_hash",
] as const;

/** The CSV rows of a custody report: one per file an event names (or one for the event). */
export function custodyCsvRows(report: Awaited<ReturnType<typeof custodyReport>>) {
  return report.rows.flatMap((r) =>
    (r.files.length ? r.files : [null]).map((f) => [
      r.position ?? "being sealed",
      r.eventId,
      r.seq,
      r.at.toISOString(),
      r.who,
      r.actorOrganisation,
      r.organisation,
      r.from,
      r.label,
      r.outcome,
      r.version ?? "",
      f?.filename ?? "",
      f?.sha256 ?? "",
      f?.bytes ?? "",
      r.note,
      r.hash,
    ]),
  );
}

const utc = (at: Date | string) =>
  new Date(at)
    .toISOString()
    .replace("T", " ")
    .replace(/\.(\d{3})Z$/, ".$1 UTC");

/**
 * The chain of custody as a PDF a court can read: what is proven and what is not first, then every
 * event with its position in the log, the signed checkpoint, and each event's inclusion proof. The
 * receipt travels attached to the PDF, so the file itself can be checked offline.
 */
export async function custodyDocument(
  ctx: ModuleContext,
  itemId: string,
  keys: { publicUrl: string; publicKeyPem: string | null },
): Promise<{ model: DocumentModel; receipt: Receipt; receiptName: string }> {
  requirePermission(ctx, "evidence:read");
  const { item } = await agencyItem(ctx, itemId);
  const rows = await custodyRows(ctx, item);
  const receipt = await itemReceipt(
    ctx,
    item,
    rows.map((r) => r.eventId),
    keys,
  );
  ctx.audit.record({
    action: "evidence.custody.pdf",
    objectType: "evidence-item",
    objectId: item.id,
    organisationId: item.agencyId,
    details: { events: rows.length, proven: receipt.events.length, treeSize: receipt.checkpoint?.treeSize ?? 0 },
  });
  const receiptName = `custody-receipt-${item.id.slice(0, 8)}.json`;
  const cp = receipt.checkpoint;
  const unproven = receipt.notYetSealed.length;
  const text = (t: string) => ({ t: "text" as const, text: t });
  const para = (t: string) => ({ t: "para" as const, inlines: [text(t)] });
  const proven = new Map(receipt.events.map((e) => [e.eventId, e]));
  const model: DocumentModel = {
    templateId: "custody-report",
    templateVersion: "1.0.0",
    kind: "report",
    title: "Chain of custody",
    subtitle: `Evidence item ${item.id}`,
    language: "en-US",
    final: true,
    inputsSha256: "",
    generatedAt: ctx.now.toISOString(),
    blocks: [
      { t: "heading", level: 1, number: null, text: `Chain of custody: ${item.title}`, anchor: null },
      para(
        `This report lists every event Custody's audit trail holds about evidence item ${item.id}, as of ${utc(ctx.now)}. ` +
          `It was made by ${ctx.actor.label ?? "a signed-in person"}.`,
      ),
      para(
        unproven > 0
          ? `${unproven} of the ${rows.length} events had not yet been sealed into a signed checkpoint of the audit log when this report was made (the log seals within seconds); they are listed below, marked "being sealed", and are not proven by this report.`
          : `All ${rows.length} events listed are sealed into the audit log; none is left unproven.`,
      ),
      para(
        cp
          ? `The audit log's checkpoint of ${cp.treeSize} events, signed at ${utc(cp.issuedAt)} with the installation's Ed25519 key ${cp.keyId}, holds each of the ${receipt.events.length} sealed events exactly as written: for each one, the proof in the last table leads from the event's content to the checkpoint's root (RFC 9162). Changing, removing or reordering any event would change that root.`
          : "The audit log had no signed checkpoint yet when this report was made, so no event is proven by it.",
      ),
      para(
        `The same proofs are attached to this PDF as ${receiptName}. Anyone can check them without access to Custody: save the attachment, fetch the receipt checker (${keys.publicUrl}/.well-known/custody-verify-receipt.mjs, one file, Node.js only) and the installation's public key (${keys.publicUrl}/.well-known/custody-audit-key.pem, whose id must be ${cp?.keyId ?? "the one above"}), then run: node custody-verify-receipt.mjs ${receiptName} --key custody-audit-key.pem. The proofs show the events were recorded as written, not that what they record is true, nor that no other record concerns the item.`,
      ),
      {
        t: "table",
        caption: "Events",
        columns: ["Position", "When (UTC)", "Who, acting for", "What, concerning", "From", "Detail"],
        rows: rows.map((r) => [
          r.position === null || !proven.has(r.eventId) ? "being sealed" : String(r.position),
          utc(r.at),
          r.actorOrganisation ? `${r.who}, for ${r.actorOrganisation}` : r.who,
          `${r.label}${r.outcome !== "success" ? ` (${r.outcome})` : ""}${r.version !== null ? `, version ${r.version}` : ""}` +
            (r.organisation ? `, concerning ${r.organisation}` : ""),
          r.from || "-",
          [...r.files.map((f) => `${f.filename} (${f.bytes} bytes) SHA-256 ${f.sha256}`), r.note].filter(Boolean).join("; ") ||
            "-",
        ]),
        empty: "No event is recorded about this item.",
      },
      { t: "heading", level: 2, number: null, text: "The signed checkpoint", anchor: null },
      ...(cp
        ? [
            {
              t: "table" as const,
              caption: "Checkpoint",
              columns: ["Field", "Value"],
              rows: [
                ["Events in the log", String(cp.treeSize)],
                ["Root (SHA-256, hex)", cp.rootHash],
                ["Signed at", utc(cp.issuedAt)],
                ["Key id", cp.keyId],
                ["Ed25519 signature (base64)", cp.signature],
              ],
              empty: "",
            },
          ]
        : [para("None yet.")]),
      { t: "heading", level: 2, number: null, text: "Inclusion proofs", anchor: null },
      {
        t: "table",
        caption: "Inclusion proofs",
        columns: ["Position", "Event id", "Proof hashes, in the order RFC 9162 section 2.1.3.2 uses them"],
        rows: receipt.events.map((e) => [
          String(e.position),
          e.eventId,
          e.inclusionProof.join(" ") || "(none: the log held one event)",
        ]),
        empty: "No event was sealed when this report was made.",
      },
    ],
  };
  return { model, receipt, receiptName };
}
