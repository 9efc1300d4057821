import { asc, eq, inArray } from "drizzle-orm";
import { organisations } from "../../../db/schema/access.ts";
import { evidenceKinds } from "../../../db/schema/catalog.ts";
import {
  type EvidenceItem,
  evidenceFiles,
  evidenceItemContracts,
  evidenceItemRequirements,
  evidenceVersions,
} from "../../../db/schema/evidence.ts";
import { vendors } from "../../../db/schema/vendors.ts";
import { requirementTexts } from "../catalog/catalog.server.ts";
import type { ModuleContext } from "../context.server.ts";
import { contractsByIds, peopleNames } from "../contracts/contracts.server.ts";

import { shownStatus } from "./vocabulary.ts";

/**
 * One evidence item with everything about it: its kind, the contracts and
 * requirements it supports, every version with its files, attestation and
 * decision. The vendor's view leaves out what is the agency's own: internal
 * notes and who on the agency side decided.
 */
/** The contracts and requirements an item supports. */
export async function itemLinks(ctx: Pick<ModuleContext, "db">, itemId: string) {
  const contractIds = (
    await ctx.db
      .select({ id: evidenceItemContracts.contractId })
      .from(evidenceItemContracts)
      .where(eq(evidenceItemContracts.itemId, itemId))
  ).map((r) => r.id);
  const requirementIds = (
    await ctx.db
      .select({ id: evidenceItemRequirements.requirementId })
      .from(evidenceItemRequirements)
      .where(eq(evidenceItemRequirements.itemId, itemId))
  ).map((r) => r.id);
  return { contractIds, requirementIds };
}

export async function itemDetails(ctx: ModuleContext, item: EvidenceItem, view: "agency" | "vendor") {
  const [kind] = await ctx.db.select().from(evidenceKinds).where(eq(evidenceKinds.id, item.kindId));
  const [names] = await ctx.db
    .select({ vendorName: vendors.legalName, agencyName: organisations.name })
    .from(vendors)
    .innerJoin(organisations, eq(organisations.id, item.agencyId))
    .where(eq(vendors.id, item.vendorId));
  const { contractIds, requirementIds } = await itemLinks(ctx, item.id);
  const contracts = (await contractsByIds(ctx, contractIds)).map((c) => ({
    id: c.id,
    title: c.title,
    reference: c.reference,
    terms: c.terms,
  }));
  const requirements = await requirementTexts(ctx, requirementIds);
  const versions = await ctx.db
    .select()
    .from(evidenceVersions)
    .where(eq(evidenceVersions.itemId, item.id))
    .orderBy(asc(evidenceVersions.version));
  const files = versions.length
    ? await ctx.db
        .select()
        .from(evidenceFiles)
        .where(
          inArray(
            evidenceFiles.versionId,
            versions.map((v) => v.id),
          ),
        )
        .orderBy(asc(evidenceFiles.uploadedAt))
    : [];
  const who = await peopleNames(
    ctx,
    versions.flatMap((v) => [v.submittedBy, v.decidedBy, v.reviewStartedBy]).concat(item.requestedBy),
  );
  const today = ctx.today;
  return {
    item: {
      id: item.id,
      title: item.title,
      status: item.status,
      shown: shownStatus(item, today),
      dueOn: item.dueOn,
      expiresOn: item.expiresOn,
      instructions: item.instructions,
      internalNotes: view === "agency" && item.agencyId === ctx.actor.organisationId ? item.internalNotes : null,
      recurrenceMonths: item.recurrenceMonths,
      previousId: item.previousId,
      flags: item.flags,
      createdAt: item.createdAt,
      requestedByName: view === "agency" && item.requestedBy ? (who.get(item.requestedBy) ?? null) : null,
      agencyId: item.agencyId,
    },
    kind: { key: kind!.key, name: kind!.name, description: kind!.description, renewalMonths: kind!.renewalMonths },
    vendorId: item.vendorId,
    vendorName: names?.vendorName ?? "",
    agencyName: names?.agencyName ?? "",
    contracts: contracts.map(({ terms: _terms, ...c }) => c),
    terms: contracts.map((c) => c.terms),
    requirements,
    versions: versions
      .map((v) => ({
        id: v.id,
        version: v.version,
        status: v.status,
        issuedOn: v.issuedOn,
        validFrom: v.validFrom,
        expiresOn: v.expiresOn,
        fields: v.fields as Record<string, string | number>,
        flags: v.flags,
        submittedAt: v.submittedAt,
        submittedByName: v.submittedBy ? (who.get(v.submittedBy) ?? "—") : "—",
        submittedFrom: view === "agency" ? v.submittedFrom : null,
        submittedByKind: v.submittedByOrganisationKind,
        attestation: v.attestationName
          ? { name: v.attestationName, title: v.attestationTitle ?? "", statement: v.attestationStatement ?? "" }
          : null,
        reviewStartedAt: v.reviewStartedAt,
        decidedAt: v.decidedAt,
        decidedByName: view === "agency" && v.decidedBy ? (who.get(v.decidedBy) ?? "—") : null,
        decisionReason: v.decisionReason,
        files: files
          .filter((f) => f.versionId === v.id)
          .map((f) => ({ id: f.id, filename: f.filename, mediaType: f.mediaType, sizeBytes: f.sizeBytes, sha256: f.sha256 })),
      }))
      .reverse(),
  };
}
