import type { Readable } from "node:stream";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { organisations, people } from "../../../db/schema/access.ts";
import { rosterChanges, rosterFiles, rosterPeople, type RosterPerson } from "../../../db/schema/roster.ts";
import { vendors } from "../../../db/schema/vendors.ts";
import type { SpooledUpload } from "../blobs/content.server.ts";
import type { BlobStore } from "../blobs/store.server.ts";
import { InvalidInput, isUuid, type ModuleContext, NotFound, orgOf, requirePermission } from "../context.server.ts";
import { liveContractsWithVendor, peopleNames, vendorsUnderContract } from "../contracts/contracts.server.ts";

import { cjisOfficersOf, tell, toEach, vendorRepresentativesOf } from "../notifications/notify.server.ts";
import { ROSTER_FILE_NAMES, type RosterRecord, rosterDiff, parseRoster, rosterFlags, rosterPaths } from "./vocabulary.ts";
import { ownVendor } from "../vendors/vendors.server.ts";
import { checkAndSeal, openSealedForDownload } from "../blobs/sealed-files.server.ts";

/**
 * The vendor personnel roster. One per vendor; the vendor proposes each
 * change (the whole record as it should read, with the signed Security
 * Addendum page when there is one) and a CJIS officer of an agency the vendor
 * serves approves or rejects it. Agencies see the roster of vendors they have
 * a live contract with; a vendor sees only its own.
 */

const recordOf = (p: RosterPerson): RosterRecord => ({
  fullName: p.fullName,
  jobRole: p.jobRole,
  unescortedAccess: p.unescortedAccess,
  fingerprintCheckedOn: p.fingerprintCheckedOn,
  fingerprintAgency: p.fingerprintAgency,
  addendumSignedOn: p.addendumSignedOn,
  trainedOn: p.trainedOn,
  leftOn: p.leftOn,
  accessEndedOn: p.accessEndedOn,
});

/** The vendor an agency may see the roster of (a live contract, owned or shared), else 404. */
async function agencyVendor(ctx: ModuleContext, vendorId: string) {
  if (!isUuid(vendorId)) throw new NotFound("vendor", vendorId);
  const live = await liveContractsWithVendor(ctx, vendorId, [orgOf(ctx)]);
  if (live.length === 0) throw new NotFound("vendor", vendorId);
  const [vendor] = await ctx.db
    .select({ id: vendors.id, legalName: vendors.legalName })
    .from(vendors)
    .where(eq(vendors.id, vendorId));
  return { ...vendor!, rosterRequired: live.some((c) => c.terms.personnelRosterRequired), contracts: live };
}

async function vendorSelf(ctx: ModuleContext) {
  const vendor = await ownVendor(ctx);
  if (!vendor) throw new NotFound("vendor", "own");
  return vendor;
}

/** The roster with each person's flags, and the changes waiting and decided. */
async function rosterOf(ctx: ModuleContext, vendorId: string) {
  const today = ctx.today;
  const rows = await ctx.db
    .select()
    .from(rosterPeople)
    .where(eq(rosterPeople.vendorId, vendorId))
    .orderBy(asc(rosterPeople.fullName));
  const changes = await ctx.db
    .select({ change: rosterChanges, proposedByName: people.name })
    .from(rosterChanges)
    .leftJoin(people, eq(people.id, rosterChanges.proposedBy))
    .where(eq(rosterChanges.vendorId, vendorId))
    .orderBy(desc(rosterChanges.proposedAt))
    .limit(200);
  const fileIds = rows.map((r) => r.addendumFileId).filter((x): x is string => Boolean(x));
  const files = fileIds.length
    ? await ctx.db
        .select({ id: rosterFiles.id, filename: rosterFiles.filename, sha256: rosterFiles.sha256 })
        .from(rosterFiles)
        .where(inArray(rosterFiles.id, fileIds))
    : [];
  const fileById = new Map(files.map((f) => [f.id, f]));
  const peopleRows = rows.map((p) => ({
    ...p,
    flags: rosterFlags(recordOf(p), today),
    addendumFile: p.addendumFileId ? (fileById.get(p.addendumFileId) ?? null) : null,
  }));
  const names = new Map(rows.map((r) => [r.id, r.fullName]));
  return {
    people: peopleRows,
    active: peopleRows.filter((p) => !p.accessEndedOn || p.accessEndedOn > today),
    flagged: peopleRows.filter((p) => p.flags.length > 0).length,
    pending: changes
      .filter((c) => c.change.status === "pending")
      .map((c) => ({
        ...c.change,
        proposedByName: c.proposedByName,
        personName: (c.change.proposed as RosterRecord).fullName,
        currentName: c.change.personId ? (names.get(c.change.personId) ?? null) : null,
      })),
    decided: changes
      .filter((c) => c.change.status !== "pending")
      .map((c) => ({ ...c.change, proposedByName: c.proposedByName, personName: (c.change.proposed as RosterRecord).fullName })),
  };
}

/** Agency: the vendors it holds live contracts with, each with the roster's state. */
export async function rosterVendors(ctx: ModuleContext) {
  requirePermission(ctx, "evidence:read");
  const summaries = await rosterSummaries(ctx);
  ctx.audit.record({ action: "roster.list", objectType: "roster", details: { vendors: summaries.length } });
  return summaries;
}

/** The same counts, for a caller that records its own read (the dashboard). */
export async function rosterSummaries(ctx: ModuleContext) {
  const rows = await vendorsUnderContract(ctx, { live: true });
  const today = ctx.today;
  const ids = rows.map((r) => r.id);
  const everyone = ids.length ? await ctx.db.select().from(rosterPeople).where(inArray(rosterPeople.vendorId, ids)) : [];
  const pending = ids.length
    ? await ctx.db
        .select({ vendorId: rosterChanges.vendorId, n: sql<number>`count(*)::int` })
        .from(rosterChanges)
        .where(and(inArray(rosterChanges.vendorId, ids), eq(rosterChanges.status, "pending")))
        .groupBy(rosterChanges.vendorId)
    : [];
  return rows.map((v) => {
    const mine = everyone.filter((p) => p.vendorId === v.id);
    return {
      ...v,
      people: mine.filter((p) => !p.accessEndedOn || p.accessEndedOn > today).length,
      flagged: mine.filter((p) => rosterFlags(recordOf(p), today).length > 0).length,
      pending: pending.find((p) => p.vendorId === v.id)?.n ?? 0,
    };
  });
}

/** Agency: one vendor's roster. */
export async function agencyRoster(ctx: ModuleContext, vendorId: string) {
  requirePermission(ctx, "evidence:read");
  const vendor = await agencyVendor(ctx, vendorId);
  const roster = await rosterOf(ctx, vendor.id);
  ctx.audit.record({
    action: "roster.view",
    objectType: "roster",
    objectId: vendor.id,
    details: { people: roster.people.length, pending: roster.pending.length },
  });
  return { vendor, ...roster, canApprove: ctx.actor.permissions.has("roster:approve") };
}

/** Vendor: its own roster. */
export async function portalRoster(ctx: ModuleContext) {
  requirePermission(ctx, "roster:propose:own-vendor");
  const vendor = await vendorSelf(ctx);
  const roster = await rosterOf(ctx, vendor.id);
  ctx.audit.record({
    action: "roster.view",
    objectType: "roster",
    objectId: vendor.id,
    details: { people: roster.people.length, side: "vendor" },
  });
  return { vendor, ...roster };
}

/** Vendor: the form to propose a change, filled with the person's current record. */
export async function proposalForm(ctx: ModuleContext, personId: string | null, options: { audit?: boolean } = { audit: true }) {
  requirePermission(ctx, "roster:propose:own-vendor");
  const vendor = await vendorSelf(ctx);
  if (!personId) return { vendor, person: null };
  if (!isUuid(personId)) throw new NotFound("roster-person", personId);
  const [person] = await ctx.db
    .select()
    .from(rosterPeople)
    .where(and(eq(rosterPeople.id, personId), eq(rosterPeople.vendorId, vendor.id)));
  if (!person) throw new NotFound("roster-person", personId);
  if (options.audit)
    ctx.audit.record({
      action: "roster.person.view",
      objectType: "roster",
      objectId: vendor.id,
      details: { personId, side: "vendor" },
    });
  return { vendor, person };
}

/** Vendor: propose adding a person, or a change to one (the whole record as it should read). */
export async function proposeRosterChange(
  ctx: ModuleContext,
  blobs: BlobStore,
  personId: string | null,
  upload: SpooledUpload | null,
  raw: Record<string, string>,
) {
  requirePermission(ctx, "roster:propose:own-vendor");
  const { vendor, person } = await proposalForm(ctx, personId, { audit: false });
  const parsed = parseRoster(raw, ctx.today);
  const note = (raw.note ?? "").trim();
  const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
  if (note.length > 2000) errors.note = "Keep the note under 2000 characters.";
  if (parsed.ok && person && rosterDiff(recordOf(person), parsed.data).length === 0 && !upload)
    errors.form = "Nothing would change: edit a field or attach the signed page.";
  if (person) {
    const [waiting] = await ctx.db
      .select({ id: rosterChanges.id })
      .from(rosterChanges)
      .where(and(eq(rosterChanges.personId, person.id), eq(rosterChanges.status, "pending")));
    if (waiting) errors.form = "A change for this person is already waiting for approval; wait for the decision.";
  }
  if (Object.keys(errors).length > 0 || !parsed.ok) throw new InvalidInput(errors);
  let fileId: string | null = null;
  if (upload) {
    const { mediaType, sealed } = await checkAndSeal(blobs, ctx.secrets, upload, ["pdf", "png", "jpg"], {
      names: ROSTER_FILE_NAMES,
      what: "the signed page",
    });
    const [file] = await ctx.db
      .insert(rosterFiles)
      .values({
        vendorId: vendor.id,
        filename: upload.filename,
        mediaType,
        sizeBytes: upload.size,
        sha256: upload.sha256,
        ...sealed,
        uploadedBy: ctx.actor.personId,
        uploadedAt: ctx.now,
      })
      .returning({ id: rosterFiles.id });
    fileId = file!.id;
  }
  const [change] = await ctx.db
    .insert(rosterChanges)
    .values({
      vendorId: vendor.id,
      personId: person?.id ?? null,
      kind: person ? "update" : "add",
      proposed: parsed.data,
      addendumFileId: fileId,
      note,
      proposedBy: ctx.actor.personId,
      proposedFrom: ctx.actor.ip,
      proposedAt: ctx.now,
    })
    .returning();
  const agencies = [...new Set((await liveContractsWithVendor(ctx, vendor.id)).map((c) => c.agencyId))];
  const told = toEach(await cjisOfficersOf(ctx.db, agencies), {
    kind: "roster-proposed",
    subject: `${vendor.legalName} proposes a roster change: ${parsed.data.fullName}`,
    body: person
      ? `A change to ${person.fullName}'s record waits for a CJIS officer's approval.`
      : `Adding ${parsed.data.fullName} (${parsed.data.jobRole}) waits for a CJIS officer's approval.`,
    link: rosterPaths.change(change!.id),
    dedupeKey: `roster-change:${change!.id}`,
  });
  await tell(ctx, told);
  ctx.audit.record({
    action: "roster.propose",
    objectType: "roster",
    objectId: vendor.id,
    details: {
      changeId: change!.id,
      kind: change!.kind,
      personId: person?.id ?? null,
      changes: rosterDiff(person ? recordOf(person) : null, parsed.data).map((d) => d.field),
      file: upload ? { fileId, filename: upload.filename, sha256: upload.sha256, bytes: upload.size } : null,
    },
  });
  return { change: change!, told: told.map((t) => t.personId) };
}

async function changeFor(ctx: ModuleContext, changeId: string, options: { forUpdate?: boolean } = {}) {
  if (!isUuid(changeId)) throw new NotFound("roster-change", changeId);
  const query = ctx.db.select().from(rosterChanges).where(eq(rosterChanges.id, changeId));
  const [change] = options.forUpdate ? await query.for("update") : await query;
  if (!change) throw new NotFound("roster-change", changeId);
  const vendor = await agencyVendor(ctx, change.vendorId).catch((error: unknown) => {
    throw error instanceof NotFound ? new NotFound("roster-change", changeId) : error;
  });
  return { change, vendor };
}

/** Agency: one proposed change, against the record as it stands. */
export async function getRosterChange(ctx: ModuleContext, changeId: string) {
  requirePermission(ctx, "evidence:read");
  const { change, vendor } = await changeFor(ctx, changeId);
  const [current] = change.personId ? await ctx.db.select().from(rosterPeople).where(eq(rosterPeople.id, change.personId)) : [];
  const [file] = change.addendumFileId
    ? await ctx.db
        .select({
          id: rosterFiles.id,
          filename: rosterFiles.filename,
          sha256: rosterFiles.sha256,
          sizeBytes: rosterFiles.sizeBytes,
        })
        .from(rosterFiles)
        .where(eq(rosterFiles.id, change.addendumFileId))
    : [];
  const names = await peopleNames(ctx, [change.proposedBy, change.decidedBy]);
  const [decidedBy] = change.decidedByAgencyId
    ? await ctx.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, change.decidedByAgencyId))
    : [];
  const proposed = change.proposed as RosterRecord;
  ctx.audit.record({ action: "roster.change.view", objectType: "roster", objectId: vendor.id, details: { changeId } });
  return {
    change,
    vendor: { id: vendor.id, legalName: vendor.legalName },
    proposed,
    diff: rosterDiff(current ? recordOf(current) : null, proposed),
    flagsAfter: rosterFlags(proposed, ctx.today),
    file: file ?? null,
    proposedByName: change.proposedBy ? (names.get(change.proposedBy) ?? null) : null,
    decidedByName: change.decidedBy ? (names.get(change.decidedBy) ?? null) : null,
    decidedByAgency: decidedBy?.name ?? null,
    canDecide: change.status === "pending" && ctx.actor.permissions.has("roster:approve"),
  };
}

/** Agency: approve (the roster takes the proposed record) or reject (with the reason the vendor sees). */
export async function decideRosterChange(ctx: ModuleContext, changeId: string, raw: { decision: string; reason: string }) {
  requirePermission(ctx, "roster:approve");
  const { change, vendor } = await changeFor(ctx, changeId, { forUpdate: true });
  if (change.status !== "pending") throw new InvalidInput({ form: `This change was already ${change.status}.` });
  const reason = raw.reason.trim();
  if (raw.decision !== "approve" && raw.decision !== "reject") throw new InvalidInput({ decision: "Choose approve or reject." });
  if (raw.decision === "reject" && reason.length < 3)
    throw new InvalidInput({ reason: "Give the reason for rejecting; the vendor sees it." });
  if (reason.length > 2000) throw new InvalidInput({ reason: "Keep the reason under 2000 characters." });
  const proposed = change.proposed as RosterRecord;
  let personId = change.personId;
  if (raw.decision === "approve") {
    const values = {
      ...proposed,
      ...(change.addendumFileId ? { addendumFileId: change.addendumFileId } : {}),
      updatedAt: ctx.now,
    };
    if (personId) await ctx.db.update(rosterPeople).set(values).where(eq(rosterPeople.id, personId));
    else
      personId = (
        await ctx.db
          .insert(rosterPeople)
          .values({ ...values, vendorId: vendor.id, createdAt: ctx.now })
          .returning({ id: rosterPeople.id })
      )[0]!.id;
  }
  await ctx.db
    .update(rosterChanges)
    .set({
      status: raw.decision === "approve" ? "approved" : "rejected",
      personId,
      decidedBy: ctx.actor.personId,
      decidedByAgencyId: orgOf(ctx),
      decidedAt: ctx.now,
      decisionReason: reason || null,
    })
    .where(eq(rosterChanges.id, change.id));
  const told = toEach(await vendorRepresentativesOf(ctx.db, vendor.id), {
    kind: "roster-decided",
    subject: `Roster change for ${proposed.fullName} ${raw.decision === "approve" ? "approved" : "rejected"}`,
    body: raw.decision === "approve" ? "The roster now shows the record as you proposed it." : `Reason: ${reason}`,
    link: rosterPaths.portal(),
    dedupeKey: `roster-decided:${change.id}`,
  });
  await tell(ctx, told);
  ctx.audit.record({
    action: `roster.${raw.decision}`,
    objectType: "roster",
    objectId: vendor.id,
    details: { changeId: change.id, personId, reason: reason || null },
  });
  return { personId, told: told.map((t) => t.personId) };
}

/** A signed Security Addendum page, decrypted on the way out; the read is audited with its bytes. */
export async function openRosterFile(
  ctx: ModuleContext,
  blobs: BlobStore,
  fileId: string,
  side: "agency" | "vendor",
): Promise<{ stream: Readable; filename: string; mediaType: string; size: number; sha256: string }> {
  requirePermission(ctx, side === "agency" ? "evidence:read" : "roster:propose:own-vendor");
  if (!isUuid(fileId)) throw new NotFound("roster-file", fileId);
  const [file] = await ctx.db.select().from(rosterFiles).where(eq(rosterFiles.id, fileId));
  if (!file) throw new NotFound("roster-file", fileId);
  if (side === "agency")
    await agencyVendor(ctx, file.vendorId).catch(() => {
      throw new NotFound("roster-file", fileId);
    });
  else if ((await vendorSelf(ctx)).id !== file.vendorId) throw new NotFound("roster-file", fileId);
  const stream = await openSealedForDownload(blobs, ctx.secrets, file, "", {
    action: "roster.file.download",
    objectType: "roster",
    objectId: file.vendorId,
    outcome: "failed",
    details: { fileId, reason: "blob missing" },
  });
  ctx.audit.record({
    action: "roster.file.download",
    objectType: "roster",
    objectId: file.vendorId,
    details: { fileId, filename: file.filename, sha256: file.sha256, bytes: file.sizeBytes, side },
  });
  return { stream, filename: file.filename, mediaType: file.mediaType, size: file.sizeBytes, sha256: file.sha256 };
}
