import { readFile } from "node:fs/promises";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { frameworks, requirements } from "../../../db/schema/catalog.ts";
import { coverageEntries } from "../../../db/schema/contracts.ts";
import { coverageProposals, type CoverageProposal } from "../../../db/schema/portability.ts";
import type { SpooledUpload } from "../blobs/content.server.ts";
import { qualifiedLabel } from "../catalog/paths.ts";
import { getEditableContract } from "../contracts/contracts.server.ts";
import { setCoverage } from "../contracts/coverage.server.ts";
import { InvalidInput, isUuid, type ModuleContext } from "../context.server.ts";
import { COMPONENT_MAX_MEGABYTES } from "./limits.ts";
import { catalogFileName, controlId } from "./oscal-common.ts";

/**
 * A vendor's OSCAL component definition read into proposals for a contract's coverage matrix. Nothing
 * changes the matrix until the officer accepts a proposal (one by one or all at once); each keeps the
 * vendor's statement and the file it came from, and an accepted one is written as any coverage change
 * is, with its history and audit event. Decision 0027.
 */

export { COMPONENT_MAX_MEGABYTES };

const Prop = z.object({ name: z.string(), value: z.string() }).passthrough();
const Implemented = z
  .object({
    "control-id": z.string().min(1),
    description: z.string().default(""),
    props: z.array(Prop).optional(),
    "responsible-roles": z.array(z.object({ "role-id": z.string() }).passthrough()).optional(),
    statements: z.array(z.object({ description: z.string().default("") }).passthrough()).optional(),
  })
  .passthrough();
const ComponentDefinition = z.object({
  "component-definition": z
    .object({
      components: z
        .array(
          z
            .object({
              title: z.string(),
              "control-implementations": z
                .array(
                  z
                    .object({
                      source: z.string().default(""),
                      "implemented-requirements": z.array(Implemented),
                    })
                    .passthrough(),
                )
                .optional(),
            })
            .passthrough(),
        )
        .default([]),
    })
    .passthrough(),
});

/** OSCAL's implementation-status values as coverage statuses (a statement with none claims it is implemented). */
const STATUS_OF: Record<string, CoverageProposal["status"]> = {
  implemented: "addressed",
  partial: "partial",
  alternative: "partial",
  planned: "missing",
  "not-applicable": "not-applicable",
};
const PROVIDER_ROLES = new Set(["provider", "cloud-service-provider", "csp", "vendor", "maintainer"]);
const AGENCY_ROLES = new Set(["agency", "customer", "consumer", "tenant", "leveraging-organization"]);

/** Read an uploaded component definition into proposals for the contract; refuses what is not one. */
export async function proposeFromComponentDefinition(ctx: ModuleContext, contractId: string, upload: SpooledUpload) {
  const view = await getEditableContract(ctx, contractId);
  if (upload.size > COMPONENT_MAX_MEGABYTES * 1024 * 1024)
    throw new InvalidInput({ file: `The file is larger than ${COMPONENT_MAX_MEGABYTES} MB.` });
  let json: unknown;
  try {
    json = JSON.parse(await readFile(upload.spoolPath, "utf8"));
  } catch {
    throw new InvalidInput({ file: "The file is not JSON. Choose the vendor's OSCAL component definition in JSON form." });
  }
  const parsed = ComponentDefinition.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInput({
      file: `This is not an OSCAL component definition: ${issue.path.length ? `at ${issue.path.join(" › ")}, ` : ""}${issue.message.toLowerCase()}.`,
    });
  }
  // The requirements of the frameworks the contract is measured against, by OSCAL control id.
  const rows = await ctx.db
    .select({
      id: requirements.id,
      kind: requirements.kind,
      code: requirements.code,
      key: frameworks.key,
      version: frameworks.version,
    })
    .from(requirements)
    .innerJoin(frameworks, eq(frameworks.id, requirements.frameworkId))
    .where(
      inArray(
        requirements.frameworkId,
        view.frameworks.map((f) => f.id),
      ),
    )
    .orderBy(asc(requirements.sortOrder));
  const bySource = new Map(rows.map((r) => [`${catalogFileName(r.key, r.version)}#${controlId(r.kind, r.code)}`, r]));
  const byControl = new Map<string, typeof rows>();
  for (const r of rows) byControl.set(controlId(r.kind, r.code), [...(byControl.get(controlId(r.kind, r.code)) ?? []), r]);
  const pending = await ctx.db
    .select({ requirementId: coverageProposals.requirementId, statement: coverageProposals.statement })
    .from(coverageProposals)
    .where(and(eq(coverageProposals.contractId, contractId), isNull(coverageProposals.decision)));
  const seen = new Set(pending.map((p) => `${p.requirementId}\u001f${p.statement}`));
  const unmatched: string[] = [];
  let proposed = 0;
  let repeated = 0;
  for (const component of parsed.data["component-definition"].components) {
    for (const implementation of component["control-implementations"] ?? []) {
      const source = implementation.source.split("/").pop()!.split("#")[0]!;
      for (const ir of implementation["implemented-requirements"]) {
        const cid = ir["control-id"].trim().toLowerCase();
        const candidates = byControl.get(cid) ?? [];
        const target = bySource.get(`${source}#${cid}`) ?? (candidates.length === 1 ? candidates[0] : undefined);
        if (!target) {
          unmatched.push(ir["control-id"]);
          continue;
        }
        const statement = [ir.description, ...(ir.statements ?? []).map((s) => s.description)]
          .map((t) => t.trim())
          .filter(Boolean)
          .join("\n\n")
          .slice(0, 4000);
        if (!statement) {
          unmatched.push(`${ir["control-id"]} (no statement)`);
          continue;
        }
        if (seen.has(`${target.id}\u001f${statement}`)) {
          repeated += 1;
          continue;
        }
        seen.add(`${target.id}\u001f${statement}`);
        const status = (ir.props ?? []).find((p) => p.name === "implementation-status")?.value;
        const roles = new Set((ir["responsible-roles"] ?? []).map((r) => r["role-id"].toLowerCase()));
        const provider = [...roles].some((r) => PROVIDER_ROLES.has(r));
        const agency = [...roles].some((r) => AGENCY_ROLES.has(r));
        await ctx.db.insert(coverageProposals).values({
          contractId,
          requirementId: target.id,
          status: (status && STATUS_OF[status]) || "addressed",
          responsibility: provider && agency ? "shared" : provider ? "provider" : agency ? "agency" : null,
          statement,
          componentTitle: component.title.slice(0, 300),
          controlId: ir["control-id"].slice(0, 100),
          sourceFilename: upload.filename,
          sourceSha256: upload.sha256,
          proposedBy: ctx.actor.personId,
          proposedAt: ctx.now,
        });
        proposed += 1;
      }
    }
  }
  ctx.audit.record({
    action: "contract.coverage.proposals.import",
    objectType: "contract",
    objectId: contractId,
    organisationId: view.contract.agencyId,
    details: { filename: upload.filename, sha256: upload.sha256, proposed, repeated, unmatched: unmatched.slice(0, 50) },
  });
  return { proposed, repeated, unmatched };
}

/** The proposals waiting for a decision (for those who may change the contract), each with the requirement and its status today. */
export async function pendingProposals(ctx: ModuleContext, contractId: string) {
  const view = await getEditableContract(ctx, contractId);
  const rows = await ctx.db
    .select({
      proposal: coverageProposals,
      code: requirements.code,
      kind: requirements.kind,
      title: requirements.title,
      current: coverageEntries.status,
      currentSection: coverageEntries.section,
    })
    .from(coverageProposals)
    .innerJoin(requirements, eq(requirements.id, coverageProposals.requirementId))
    .leftJoin(
      coverageEntries,
      and(
        eq(coverageEntries.contractId, coverageProposals.contractId),
        eq(coverageEntries.requirementId, coverageProposals.requirementId),
      ),
    )
    .where(and(eq(coverageProposals.contractId, contractId), isNull(coverageProposals.decision)))
    .orderBy(asc(requirements.sortOrder), asc(coverageProposals.proposedAt));
  ctx.audit.record({
    action: "contract.coverage.proposals.read",
    objectType: "contract",
    objectId: contractId,
    organisationId: view.contract.agencyId,
    details: { pending: rows.length },
  });
  return {
    view,
    proposals: rows.map((r) => ({
      ...r.proposal,
      label: qualifiedLabel(r),
      title: r.title,
      current: r.current ?? "unassessed",
      currentSection: r.currentSection ?? "",
    })),
  };
}

/** Accept (write into the matrix) or dismiss proposals: the ones named, or every one waiting. */
export async function decideProposals(
  ctx: ModuleContext,
  contractId: string,
  input: { ids: string[] | "all"; decision: "accept" | "dismiss" },
) {
  const view = await getEditableContract(ctx, contractId);
  const ids = input.ids === "all" ? null : input.ids.filter(isUuid);
  if (ids !== null && ids.length === 0) throw new InvalidInput({ proposals: "Choose at least one proposal." });
  const chosen = await ctx.db
    .select()
    .from(coverageProposals)
    .where(
      and(
        eq(coverageProposals.contractId, contractId),
        isNull(coverageProposals.decision),
        ids === null ? undefined : inArray(coverageProposals.id, ids),
      ),
    )
    .orderBy(asc(coverageProposals.proposedAt));
  if (chosen.length === 0)
    throw new InvalidInput({ proposals: "Those proposals were already decided, or are not this contract's." });
  for (const p of chosen) {
    if (input.decision === "accept") {
      await setCoverage(ctx, contractId, [p.requirementId], {
        status: p.status,
        section: p.status === "addressed" || p.status === "partial" ? `Vendor component “${p.componentTitle}”`.slice(0, 300) : "",
        notes: `From ${p.sourceFilename} (SHA-256 ${p.sourceSha256}), ${p.controlId}: ${p.statement}`.slice(0, 4000),
        reason: p.status === "not-applicable" ? p.statement.slice(0, 1000) : "",
        responsibility: p.responsibility ?? "",
      });
    }
    await ctx.db
      .update(coverageProposals)
      .set({
        decision: input.decision === "accept" ? "accepted" : "dismissed",
        decidedBy: ctx.actor.personId,
        decidedAt: ctx.now,
      })
      .where(eq(coverageProposals.id, p.id));
  }
  ctx.audit.record({
    action: input.decision === "accept" ? "contract.coverage.proposals.accept" : "contract.coverage.proposals.dismiss",
    objectType: "contract",
    objectId: contractId,
    organisationId: view.contract.agencyId,
    details: { proposals: chosen.map((p) => p.id), requirements: chosen.length },
  });
  return { decided: chosen.length };
}
