import { z } from "zod";
import { evidenceItemContracts, evidenceItemRequirements, evidenceItems } from "../../../db/schema/evidence.ts";
import { evidenceKindList, requirementsForEvidence } from "../catalog/catalog.server.ts";
import { InvalidInput, isUuid, type ModuleContext, requirePermission } from "../context.server.ts";
import { getContract, listContracts, ownedContractsWithVendor } from "../contracts/contracts.server.ts";
import { addMonths } from "../dates.ts";
import { blank, day, keys } from "../form-fields.ts";
import { parseInput } from "../validation.server.ts";
import { NOTICE_KIND_KEYS } from "../notices/kinds.ts";
import { RECURRENCE_LABELS } from "./vocabulary.ts";

/**
 * Asking a vendor for evidence: of one kind, for one of the agency's contracts
 * (and any others it holds with the same vendor), for the requirements the
 * kind supports (pre-filled from the catalog, editable), by a due date. A
 * request can recur: the next one is created when this one is accepted.
 */

/** Kinds that can be asked for: notices are filed when something happens, not requested. */
export async function requestableKinds(ctx: Pick<ModuleContext, "db">) {
  const kinds = await evidenceKindList(ctx);
  return kinds.filter((k) => !(NOTICE_KIND_KEYS as readonly string[]).includes(k.key));
}

/**
 * What the request form offers. Without a contract and kind: the agency's contracts and the
 * kinds (step one). With them: the requirements, the other contracts with that vendor and the
 * ways the request may recur.
 */
export async function requestFormOptions(
  ctx: ModuleContext,
  chosen: { contractId?: string; kind?: string },
  options: { audit?: boolean } = {},
) {
  requirePermission(ctx, "evidence:request");
  const contracts = (await listContracts(ctx, {}, { audit: false })).filter((c) => c.owned && c.stage !== "terminated");
  const kinds = await requestableKinds(ctx);
  const kind = kinds.find((k) => k.key === chosen.kind) ?? null;
  const contract = chosen.contractId && isUuid(chosen.contractId) ? contracts.find((c) => c.id === chosen.contractId) : undefined;
  if (!kind || !contract) {
    if (options.audit !== false)
      ctx.audit.record({ action: "evidence.request.form", objectType: "evidence-item", details: { step: "choose" } });
    return { step: "choose" as const, contracts, kinds, chosen };
  }
  const view = await getContract(ctx, contract.id, { audit: false });
  const requirements = await requirementsForEvidence(
    ctx,
    kind.id,
    view.frameworks.map((f) => f.id),
  );
  const sameVendor = (await ownedContractsWithVendor(ctx, view.contract.vendorId)).filter((c) => c.id !== contract.id);
  const recurrence: { value: keyof typeof RECURRENCE_LABELS; label: string }[] = [
    { value: "once", label: RECURRENCE_LABELS.once },
  ];
  if (kind.renewalMonths)
    recurrence.push({ value: "kind", label: `Every ${kind.renewalMonths} months (how often this kind of evidence is renewed)` });
  recurrence.push({
    value: "audit-interval",
    label: `Every ${view.terms.auditIntervalMonths} months (the contract's audit interval)`,
  });
  if (options.audit !== false)
    ctx.audit.record({
      action: "evidence.request.form",
      objectType: "contract",
      objectId: contract.id,
      details: { step: "details", kind: kind.key },
    });
  return {
    step: "details" as const,
    contracts,
    kinds,
    chosen,
    kind,
    contract: {
      id: view.contract.id,
      title: view.contract.title,
      vendorId: view.contract.vendorId,
      vendorName: view.vendorName,
      auditIntervalMonths: view.terms.auditIntervalMonths,
    },
    sameVendor,
    requirements,
    recurrence,
    suggestedDue: addMonths(ctx.today, 1),
  };
}

const ids = (message: string) =>
  z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().refine(isUuid, { message })));

export const RequestSchema = z.object({
  contractId: z.string({ message: "Choose the contract." }).refine(isUuid, { message: "Choose the contract." }),
  kind: z.string({ message: "Choose the kind of evidence." }).min(1, { message: "Choose the kind of evidence." }),
  otherContractIds: ids("Choose contracts from the list."),
  requirementIds: ids("Choose requirements from the list.").refine((v) => v.length > 0, {
    message: "Tick at least one requirement this evidence should support.",
  }),
  title: z.preprocess(blank, z.string().max(200, { message: "Keep the title under 200 characters." }).optional()),
  dueOn: day("due date").refine((v) => v !== undefined, { message: "Enter the date the evidence is due." }),
  instructions: z.preprocess(
    blank,
    z.string().max(4000, { message: "Keep the instructions under 4,000 characters." }).optional(),
  ),
  internalNotes: z.preprocess(blank, z.string().max(4000, { message: "Keep the notes under 4,000 characters." }).optional()),
  recurrence: z.enum(keys(RECURRENCE_LABELS), { message: "Choose whether the request recurs." }),
});

/** Create a request: the item starts "requested"; the vendor sees it in the portal at once. */
export async function requestEvidence(ctx: ModuleContext, raw: unknown) {
  requirePermission(ctx, "evidence:request");
  const input = parseInput(RequestSchema, raw);
  // The request itself is the event; checking it against the form's options is not a second read.
  const options = await requestFormOptions(ctx, { contractId: input.contractId, kind: input.kind }, { audit: false });
  if (options.step !== "details") {
    throw new InvalidInput(
      options.kinds.some((k) => k.key === input.kind)
        ? { contractId: "Choose one of your agency's contracts." }
        : { kind: "Choose the kind of evidence." },
    );
  }
  const today = ctx.today;
  if (input.dueOn! < today) throw new InvalidInput({ dueOn: "The due date cannot be in the past." });
  const allowedRequirements = new Set(options.requirements.map((r) => r.id));
  if (!input.requirementIds.every((id) => allowedRequirements.has(id)))
    throw new InvalidInput({ requirementIds: "Choose requirements the contract is measured against." });
  const others = new Set(options.sameVendor.map((c) => c.id));
  if (!input.otherContractIds.every((id) => others.has(id)))
    throw new InvalidInput({ otherContractIds: "Other contracts must be your agency's contracts with the same vendor." });
  const recurrenceMonths =
    input.recurrence === "kind"
      ? options.kind.renewalMonths
      : input.recurrence === "audit-interval"
        ? options.contract.auditIntervalMonths
        : null;
  if (input.recurrence === "kind" && !recurrenceMonths)
    throw new InvalidInput({ recurrence: "This kind of evidence has no usual renewal period; choose another." });

  const [item] = await ctx.db
    .insert(evidenceItems)
    .values({
      agencyId: ctx.actor.organisationId!,
      vendorId: options.contract.vendorId,
      kindId: options.kind.id,
      title: input.title ?? options.kind.name,
      status: "requested",
      dueOn: input.dueOn!,
      instructions: input.instructions ?? "",
      internalNotes: input.internalNotes ?? "",
      recurrenceMonths,
      requestedBy: ctx.actor.personId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  const contractIds = [input.contractId, ...input.otherContractIds];
  await ctx.db.insert(evidenceItemContracts).values(contractIds.map((contractId) => ({ itemId: item!.id, contractId })));
  await ctx.db
    .insert(evidenceItemRequirements)
    .values(input.requirementIds.map((requirementId) => ({ itemId: item!.id, requirementId })));
  ctx.audit.record({
    action: "evidence.request",
    objectType: "evidence-item",
    objectId: item!.id,
    details: {
      kind: options.kind.key,
      vendorId: options.contract.vendorId,
      contractIds,
      requirementIds: input.requirementIds,
      dueOn: input.dueOn,
      recurrenceMonths,
    },
  });
  return item!;
}

/** The next request of a recurring series, created when the last one is accepted. */
export async function createNextInSeries(
  ctx: ModuleContext,
  previous: typeof evidenceItems.$inferSelect,
  contractIds: string[],
  requirementIds: string[],
) {
  if (!previous.recurrenceMonths) return null;
  const base = previous.dueOn ?? ctx.today;
  const [next] = await ctx.db
    .insert(evidenceItems)
    .values({
      agencyId: previous.agencyId,
      vendorId: previous.vendorId,
      kindId: previous.kindId,
      title: previous.title,
      status: "requested",
      dueOn: addMonths(base, previous.recurrenceMonths),
      instructions: previous.instructions,
      internalNotes: previous.internalNotes,
      recurrenceMonths: previous.recurrenceMonths,
      previousId: previous.id,
      requestedBy: previous.requestedBy,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  if (contractIds.length)
    await ctx.db.insert(evidenceItemContracts).values(contractIds.map((contractId) => ({ itemId: next!.id, contractId })));
  if (requirementIds.length)
    await ctx.db
      .insert(evidenceItemRequirements)
      .values(requirementIds.map((requirementId) => ({ itemId: next!.id, requirementId })));
  ctx.audit.record({
    action: "evidence.request.recur",
    objectType: "evidence-item",
    objectId: next!.id,
    details: { previousId: previous.id, dueOn: next!.dueOn, recurrenceMonths: previous.recurrenceMonths },
  });
  return next!;
}
