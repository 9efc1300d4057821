import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { alias, type AnyPgColumn, type AnyPgTable } from "drizzle-orm/pg-core";
import { queryRows } from "../../../db/client.ts";
import { organisations, people } from "../../../db/schema/access.ts";
import { frameworks } from "../../../db/schema/catalog.ts";
import { contractFrameworks, contracts, contractShares, contractTerms, type Contract } from "../../../db/schema/contracts.ts";
import { vendors } from "../../../db/schema/vendors.ts";
import { freezeFrameworkRevision } from "../catalog/catalog.server.ts";
import { InvalidInput, isUuid, type ModuleContext, NO_ORGANISATION, NotFound, requirePermission } from "../context.server.ts";
import { lifecycleOf } from "./lifecycle.ts";

import { checkContract, type ContractValues } from "./contract-form.ts";

/**
 * Contracts: owned by one agency, visible to the agencies it is shared with,
 * changed only by the owner's procurement officers. Status comes from the
 * dates (lifecycle.ts); the terms that drive deadlines live in contract_terms.
 */

const orgOf = (ctx: ModuleContext) => ctx.actor.organisationId ?? NO_ORGANISATION;

/** Contracts the actor's agency owns or has been given a share of (`table`: contracts, or an alias of it). */
export function visibleToActor(ctx: ModuleContext, table: { agencyId: AnyPgColumn; id: AnyPgColumn } = contracts) {
  const org = orgOf(ctx);
  // "in (subquery)" is planned as one hashed lookup of the agency's shares, not one probe per contract.
  return sql`(${table.agencyId} = ${org} or ${table.id} in (select s.contract_id from contract_shares s where s.agency_id = ${org}))`;
}

/** The frameworks a new contract is measured against: the latest principles, provisions and CJIS policy. */
async function defaultFrameworks(ctx: Pick<ModuleContext, "db">) {
  const rows = await ctx.db
    .select({
      id: frameworks.id,
      key: frameworks.key,
      version: frameworks.version,
      revision: frameworks.revision,
      title: frameworks.title,
      shortTitle: frameworks.shortTitle,
      position: frameworks.position,
    })
    .from(frameworks)
    .orderBy(asc(frameworks.position), desc(frameworks.version), desc(frameworks.revision));
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!latest.has(r.key)) latest.set(r.key, r);
  const all = [...latest.values()];
  return {
    all,
    defaults: all.filter((f) => ["iacp-principles", "iacp-provisions", "cjis-policy"].includes(f.key)),
    cjisVersions: rows.filter((r) => r.key === "cjis-policy"),
  };
}

/** Contracts the actor sees, with their computed lifecycle; `audit: false` for callers that record their own read. */
export async function listContracts(
  ctx: ModuleContext,
  filter: { vendorId?: string; status?: string } = {},
  options: { audit?: boolean } = {},
) {
  requirePermission(ctx, "contract:read");
  const rows = await ctx.db
    .select({
      id: contracts.id,
      title: contracts.title,
      reference: contracts.reference,
      kind: contracts.kind,
      stage: contracts.stage,
      effectiveOn: contracts.effectiveOn,
      endsOn: contracts.endsOn,
      autoRenew: contracts.autoRenew,
      renewalTermMonths: contracts.renewalTermMonths,
      noticePeriodDays: contracts.noticePeriodDays,
      terminatedOn: contracts.terminatedOn,
      agencyId: contracts.agencyId,
      agencyName: organisations.name,
      vendorId: contracts.vendorId,
      vendorName: vendors.legalName,
      valueCents: contracts.valueCents,
    })
    .from(contracts)
    .innerJoin(organisations, eq(organisations.id, contracts.agencyId))
    .innerJoin(vendors, eq(vendors.id, contracts.vendorId))
    .where(
      and(visibleToActor(ctx), filter.vendorId && isUuid(filter.vendorId) ? eq(contracts.vendorId, filter.vendorId) : undefined),
    )
    .orderBy(asc(contracts.title));
  const today = ctx.today;
  const result = rows
    .map((r) => ({ ...r, owned: r.agencyId === ctx.actor.organisationId, lifecycle: lifecycleOf(r, today) }))
    .filter((r) => !filter.status || r.lifecycle.status === filter.status);
  if (options.audit !== false)
    ctx.audit.record({ action: "contract.list.read", objectType: "contract", details: { filter, count: result.length } });
  return result;
}

export type MeasuredAgainst = { id: string; key: string; version: string; revision: number; shortTitle: string; title: string };
type FamilyMember = { id: string; title: string; kind: Contract["kind"]; parentId: string | null };

/** One contract the actor can see, with its terms, sharing and frameworks. */
export async function getContract(ctx: ModuleContext, contractId: string, options: { audit?: boolean } = {}) {
  requirePermission(ctx, "contract:read");
  if (!isUuid(contractId)) throw new NotFound("contract", contractId);
  // One statement: the contract with its terms, and as JSON its shares, frameworks, the CJIS policy version its
  // terms cite, its parent and its children (each only if the actor may see it). Every page about a contract
  // reads this; six round trips to the database were most of its cost (decision 0031).
  // In a raw subquery an alias names only itself; `from` needs the table and the alias (drizzle writes the former).
  const as = (table: AnyPgTable, name: string) => sql`${table} ${sql.identifier(name)}`;
  const shareAgency = alias(organisations, "share_agency");
  const cited = alias(frameworks, "cited_framework");
  const parent = alias(contracts, "parent_contract");
  const child = alias(contracts, "child_contract");
  const family = (c: Record<"id" | "title" | "kind" | "parentId", AnyPgColumn>) =>
    sql`json_build_object('id', ${c.id}, 'title', ${c.title}, 'kind', ${c.kind}, 'parentId', ${c.parentId})`;
  const [row] = await ctx.db
    .select({
      contract: contracts,
      terms: contractTerms,
      agencyName: organisations.name,
      vendorName: vendors.legalName,
      vendorTradeName: vendors.tradeName,
      shares: sql<{ agencyId: string; name: string; sharedAt: string }[]>`(select coalesce(json_agg(json_build_object(
          'agencyId', ${contractShares.agencyId}, 'name', ${shareAgency.name}, 'sharedAt', ${contractShares.sharedAt})
          order by ${shareAgency.name}), '[]'::json)
        from ${contractShares} inner join ${as(organisations, "share_agency")} on ${shareAgency.id} = ${contractShares.agencyId}
        where ${contractShares.contractId} = ${contracts.id})`,
      frameworks: sql<MeasuredAgainst[]>`(select coalesce(json_agg(json_build_object(
          'id', ${frameworks.id}, 'key', ${frameworks.key}, 'version', ${frameworks.version}, 'revision', ${frameworks.revision},
          'shortTitle', ${frameworks.shortTitle}, 'title', ${frameworks.title}) order by ${frameworks.position}), '[]'::json)
        from ${contractFrameworks} inner join ${frameworks} on ${frameworks.id} = ${contractFrameworks.frameworkId}
        where ${contractFrameworks.contractId} = ${contracts.id})`,
      cjisCited: sql<{ version: string; published: string; shortTitle: string } | null>`(select json_build_object(
          'version', ${cited.version}, 'published', ${cited.published}, 'shortTitle', ${cited.shortTitle})
        from ${as(frameworks, "cited_framework")} where ${cited.id} = ${contractTerms.cjisFrameworkId})`,
      parent: sql<FamilyMember | null>`(select ${family(parent)} from ${as(contracts, "parent_contract")}
        where ${parent.id} = ${contracts.parentId} and ${visibleToActor(ctx, parent)})`,
      children: sql<
        FamilyMember[]
      >`(select coalesce(json_agg(${family(child)} order by ${child.effectiveOn}, ${child.title}, ${child.id}), '[]'::json)
        from ${as(contracts, "child_contract")} where ${child.parentId} = ${contracts.id} and ${visibleToActor(ctx, child)})`,
    })
    .from(contracts)
    .innerJoin(contractTerms, eq(contractTerms.contractId, contracts.id))
    .innerJoin(organisations, eq(organisations.id, contracts.agencyId))
    .innerJoin(vendors, eq(vendors.id, contracts.vendorId))
    .where(and(eq(contracts.id, contractId), visibleToActor(ctx)));
  if (!row) throw new NotFound("contract", contractId);
  const terms = row.terms;
  const shares = row.shares.map((s) => ({ ...s, sharedAt: new Date(s.sharedAt) }));
  const owned = row.contract.agencyId === ctx.actor.organisationId;
  if (options.audit !== false)
    ctx.audit.record({
      action: "contract.read",
      objectType: "contract",
      objectId: contractId,
      organisationId: row.contract.agencyId,
    });
  return {
    contract: row.contract,
    agencyName: row.agencyName,
    vendorName: row.vendorName,
    vendorTradeName: row.vendorTradeName,
    terms,
    cjisCited: row.cjisCited,
    shares,
    frameworks: row.frameworks,
    parent: row.parent,
    children: row.children,
    lifecycle: lifecycleOf(row.contract, ctx.today),
    owned,
    canEdit: owned && ctx.actor.permissions.has("contract:edit"),
  };
}

/** The contract, if the actor's agency owns it and the actor may change it; otherwise NotFound (404). */
export async function getEditableContract(
  ctx: ModuleContext,
  contractId: string,
  options: { audit?: boolean } = { audit: false },
) {
  requirePermission(ctx, "contract:edit");
  const view = await getContract(ctx, contractId, options);
  if (!view.canEdit) throw new NotFound("contract", contractId);
  return view;
}

/** What the contract form offers: vendors, the agency's contracts (to amend), other agencies, frameworks. */
export async function contractFormOptions(ctx: ModuleContext, exceptContractId?: string) {
  requirePermission(ctx, "contract:edit");
  const vendorOptions = await ctx.db
    .select({ id: vendors.id, name: vendors.legalName })
    .from(vendors)
    .orderBy(asc(vendors.legalName));
  const parentOptions = await ctx.db
    .select({ id: contracts.id, title: contracts.title })
    .from(contracts)
    .where(and(eq(contracts.agencyId, orgOf(ctx)), exceptContractId ? ne(contracts.id, exceptContractId) : undefined))
    .orderBy(asc(contracts.title));
  const agencies = await ctx.db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(and(eq(organisations.kind, "agency"), eq(organisations.status, "active"), ne(organisations.id, orgOf(ctx))))
    .orderBy(asc(organisations.name));
  const fw = await defaultFrameworks(ctx);
  ctx.audit.record({
    action: "contract.form.read",
    objectType: "contract",
    objectId: exceptContractId,
    details: { vendors: vendorOptions.length, agencies: agencies.length },
  });
  return {
    vendors: vendorOptions,
    parents: parentOptions,
    agencies,
    frameworks: fw.all,
    defaultFrameworkIds: fw.defaults.map((f) => f.id),
    cjisVersions: fw.cjisVersions,
  };
}

function parseContract(raw: unknown): ContractValues {
  const result = checkContract((raw ?? {}) as Record<string, unknown>);
  if ("errors" in result) throw new InvalidInput(result.errors);
  return result.values;
}

async function checkReferences(ctx: ModuleContext, input: ContractValues, contractId?: string) {
  const errors: Record<string, string> = {};
  const [vendor] = await ctx.db.select({ id: vendors.id }).from(vendors).where(eq(vendors.id, input.vendorId));
  if (!vendor) errors.vendorId = "Choose the vendor from the list (register it first if it is new).";
  if (input.parentId) {
    const [parent] = await ctx.db
      .select({ id: contracts.id, parentId: contracts.parentId })
      .from(contracts)
      .where(and(eq(contracts.id, input.parentId), eq(contracts.agencyId, orgOf(ctx))));
    if (!parent || parent.id === contractId) errors.parentId = "Choose one of your agency's other contracts.";
  }
  if (input.sharedWith.length > 0) {
    const found = await ctx.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(
        and(
          inArray(organisations.id, input.sharedWith),
          eq(organisations.kind, "agency"),
          eq(organisations.status, "active"),
          ne(organisations.id, orgOf(ctx)),
        ),
      );
    if (found.length !== new Set(input.sharedWith).size)
      errors.sharedWith = "Share only with other participating agencies from the list.";
  }
  const fw = await defaultFrameworks(ctx);
  if (input.frameworkIds?.length === 0) errors.frameworkIds = "Measure the contract against at least one framework.";
  const frameworkIds = input.frameworkIds?.length ? input.frameworkIds : fw.defaults.map((f) => f.id);
  const known = await ctx.db
    .select({ id: frameworks.id, key: frameworks.key })
    .from(frameworks)
    .where(inArray(frameworks.id, frameworkIds));
  if (known.length !== new Set(frameworkIds).size) errors.frameworkIds = "Choose frameworks from the list.";
  if (new Set(known.map((k) => k.key)).size !== known.length)
    errors.frameworkIds = "Measure the contract against one version of each framework.";
  let cjisFrameworkId = input.cjisFrameworkId ?? fw.cjisVersions[0]?.id ?? null;
  if (input.cjisFrameworkId && !fw.cjisVersions.some((v) => v.id === input.cjisFrameworkId))
    errors.cjisFrameworkId = "Choose a CJIS Security Policy version from the list.";
  if (!cjisFrameworkId) cjisFrameworkId = null;
  if (Object.keys(errors).length > 0) throw new InvalidInput(errors);
  return { frameworkIds: [...new Set(frameworkIds)], cjisFrameworkId };
}

function contractColumns(input: ContractValues) {
  return {
    kind: input.kind,
    parentId: input.parentId ?? null,
    vendorId: input.vendorId,
    title: input.title,
    reference: input.reference ?? null,
    services: input.services ?? "",
    valueCents: input.valueCents ?? null,
    stage: input.stage,
    signedOn: input.signedOn ?? null,
    effectiveOn: input.effectiveOn ?? null,
    endsOn: input.endsOn ?? null,
    autoRenew: input.autoRenew,
    renewalTermMonths: input.renewalTermMonths ?? null,
    noticePeriodDays: input.noticePeriodDays ?? null,
    terminatedOn: input.stage === "terminated" ? (input.terminatedOn ?? null) : null,
    terminationReason: input.stage === "terminated" ? (input.terminationReason ?? null) : null,
  };
}

function termColumns(input: ContractValues, cjisFrameworkId: string | null) {
  return {
    breachNoticeHours: input.breachNoticeHours ?? 1,
    legalProcessNoticeHours: input.legalProcessNoticeHours ?? 72,
    auditIntervalMonths: input.auditIntervalMonths ?? 12,
    minCyberInsuranceCents: input.minCyberInsuranceCents ?? null,
    availabilityCritical: input.availabilityCritical ?? null,
    availabilityEssential: input.availabilityEssential ?? null,
    availabilityStandard: input.availabilityStandard ?? null,
    availabilityArchive: input.availabilityArchive ?? null,
    locationChangeNoticeDays: input.locationChangeNoticeDays ?? 30,
    businessChangeNoticeDays: input.businessChangeNoticeDays ?? 30,
    personnelRosterRequired: input.personnelRosterRequired,
    cjisFrameworkId,
  };
}

async function writeSharesAndFrameworks(
  ctx: ModuleContext,
  contractId: string,
  sharedWith: string[],
  frameworkIds: string[],
  cjisFrameworkId: string | null,
) {
  const currentShares = (
    await ctx.db
      .select({ agencyId: contractShares.agencyId })
      .from(contractShares)
      .where(eq(contractShares.contractId, contractId))
  ).map((s) => s.agencyId);
  const wanted = new Set(sharedWith);
  const added = [...wanted].filter((a) => !currentShares.includes(a));
  const removed = currentShares.filter((a) => !wanted.has(a));
  if (removed.length > 0)
    await ctx.db
      .delete(contractShares)
      .where(and(eq(contractShares.contractId, contractId), inArray(contractShares.agencyId, removed)));
  if (added.length > 0)
    await ctx.db
      .insert(contractShares)
      .values(added.map((agencyId) => ({ contractId, agencyId, sharedBy: ctx.actor.personId, sharedAt: ctx.now })));
  for (const agencyId of added)
    ctx.audit.record({
      action: "contract.share",
      objectType: "contract",
      objectId: contractId,
      details: { sharedWith: agencyId },
    });
  for (const agencyId of removed)
    ctx.audit.record({
      action: "contract.unshare",
      objectType: "contract",
      objectId: contractId,
      details: { sharedWith: agencyId },
    });

  const currentFrameworks = (
    await ctx.db
      .select({ id: contractFrameworks.frameworkId })
      .from(contractFrameworks)
      .where(eq(contractFrameworks.contractId, contractId))
  ).map((f) => f.id);
  const frameworkChange = JSON.stringify([...currentFrameworks].sort()) !== JSON.stringify([...frameworkIds].sort());
  if (frameworkChange) {
    await ctx.db.delete(contractFrameworks).where(eq(contractFrameworks.contractId, contractId));
    await ctx.db.insert(contractFrameworks).values(frameworkIds.map((frameworkId) => ({ contractId, frameworkId })));
  }
  // A revision a contract cites is frozen: the catalog loader never rewrites it.
  for (const id of new Set([...frameworkIds, ...(cjisFrameworkId ? [cjisFrameworkId] : [])]))
    await freezeFrameworkRevision(ctx, id);
  return { added, removed, frameworkChange: frameworkChange ? { from: currentFrameworks, to: frameworkIds } : null };
}

export async function createContract(ctx: ModuleContext, raw: unknown) {
  requirePermission(ctx, "contract:edit");
  if (ctx.actor.organisationKind !== "agency") throw new Error("only an agency owns contracts");
  const input = parseContract(raw);
  const { frameworkIds, cjisFrameworkId } = await checkReferences(ctx, input);
  const [row] = await ctx.db
    .insert(contracts)
    .values({
      ...contractColumns(input),
      agencyId: ctx.actor.organisationId!,
      createdBy: ctx.actor.personId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  await ctx.db.insert(contractTerms).values({ contractId: row!.id, ...termColumns(input, cjisFrameworkId), updatedAt: ctx.now });
  await writeSharesAndFrameworks(ctx, row!.id, input.sharedWith, frameworkIds, cjisFrameworkId);
  ctx.audit.record({
    action: "contract.create",
    objectType: "contract",
    objectId: row!.id,
    details: { title: input.title, kind: input.kind, vendorId: input.vendorId, stage: input.stage, sharedWith: input.sharedWith },
  });
  return row!;
}

export async function updateContract(ctx: ModuleContext, contractId: string, raw: unknown) {
  const current = await getEditableContract(ctx, contractId);
  const input = parseContract(raw);
  const { frameworkIds, cjisFrameworkId } = await checkReferences(ctx, input, contractId);
  const next = contractColumns(input);
  const nextTerms = termColumns(input, cjisFrameworkId);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, value] of Object.entries(next)) {
    const before = current.contract[key as keyof Contract];
    if (before !== value) changes[key] = { from: before, to: value };
  }
  for (const [key, value] of Object.entries(nextTerms)) {
    const before = current.terms[key as keyof typeof current.terms];
    // Availability targets come back from numeric columns as "99.900": compare them as numbers.
    const same =
      before === value ||
      (typeof value === "string" &&
        typeof before === "string" &&
        key.startsWith("availability") &&
        Number(before) === Number(value));
    if (!same) changes[key] = { from: before, to: value };
  }
  await ctx.db
    .update(contracts)
    .set({ ...next, updatedAt: ctx.now })
    .where(eq(contracts.id, contractId));
  await ctx.db
    .update(contractTerms)
    .set({ ...nextTerms, updatedAt: ctx.now })
    .where(eq(contractTerms.contractId, contractId));
  const sharing = await writeSharesAndFrameworks(ctx, contractId, input.sharedWith, frameworkIds, cjisFrameworkId);
  if (sharing.frameworkChange) changes.frameworks = sharing.frameworkChange;
  ctx.audit.record({ action: "contract.update", objectType: "contract", objectId: contractId, details: { changes } });
  return { changed: Object.keys(changes), shared: sharing.added, unshared: sharing.removed };
}

/** Display names of people, for histories. */
export async function peopleNames(ctx: Pick<ModuleContext, "db">, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((i): i is string => Boolean(i)))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await ctx.db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Titles, owners, vendors and terms of contracts named by another module (evidence), which
 * has already established what the actor may see; no permission of its own.
 */
export async function contractsByIds(ctx: Pick<ModuleContext, "db">, ids: string[]) {
  const wanted = [...new Set(ids)].filter(isUuid);
  if (wanted.length === 0) return [];
  return ctx.db
    .select({
      id: contracts.id,
      title: contracts.title,
      reference: contracts.reference,
      agencyId: contracts.agencyId,
      vendorId: contracts.vendorId,
      terms: contractTerms,
    })
    .from(contracts)
    .innerJoin(contractTerms, eq(contractTerms.contractId, contracts.id))
    .where(inArray(contracts.id, wanted))
    .orderBy(asc(contracts.title));
}

/** The contracts an agency owns with one vendor (what an evidence request may name). */
export async function ownedContractsWithVendor(ctx: ModuleContext, vendorId: string) {
  if (!isUuid(vendorId)) return [];
  return ctx.db
    .select({ id: contracts.id, title: contracts.title, reference: contracts.reference })
    .from(contracts)
    .where(and(eq(contracts.agencyId, orgOf(ctx)), eq(contracts.vendorId, vendorId), ne(contracts.stage, "terminated")))
    .orderBy(asc(contracts.title));
}

/**
 * Every live (not terminated) contract with a vendor, once per agency that owns it or holds a
 * share of it, with its terms: what notices and rosters are measured against. Callers (the
 * notices and roster modules) establish what their actor may see; no permission of its own.
 */
export async function liveContractsWithVendor(ctx: Pick<ModuleContext, "db">, vendorId: string, agencyIds?: string[]) {
  if (!isUuid(vendorId) || agencyIds?.length === 0) return [];
  const list = await queryRows<{ agency_id: string; agency_name: string; contract_id: string; title: string }>(
    ctx.db,
    sql`
    select a.agency_id, o.name as agency_name, c.id as contract_id, c.title
      from contracts c
      join lateral (select c.agency_id union select s.agency_id from contract_shares s where s.contract_id = c.id) a on true
      join organisations o on o.id = a.agency_id
     where c.vendor_id = ${vendorId} and c.stage <> 'terminated'
     order by o.name, c.title`,
  );
  const wanted = agencyIds ? new Set(agencyIds) : null;
  const chosen = list.filter((r) => !wanted || wanted.has(r.agency_id));
  const terms = new Map(
    (
      await contractsByIds(
        ctx,
        chosen.map((r) => r.contract_id),
      )
    ).map((c) => [c.id, c.terms]),
  );
  return chosen.map((r) => ({
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    contractId: r.contract_id,
    title: r.title,
    terms: terms.get(r.contract_id)!,
  }));
}

/** The vendors the actor's agency holds contracts with, owned or shared; `live` leaves out terminated ones. */
export async function vendorsUnderContract(ctx: ModuleContext, options: { live: boolean }) {
  const org = orgOf(ctx);
  return ctx.db
    .select({ id: vendors.id, name: vendors.legalName })
    .from(vendors)
    .where(
      sql`${vendors.id} in (select c.vendor_id from contracts c where ${options.live ? sql`c.stage <> 'terminated' and ` : sql``}(c.agency_id = ${org} or c.id in (select s.contract_id from contract_shares s where s.agency_id = ${org})))`,
    )
    .orderBy(asc(vendors.legalName));
}
