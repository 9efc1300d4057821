import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import type { Readable } from "node:stream";
import { organisations } from "../../../db/schema/access.ts";
import { evidenceKinds } from "../../../db/schema/catalog.ts";
import { evidenceFiles, evidenceItems, evidenceVersions } from "../../../db/schema/evidence.ts";
import { type ContentKind, type SpooledUpload } from "../blobs/content.server.ts";
import type { BlobStore } from "../blobs/store.server.ts";
import { InvalidInput, isUuid, type ModuleContext, NotFound, requirePermission } from "../context.server.ts";

import type { z } from "zod";
import { parseInput } from "../validation.server.ts";
import { itemDetails } from "./items.server.ts";
import {
  Attestation,
  ATTESTATION_STATEMENT,
  type FlagContext,
  flagsOf,
  fieldsOf,
  kindSchema,
  type KindValues,
  VersionDates,
} from "./kinds.ts";
import { ownVendor } from "../vendors/vendors.server.ts";
import { agencyItem, vendorItem, visibleToVendor } from "./scope.server.ts";
import { checkAndSeal, openSealedForDownload } from "../blobs/sealed-files.server.ts";
import { ACCEPTED_EVIDENCE_FILES, shownStatus } from "./vocabulary.ts";

/**
 * The vendor's side: the portal's list of what is asked of the vendor, one
 * item as the vendor sees it, and submitting a version with its file and the
 * attestation. Files are content-checked, encrypted and stored before the
 * version that names them commits; a failure leaves no record behind.
 */

export const EVIDENCE_FILE_KINDS: readonly ContentKind[] = ["pdf", "docx", "xlsx", "png", "jpg", "csv", "txt"];
/** A vendor may submit while a request is open, after a rejection, or to replace a submission not yet under review. */
const SUBMITTABLE = ["requested", "rejected", "submitted"];

/** The portal home: the vendor's open requests, submissions awaiting a decision, and past decisions. */
export async function portalHome(ctx: ModuleContext) {
  requirePermission(ctx, "evidence:upload:own-vendor");
  const vendor = await ownVendor(ctx);
  const rows = await ctx.db
    .select({
      id: evidenceItems.id,
      title: evidenceItems.title,
      status: evidenceItems.status,
      dueOn: evidenceItems.dueOn,
      expiresOn: evidenceItems.expiresOn,
      updatedAt: evidenceItems.updatedAt,
      kindName: evidenceKinds.name,
      agencyName: organisations.name,
    })
    .from(evidenceItems)
    .innerJoin(evidenceKinds, eq(evidenceKinds.id, evidenceItems.kindId))
    .innerJoin(organisations, eq(organisations.id, evidenceItems.agencyId))
    .where(and(visibleToVendor(ctx), ne(evidenceItems.status, "cancelled")))
    .orderBy(asc(evidenceItems.dueOn), desc(evidenceItems.updatedAt))
    .limit(500);
  const today = ctx.today;
  const items = rows.map((r) => ({ ...r, shown: shownStatus(r, today) }));
  ctx.audit.record({ action: "portal.home.read", objectType: "vendor", objectId: vendor?.id, details: { items: items.length } });
  return {
    vendor,
    open: items.filter((i) => i.status === "requested" || i.status === "rejected"),
    awaiting: items.filter((i) => i.status === "submitted" || i.status === "under-review"),
    decided: items.filter((i) => i.status === "accepted" || i.status === "superseded"),
  };
}

/** One item as its vendor sees it; another vendor's item is not found. */
export async function getPortalItem(ctx: ModuleContext, itemId: string) {
  requirePermission(ctx, "evidence:upload:own-vendor");
  const item = await vendorItem(ctx, itemId);
  const details = await itemDetails(ctx, item, "vendor");
  ctx.audit.record({
    action: "portal.evidence.read",
    objectType: "evidence-item",
    objectId: item.id,
    organisationId: item.agencyId,
  });
  const { terms: _terms, ...visible } = details;
  return {
    ...visible,
    canSubmit: SUBMITTABLE.includes(item.status),
    fields: fieldsOf(details.kind.key),
    statement: ATTESTATION_STATEMENT,
    renewable: details.kind.renewalMonths !== null,
  };
}

/**
 * Whether the vendor may answer this item at all (404 otherwise), before an upload is read; not a
 * view, so not audited. Gives the name of the agency that asked, for the message after submitting.
 */
export async function checkPortalItem(ctx: ModuleContext, itemId: string) {
  requirePermission(ctx, "evidence:upload:own-vendor");
  const item = await vendorItem(ctx, itemId);
  const [agency] = await ctx.db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, item.agencyId));
  return { agencyName: agency?.name ?? "The agency" };
}

/** The strictest figures of the contracts an item supports, for its flags. */
export function flagContext(
  terms: {
    minCyberInsuranceCents: number | null;
    availabilityCritical: string | null;
    availabilityEssential: string | null;
    availabilityStandard: string | null;
    availabilityArchive: string | null;
  }[],
  asOf: string,
): FlagContext {
  const max = (values: (number | null)[]) => {
    const present = values.filter((v): v is number => v !== null && !Number.isNaN(v));
    return present.length ? Math.max(...present) : undefined;
  };
  const num = (v: string | null) => (v === null ? null : Number(v));
  const availability: FlagContext["availability"] = {};
  const set = (key: keyof FlagContext["availability"], v: number | undefined) => {
    if (v !== undefined) availability[key] = v;
  };
  set("critical", max(terms.map((t) => num(t.availabilityCritical))));
  set("essential", max(terms.map((t) => num(t.availabilityEssential))));
  set("standard", max(terms.map((t) => num(t.availabilityStandard))));
  set("archive", max(terms.map((t) => num(t.availabilityArchive))));
  return { asOf, minInsuranceCents: max(terms.map((t) => t.minCyberInsuranceCents)) ?? null, availability };
}

/** Split a form into the version's dates, the kind's own fields ("field.<name>") and the attestation. */
function parseSubmission(kindKey: string, renewable: boolean, raw: Record<string, string>) {
  const errors: Record<string, string> = {};
  const collect = (fn: () => void, prefix = "") => {
    try {
      fn();
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      for (const [k, v] of Object.entries(error.fieldErrors)) errors[`${prefix}${k}`] ??= v;
    }
  };
  let dates: { issuedOn?: string; validFrom?: string; expiresOn?: string } = {};
  let values: KindValues = {};
  collect(() => (dates = parseInput(VersionDates, raw)));
  collect(
    () =>
      (values = parseInput(
        kindSchema(kindKey) as z.ZodType<KindValues>,
        Object.fromEntries(
          Object.entries(raw)
            .filter(([k]) => k.startsWith("field."))
            .map(([k, v]) => [k.slice(6), v]),
        ),
      )),
    "field.",
  );
  collect(() => parseInput(Attestation, raw));
  if (renewable && !dates.expiresOn && !errors.expiresOn)
    errors.expiresOn = "Enter the expiry date: this kind of evidence is renewed, so it must say until when it holds.";
  if (Object.keys(errors).length) throw new InvalidInput(errors);
  return { dates, values, attestation: { name: raw.attestationName!.trim(), title: raw.attestationTitle!.trim() } };
}

/**
 * A vendor submits a version: the form is checked first, then the file's bytes (type, zip
 * bombs), then the file is encrypted into the blob store, then the version and its file row
 * are written in this transaction. Any refusal leaves no record; a stored blob without a
 * record is swept as an orphan.
 */
export async function submitEvidence(
  ctx: ModuleContext,
  blobs: BlobStore,
  itemId: string,
  upload: SpooledUpload | null,
  raw: Record<string, string>,
) {
  requirePermission(ctx, "evidence:upload:own-vendor");
  const item = await vendorItem(ctx, itemId, { forUpdate: true });
  if (!SUBMITTABLE.includes(item.status)) {
    throw new InvalidInput({
      form:
        item.status === "under-review"
          ? "The agency is reviewing your last submission; wait for its decision."
          : "This request is closed; nothing more can be submitted to it.",
    });
  }
  const details = await itemDetails(ctx, item, "vendor");
  const parsed = parseSubmission(details.kind.key, details.kind.renewalMonths !== null, raw);
  if (!upload) throw new InvalidInput({ file: "Choose the file to upload." });
  const { mediaType, sealed } = await checkAndSeal(blobs, ctx.secrets, upload, EVIDENCE_FILE_KINDS, {
    names: ACCEPTED_EVIDENCE_FILES,
    what: "the evidence",
  });

  const flags = flagsOf(details.kind.key, parsed.values, flagContext(details.terms, ctx.today));
  const [last] = await ctx.db
    .select({ version: sql<number>`coalesce(max(${evidenceVersions.version}), 0)::int` })
    .from(evidenceVersions)
    .where(eq(evidenceVersions.itemId, item.id));
  // A submission not yet reviewed is replaced by the new one, but kept.
  await ctx.db
    .update(evidenceVersions)
    .set({ status: "superseded" })
    .where(and(eq(evidenceVersions.itemId, item.id), eq(evidenceVersions.status, "submitted")));
  const [version] = await ctx.db
    .insert(evidenceVersions)
    .values({
      itemId: item.id,
      version: (last?.version ?? 0) + 1,
      status: "submitted",
      issuedOn: parsed.dates.issuedOn ?? null,
      validFrom: parsed.dates.validFrom ?? null,
      expiresOn: parsed.dates.expiresOn ?? null,
      fields: parsed.values,
      flags,
      submittedBy: ctx.actor.personId,
      submittedAt: ctx.now,
      submittedFrom: ctx.actor.ip,
      submittedByOrganisationKind: "vendor",
      attestationName: parsed.attestation.name,
      attestationTitle: parsed.attestation.title,
      attestationStatement: ATTESTATION_STATEMENT,
    })
    .returning();
  const [file] = await ctx.db
    .insert(evidenceFiles)
    .values({
      versionId: version!.id,
      filename: upload.filename,
      mediaType,
      sizeBytes: upload.size,
      sha256: upload.sha256,
      ...sealed,
      uploadedAt: ctx.now,
    })
    .returning();
  await ctx.db
    .update(evidenceItems)
    .set({ status: "submitted", currentVersion: version!.version, flags, updatedAt: ctx.now })
    .where(eq(evidenceItems.id, item.id));
  ctx.audit.record({
    action: "evidence.submit",
    objectType: "evidence-item",
    objectId: item.id,
    organisationId: item.agencyId,
    details: {
      version: version!.version,
      versionId: version!.id,
      files: [
        {
          fileId: file!.id,
          filename: upload.filename,
          sha256: upload.sha256,
          bytes: upload.size,
          mediaType,
          declaredType: upload.declaredType,
        },
      ],
      attestation: { name: parsed.attestation.name, title: parsed.attestation.title, statement: ATTESTATION_STATEMENT },
      flags,
    },
  });
  return { version: version!, file: file! };
}

/** Open an evidence file: decrypted on the way out, the read audited with the bytes sent. */
export async function openEvidenceFile(
  ctx: ModuleContext,
  blobs: BlobStore,
  itemId: string,
  fileId: string,
  side: "agency" | "vendor",
): Promise<{ stream: Readable; filename: string; mediaType: string; size: number; sha256: string }> {
  requirePermission(ctx, side === "agency" ? "evidence:read" : "evidence:upload:own-vendor");
  const item = side === "agency" ? (await agencyItem(ctx, itemId)).item : await vendorItem(ctx, itemId);
  if (!isUuid(fileId)) throw new NotFound("evidence-file", fileId);
  const [row] = await ctx.db
    .select({ file: evidenceFiles, version: evidenceVersions.version })
    .from(evidenceFiles)
    .innerJoin(evidenceVersions, eq(evidenceVersions.id, evidenceFiles.versionId))
    .where(and(eq(evidenceFiles.id, fileId), eq(evidenceVersions.itemId, item.id)));
  if (!row) throw new NotFound("evidence-file", fileId);
  const { file } = row;
  const stream = await openSealedForDownload(blobs, ctx.secrets, file, `version ${row.version}, `, {
    action: "evidence.file.download",
    objectType: "evidence-item",
    objectId: item.id,
    organisationId: item.agencyId,
    outcome: "failed",
    details: { fileId, sha256: file.sha256, reason: "blob missing" },
  });
  ctx.audit.record({
    action: "evidence.file.download",
    objectType: "evidence-item",
    objectId: item.id,
    organisationId: item.agencyId,
    details: { fileId, version: row.version, filename: file.filename, sha256: file.sha256, bytes: file.sizeBytes, side },
  });
  return { stream, filename: file.filename, mediaType: file.mediaType, size: file.sizeBytes, sha256: file.sha256 };
}
