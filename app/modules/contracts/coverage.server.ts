import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { queryRows } from "../../../db/client.ts";
import { type CatalogRequirementRow, catalogForMatrix } from "../catalog/cache.server.ts";
import { frameworks, requirements } from "../../../db/schema/catalog.ts";
import { coverageChanges, coverageEntries, type CoverageStatus, type Responsibility } from "../../../db/schema/contracts.ts";
import { qualifiedLabel } from "../catalog/paths.ts";
import { InvalidInput, isUuid, type ModuleContext, NotFound, requirePermission } from "../context.server.ts";
import { parseInput } from "../validation.server.ts";
import { contractEvidenceJson, type EvidenceLink, evidenceStates } from "../evidence/register.server.ts";
import { EVIDENCE_GAP_STATES } from "../evidence/vocabulary.ts";
import { vendorFlags } from "../vendors/flags.ts";
import { type FlagFacts, flagFactsJson, profileOf } from "../vendors/vendors.server.ts";
import { getContract, getEditableContract, type MeasuredAgainst, peopleNames, visibleToActor } from "./contracts.server.ts";
import { type Counts, percentAddressed } from "./figures.ts";
import { contractPaths, vendorPaths } from "./paths.ts";
import { type CoverageKey, CoverageSchema } from "./contract-form.ts";

/**
 * The coverage matrix: for each requirement of the frameworks a contract is
 * measured against, whether and where the contract addresses it, with the
 * history of every change. The crosswalk ties the frameworks together: a
 * provision's status shows against the principles and CJIS controls it serves,
 * and a principle's status is summarised from its provisions.
 */

const emptyCounts = (): Counts => ({ addressed: 0, partial: 0, missing: 0, "not-applicable": 0, unassessed: 0, total: 0 });
function add(counts: Counts, status: CoverageKey) {
  counts[status] += 1;
  counts.total += 1;
}

/**
 * Ids as one uuid[] parameter. A long "in ($1, $2, …)" list leads the planner to scan every
 * coverage entry; "= any(array)" keeps it on the indexes.
 */
const uuidArray = (ids: string[]) => {
  if (!ids.every(isUuid)) throw new Error("not a uuid");
  return sql`${`{${ids.join(",")}}`}::uuid[]`;
};

type MatrixRow = CatalogRequirementRow & {
  status: CoverageKey;
  section: string;
  notes: string;
  reason: string | null;
  responsibility: Responsibility | null;
};

/**
 * One coverage entry as the statement sends it: requirement, status, section, notes, reason, who carries it.
 * An array, not an object: PostgreSQL builds and the driver parses it in two thirds of the time.
 */
type EntryJson = [
  requirementId: string,
  status: CoverageKey,
  section: string,
  notes: string,
  reason: string | null,
  responsibility: Responsibility | null,
];

/** The columns the matrix is built from: the catalog's edition, the contract's entries and (for the matrix page) its evidence. */
const matrixStateColumns = (contractId: string, evidence: boolean) =>
  sql`(select edition from catalog_state where id = 1) as edition,
      coalesce((select json_agg(json_build_array(e.requirement_id, e.status, e.section, e.notes, e.reason, e.responsibility))
                from coverage_entries e where e.contract_id = ${contractId}), '[]') as entries,
      ${evidence ? contractEvidenceJson(contractId) : sql`'[]'::json`} as evidence`;
type MatrixState = { edition: string | null; entries: EntryJson[] | string; evidence: EvidenceLink[] | string };
const json = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);

/**
 * The requirements of a contract's matrix with their entries, and the crosswalk among them. One statement
 * reads the contract's entries and the catalog's edition; the catalog rows come from memory while the
 * edition stands (catalog/cache.server.ts).
 */
async function loadMatrix(
  ctx: ModuleContext,
  contractId: string,
  measured: MeasuredAgainst[],
  options: { evidence?: boolean } = {},
) {
  const [state] = await queryRows<MatrixState>(ctx.db, sql`select ${matrixStateColumns(contractId, options.evidence ?? false)}`);
  return buildMatrix(ctx, measured, state!);
}

/**
 * What the coverage pages show of a contract and decide with: its names, its owner and vendor, the two
 * terms the conflicts check, and the frameworks it is measured against. The full record (getContract)
 * satisfies it; the matrix page reads only this.
 */
export type ContractEssentials = {
  contract: { id: string; title: string; agencyId: string; vendorId: string };
  agencyName: string;
  vendorName: string;
  terms: { breachNoticeHours: number; personnelRosterRequired: boolean };
  frameworks: MeasuredAgainst[];
  owned: boolean;
  canEdit: boolean;
};

/**
 * A contract's essentials, its matrix's state and the owning agency's facts about its vendor (for the
 * conflicts) in one statement, under the same tenancy rule as getContract (a contract of another agency, not
 * shared with the actor's, is not found). The matrix page runs this on every request; the full record with
 * its shares, parent and children, and the vendor profile read after it, were most of its reading.
 */
async function loadEssentialsAndMatrix(ctx: ModuleContext, contractId: string) {
  requirePermission(ctx, "contract:read");
  if (!isUuid(contractId)) throw new NotFound("contract", contractId);
  const [row] = await queryRows<
    MatrixState & {
      title: string;
      agency_id: string;
      vendor_id: string;
      agency_name: string;
      vendor_name: string;
      breach_notice_hours: number;
      personnel_roster_required: boolean;
      frameworks: MeasuredAgainst[] | string;
      vendor_facts: FlagFacts | string | null;
    }
  >(
    ctx.db,
    sql`select contracts.title, contracts.agency_id, contracts.vendor_id, a.name as agency_name, v.legal_name as vendor_name,
          t.breach_notice_hours, t.personnel_roster_required,
          (select coalesce(json_agg(json_build_object('id', f.id, 'key', f.key, 'version', f.version, 'revision', f.revision,
                                                      'shortTitle', f.short_title, 'title', f.title) order by f.position), '[]'::json)
           from contract_frameworks cf join catalog_frameworks f on f.id = cf.framework_id
           where cf.contract_id = contracts.id) as frameworks,
          ${flagFactsJson(sql`contracts.vendor_id`, sql`contracts.agency_id`)} as vendor_facts,
          ${matrixStateColumns(contractId, true)}
        from contracts
        join contract_terms t on t.contract_id = contracts.id
        join organisations a on a.id = contracts.agency_id
        join vendors v on v.id = contracts.vendor_id
        where contracts.id = ${contractId} and ${visibleToActor(ctx)}`,
  );
  if (!row) throw new NotFound("contract", contractId);
  const owned = row.agency_id === ctx.actor.organisationId;
  const view: ContractEssentials = {
    contract: { id: contractId, title: row.title, agencyId: row.agency_id, vendorId: row.vendor_id },
    agencyName: row.agency_name,
    vendorName: row.vendor_name,
    terms: { breachNoticeHours: row.breach_notice_hours, personnelRosterRequired: row.personnel_roster_required },
    frameworks: json(row.frameworks),
    owned,
    canEdit: owned && ctx.actor.permissions.has("contract:edit"),
  };
  const vendorFacts = row.vendor_facts === null ? null : json(row.vendor_facts);
  return { view, vendorFacts, m: await buildMatrix(ctx, view.frameworks, row) };
}

/** The matrix from the state read above: each requirement of the measured frameworks with its entry. */
async function buildMatrix(ctx: ModuleContext, measured: MeasuredAgainst[], state: MatrixState) {
  const ids = measured.map((f) => f.id);
  const entryList = json(state.entries);
  const entries = new Map(entryList.map((e) => [e[0], e]));
  const catalog = await catalogForMatrix(ctx.db, state.edition, ids);
  // Each requirement with its entry (or the defaults of one not yet assessed), built once.
  // Fields named one by one: spreading the kept rows cost more than everything else this function does.
  const all: MatrixRow[] = catalog.requirements.map((r) => {
    const e = entries.get(r.id);
    return {
      id: r.id,
      frameworkId: r.frameworkId,
      code: r.code,
      kind: r.kind,
      title: r.title,
      parentId: r.parentId,
      sortOrder: r.sortOrder,
      priority: r.priority,
      status: e?.[1] ?? "unassessed",
      section: e?.[2] ?? "",
      notes: e?.[3] ?? "",
      reason: e?.[4] ?? null,
      responsibility: e?.[5] ?? null,
    };
  });
  // In the order the frameworks are measured, then each framework's own order.
  const position = new Map(measured.map((f, i) => [f.id, i]));
  all.sort((a, b) => position.get(a.frameworkId)! - position.get(b.frameworkId)! || a.sortOrder - b.sortOrder);
  const headings = new Map(all.filter((r) => r.kind === "policy-area").map((r) => [r.id, r]));
  const rows = all.filter((r) => r.kind !== "policy-area");
  const byId = new Map(rows.map((r) => [r.id, r]));
  // The whole crosswalk is a few dozen links, kept with the catalog rows.
  const links = catalog.links;
  const linked = new Map<string, string[]>();
  for (const l of links) {
    if (!byId.has(l.fromId) || !byId.has(l.toId)) continue;
    linked.set(l.fromId, [...(linked.get(l.fromId) ?? []), l.toId]);
    linked.set(l.toId, [...(linked.get(l.toId) ?? []), l.fromId]);
  }
  const allById = new Map(all.map((r) => [r.id, r]));
  /** The policy area a CJIS control (or a control's enhancement) sits in. */
  const areaOf = (r: { parentId: string | null }) => {
    let parent = r.parentId ? allById.get(r.parentId) : undefined;
    while (parent && parent.kind !== "policy-area") parent = parent.parentId ? allById.get(parent.parentId) : undefined;
    return parent ? headings.get(parent.id) : undefined;
  };
  return { measured, rows, byId, linked, areaOf, evidence: evidenceStates(json(state.evidence), ctx.today) };
}

/** Derived status of a principle from the provisions that serve it. */
function summaryOf(statuses: CoverageKey[]): CoverageKey {
  const applicable = statuses.filter((s) => s !== "not-applicable");
  if (statuses.length === 0 || statuses.every((s) => s === "unassessed")) return "unassessed";
  if (applicable.length === 0) return "not-applicable";
  if (applicable.every((s) => s === "addressed")) return "addressed";
  if (applicable.some((s) => s === "addressed" || s === "partial")) return "partial";
  // Only missing ones so far (the rest not yet assessed): the principle is missing.
  return "missing";
}

function figures(m: Awaited<ReturnType<typeof buildMatrix>>) {
  const contract = emptyCounts();
  const perFramework = new Map<string, Counts>();
  for (const r of m.rows) {
    add(contract, r.status);
    const f = perFramework.get(r.frameworkId) ?? emptyCounts();
    add(f, r.status);
    perFramework.set(r.frameworkId, f);
  }
  const perPrinciple = m.rows
    .filter((r) => r.kind === "principle")
    .map((p) => {
      const counts = emptyCounts();
      for (const id of m.linked.get(p.id) ?? []) add(counts, m.byId.get(id)!.status);
      return { id: p.id, code: p.code, title: p.title, counts, percent: percentAddressed(counts) };
    });
  return { contract, percent: percentAddressed(contract), perFramework, perPrinciple };
}

type MatrixFilter = { status?: string; open?: readonly string[] | "first-with-work" };

/**
 * The whole matrix of a contract, grouped by framework (and CJIS policy area), with figures and conflicts,
 * and the contract's full record (for documents). Without `open` every framework is open.
 */
export async function getMatrix(ctx: ModuleContext, contractId: string, filter: MatrixFilter = {}) {
  const view = await getContract(ctx, contractId, { audit: false });
  const m = await loadMatrix(ctx, contractId, view.frameworks, { evidence: true });
  return { view, ...(await matrixOf(ctx, view, m, filter)) };
}

/**
 * The matrix as the coverage page shows it: the same sections, figures and conflicts as getMatrix, with
 * only the contract's essentials, all read in one statement. `open` names the frameworks (by key) whose
 * rows the page draws; the others come with their counts only (the page shows them as closed groups).
 */
export async function getMatrixForPage(ctx: ModuleContext, contractId: string, filter: MatrixFilter = {}) {
  const { view, vendorFacts, m } = await loadEssentialsAndMatrix(ctx, contractId);
  return { view, ...(await matrixOf(ctx, view, m, filter, vendorFacts)) };
}

async function matrixOf(
  ctx: ModuleContext,
  view: ContractEssentials,
  m: Awaited<ReturnType<typeof buildMatrix>>,
  filter: MatrixFilter,
  /** The owning agency's facts about the vendor, when the caller read them already (else read here). */
  vendorFacts?: FlagFacts | null,
) {
  const contractId = view.contract.id;
  const fig = figures(m);
  const statusFilter =
    filter.status && ["addressed", "partial", "missing", "not-applicable", "unassessed"].includes(filter.status)
      ? (filter.status as CoverageKey)
      : null;
  const evidence = m.evidence;
  // "first-with-work": the first framework with a requirement not yet assessed, missing or partial (or the first).
  const openKeys: readonly string[] | null =
    filter.open === "first-with-work"
      ? [
          (
            m.measured.find((f) => {
              const c = fig.perFramework.get(f.id);
              return c ? c.unassessed + c.missing + c.partial > 0 : false;
            }) ?? m.measured[0]
          )?.key ?? "",
        ]
      : (filter.open ?? null);
  const sections = m.measured.map((f) => {
    const open = openKeys === null || statusFilter !== null || openKeys.includes(f.key);
    const rows = m.rows
      .filter((r) => open && r.frameworkId === f.id)
      .map((r) => {
        const others = (m.linked.get(r.id) ?? []).map((id) => m.byId.get(id)!);
        const provisions = r.kind === "principle" ? others.filter((o) => o.kind === "provision") : [];
        // Only what the page shows: the rows travel to the browser with the page.
        return {
          id: r.id,
          code: r.code,
          kind: r.kind,
          title: r.title,
          status: r.status,
          section: r.section,
          reason: r.reason,
          responsibility: r.responsibility,
          priority: r.priority,
          label: qualifiedLabel(r),
          area: m.areaOf(r) ? { code: m.areaOf(r)!.code, title: m.areaOf(r)!.title } : null,
          links: others.map((o) => ({ id: o.id, label: qualifiedLabel(o), status: o.status })),
          fromProvisions:
            r.kind === "principle" ? { status: summaryOf(provisions.map((p) => p.status)), count: provisions.length } : null,
          evidence: evidence.get(r.id) ?? null,
        };
      })
      .filter((r) => !statusFilter || r.status === statusFilter);
    return { framework: f, counts: fig.perFramework.get(f.id) ?? emptyCounts(), rows, open };
  });
  const conflicts = await contractConflicts(ctx, view, vendorFacts);
  const evidenceFigures = { evidenced: 0, gaps: 0 };
  for (const [requirementId, e] of evidence) {
    if (!m.byId.has(requirementId)) continue;
    if (e.state === "evidenced") evidenceFigures.evidenced += 1;
    if (EVIDENCE_GAP_STATES.includes(e.state)) evidenceFigures.gaps += 1;
  }
  ctx.audit.record({
    action: "contract.coverage.read",
    objectType: "contract",
    objectId: contractId,
    organisationId: view.contract.agencyId,
    details: { status: statusFilter },
  });
  return {
    sections,
    figures: { contract: fig.contract, percent: fig.percent, perPrinciple: fig.perPrinciple, evidence: evidenceFigures },
    conflicts,
    statusFilter,
    openKeys: sections.filter((x) => x.open).map((x) => x.framework.key),
  };
}

export type Conflict = {
  code: string;
  message: string;
  cites: string;
  /** Contract wording that would resolve it (our drafting), for the gap memo and the compliance report. */
  wording: string;
  fix: { label: string; href: string } | null;
};

/** The wording that would resolve each kind of conflict, as the agency would propose it to the provider. */
export const CONFLICT_WORDING: Record<string, string> = {
  "no-vendor-record":
    "The Provider shall state, in an exhibit to this contract, every country and region where Agency Data is stored or processed, who holds the keys that encrypt it, and the address to which legal and incident notices are sent, and shall keep that exhibit current.",
  "storage-location":
    "The Provider shall store, process and back up Agency Data only in the United States, its territories and Canada, and shall not move it elsewhere without the Agency's prior written consent.",
  "provider-keys-without-roster":
    "The Provider shall keep a roster of every person of the Provider or its subcontractors who can reach unencrypted CJI or the keys that protect it, showing for each the date of the fingerprint-based background check, the date the person signed the CJIS Security Addendum certification and the date of the last security awareness training; shall give the roster to the Agency on request; and shall tell the Agency of each addition or removal within one business day.",
  "no-encryption":
    "The Provider shall encrypt Agency Data at rest and in transit with FIPS 140-validated cryptography, as the CJIS Security Policy requires.",
  "key-custody-unknown":
    "The Provider shall state who holds the keys that encrypt Agency Data; where the Provider or a subcontractor holds them, the personnel terms of this contract apply to everyone with access to them.",
  "no-legal-notice-address":
    "The Provider shall name an address for legal notices and a contact reachable at all hours for incident notices, and shall keep both current.",
  "breach-window":
    "The Provider shall notify the Agency of any Security Incident affecting Agency Data within one (1) hour of discovering it, and shall give a written report of its cause, extent and remedy within five (5) business days.",
};
const wordingFor = (code: string) => CONFLICT_WORDING[code] ?? "To be drafted by counsel.";

/** Where the owning agency's record of the vendor, or the contract's own terms, contradict what the contract needs. */
export async function contractConflicts(
  ctx: ModuleContext,
  view: ContractEssentials,
  /** The owning agency's facts about the vendor, when the caller read them already. */
  facts?: FlagFacts | null,
): Promise<Conflict[]> {
  const profile = facts !== undefined ? facts : await profileOf(ctx, view.contract.vendorId, view.contract.agencyId);
  const ownerFix = (label: string, href: string) =>
    view.owned && ctx.actor.permissions.has("vendor:edit") ? { label, href } : null;
  const conflicts: Conflict[] = [];
  if (!profile) {
    conflicts.push({
      code: "no-vendor-record",
      wording: wordingFor("no-vendor-record"),
      message:
        "The owning agency has not recorded where this vendor stores data, who holds the keys, or its legal-notice address.",
      cites: "CJIS Security Policy v6.0 SC-28, SC-12; IACP principle 4",
      fix: ownerFix("Record the vendor's details", vendorPaths.edit(view.contract.vendorId)),
    });
  } else {
    for (const flag of vendorFlags(profile)) {
      if (flag.code === "key-custody-provider") {
        if (view.terms.personnelRosterRequired) continue;
        conflicts.push({
          code: "provider-keys-without-roster",
          wording: wordingFor("provider-keys-without-roster"),
          message:
            "The provider holds the encryption keys, but the contract does not require a roster of its personnel with fingerprint checks, Security Addendum signatures and training.",
          cites: flag.cites + "; CJIS Security Policy v6.0 PS-3",
          fix: view.canEdit
            ? { label: "Require a personnel roster in the terms", href: contractPaths.edit(view.contract.id, "terms") }
            : null,
        });
        continue;
      }
      conflicts.push({
        code: flag.code,
        wording: wordingFor(flag.code),
        message: flag.message,
        cites: flag.cites,
        fix: ownerFix("Correct the vendor record", vendorPaths.edit(view.contract.vendorId)),
      });
    }
  }
  if (view.terms.breachNoticeHours > 1) {
    conflicts.push({
      code: "breach-window",
      wording: wordingFor("breach-window"),
      message: `The contract allows ${view.terms.breachNoticeHours} hours to report a breach; incidents are to be reported within one hour of discovery.`,
      cites: "CJIS Security Policy v6.0 IR-6",
      fix: view.canEdit
        ? { label: "Shorten the breach-notification window", href: contractPaths.edit(view.contract.id, "terms") }
        : null,
    });
  }
  return conflicts;
}

/** One requirement of a contract's matrix: its entry, its history, and what it contributes to through the crosswalk. */
export async function getCoverageEntry(ctx: ModuleContext, contractId: string, requirementId: string) {
  const view = await getContract(ctx, contractId, { audit: false });
  if (!isUuid(requirementId)) throw new NotFound("requirement", requirementId);
  const m = await loadMatrix(ctx, contractId, view.frameworks);
  const row = m.byId.get(requirementId);
  if (!row) throw new NotFound("requirement", requirementId);
  const [detail] = await ctx.db
    .select({
      summary: requirements.summary,
      citation: requirements.citation,
      figure: requirements.figure,
      frameworkKey: frameworks.key,
      frameworkVersion: frameworks.version,
      frameworkTitle: frameworks.shortTitle,
    })
    .from(requirements)
    .innerJoin(frameworks, eq(frameworks.id, requirements.frameworkId))
    .where(eq(requirements.id, requirementId));
  const history = await ctx.db
    .select()
    .from(coverageChanges)
    .where(and(eq(coverageChanges.contractId, contractId), eq(coverageChanges.requirementId, requirementId)))
    .orderBy(desc(coverageChanges.changedAt), desc(coverageChanges.id));
  const names = await peopleNames(
    ctx,
    history.map((h) => h.changedBy),
  );
  const contributes = (m.linked.get(requirementId) ?? [])
    .map((id) => m.byId.get(id)!)
    .map((o) => ({ id: o.id, label: qualifiedLabel(o), title: o.title, kind: o.kind, status: o.status }));
  const provisions = row.kind === "principle" ? contributes.filter((c) => c.kind === "provision") : [];
  ctx.audit.record({
    action: "contract.coverage.entry.read",
    objectType: "contract",
    objectId: contractId,
    organisationId: view.contract.agencyId,
    details: { requirementId },
  });
  return {
    view,
    requirement: { ...row, ...detail!, label: qualifiedLabel(row) },
    contributes,
    fromProvisions:
      row.kind === "principle" ? { status: summaryOf(provisions.map((p) => p.status)), count: provisions.length } : null,
    history: history.map((h) => ({ ...h, changedByName: h.changedBy ? (names.get(h.changedBy) ?? "—") : "—" })),
  };
}

type EntryState = {
  status: CoverageStatus;
  section: string;
  notes: string;
  reason: string | null;
  responsibility: Responsibility | null;
};

/**
 * Set the status of one or several requirements of a contract at once. Each
 * change is kept in the history with its before and after; a requirement whose
 * entry would not change is left alone.
 */
export async function setCoverage(ctx: ModuleContext, contractId: string, requirementIds: string[], raw: unknown) {
  const view = await getEditableContract(ctx, contractId);
  const wanted = [...new Set(requirementIds)];
  if (wanted.length === 0) throw new InvalidInput({ requirementIds: "Choose at least one requirement." });
  const input = parseInput(CoverageSchema, raw);
  const m = await loadMatrix(ctx, contractId, view.frameworks);
  if (wanted.some((id) => !m.byId.has(id)))
    throw new InvalidInput({ requirementIds: "Choose requirements of this contract's matrix." });
  const existing = await ctx.db
    .select()
    .from(coverageEntries)
    .where(and(eq(coverageEntries.contractId, contractId), inArray(coverageEntries.requirementId, wanted)));
  const before = new Map(
    existing.map((e) => [
      e.requirementId,
      {
        status: e.status,
        section: e.section,
        notes: e.notes,
        reason: e.reason,
        responsibility: e.responsibility,
      } as EntryState,
    ]),
  );
  const next: EntryState = {
    status: input.status,
    section: input.section ?? "",
    notes: input.notes ?? "",
    reason: input.status === "not-applicable" ? (input.reason ?? null) : null,
    // Nobody carries a requirement that does not apply.
    responsibility: input.status === "not-applicable" ? null : (input.responsibility ?? null),
  };
  const changed: string[] = [];
  for (const id of wanted) {
    const prior = before.get(id) ?? null;
    // In a bulk change, keep each requirement's own notes and section unless new ones are given.
    const after: EntryState =
      wanted.length > 1 && prior
        ? {
            ...next,
            section: input.section ?? prior.section,
            notes: input.notes ?? prior.notes,
            responsibility: next.status === "not-applicable" ? null : (input.responsibility ?? prior.responsibility ?? null),
          }
        : next;
    if (prior && JSON.stringify(prior) === JSON.stringify(after)) continue;
    changed.push(id);
    await ctx.db
      .insert(coverageEntries)
      .values({ contractId, requirementId: id, ...after, updatedBy: ctx.actor.personId, updatedAt: ctx.now })
      .onConflictDoUpdate({
        target: [coverageEntries.contractId, coverageEntries.requirementId],
        set: { ...after, updatedBy: ctx.actor.personId, updatedAt: ctx.now },
      });
    await ctx.db
      .insert(coverageChanges)
      .values({ contractId, requirementId: id, changedBy: ctx.actor.personId, changedAt: ctx.now, before: prior, after });
  }
  ctx.audit.record({
    action: wanted.length > 1 ? "contract.coverage.bulk-set" : "contract.coverage.set",
    objectType: "contract",
    objectId: contractId,
    organisationId: view.contract.agencyId,
    details: {
      status: input.status,
      requirements: changed.map((id) => m.byId.get(id)!.code),
      unchanged: wanted.length - changed.length,
    },
  });
  const contributes = [...new Set(changed.flatMap((id) => m.linked.get(id) ?? []))].map((id) => qualifiedLabel(m.byId.get(id)!));
  return { changed: changed.length, unchanged: wanted.length - changed.length, contributes };
}

/** Every missing or partial requirement, with the IACP provisions that would close it. */
export async function getGapReport(ctx: ModuleContext, contractId: string) {
  const view = await getContract(ctx, contractId, { audit: false });
  const m = await loadMatrix(ctx, contractId, view.frameworks);
  const closers = await closingProvisions(ctx);
  const [provisionFramework] = await ctx.db
    .select({ key: frameworks.key, version: frameworks.version })
    .from(frameworks)
    .where(eq(frameworks.key, "iacp-provisions"))
    .orderBy(desc(frameworks.version), desc(frameworks.revision))
    .limit(1);
  const gaps = m.rows
    .filter((r) => r.status === "missing" || r.status === "partial")
    .map((r) => {
      const framework = m.measured.find((f) => f.id === r.frameworkId)!;
      const closing =
        r.kind === "provision"
          ? [{ code: r.code, title: r.title, frameworkKey: framework.key, frameworkVersion: framework.version }]
          : closers(r.id);
      return {
        id: r.id,
        label: qualifiedLabel(r),
        code: r.code,
        kind: r.kind,
        title: r.title,
        framework: framework.shortTitle,
        frameworkRef: `${framework.key}@${framework.version}`,
        status: r.status,
        section: r.section,
        notes: r.notes,
        closing,
      };
    });
  const notAssessed = m.rows
    .filter((r) => r.status === "unassessed")
    .map((r) => {
      const framework = m.measured.find((f) => f.id === r.frameworkId)!;
      return { id: r.id, label: qualifiedLabel(r), title: r.title, framework: framework.shortTitle };
    });
  const unassessed = notAssessed.length;
  // Completeness comes first wherever gaps are summarised: no gaps among nothing assessed is not "no gaps".
  const assessment = {
    total: m.rows.length,
    assessed: m.rows.length - unassessed,
    perFramework: m.measured.map((f) => {
      const rows = m.rows.filter((r) => r.frameworkId === f.id);
      return {
        name: `${f.shortTitle} ${f.version}`,
        total: rows.length,
        assessed: rows.filter((r) => r.status !== "unassessed").length,
      };
    }),
  };
  ctx.audit.record({
    action: "contract.gaps.read",
    objectType: "contract",
    objectId: contractId,
    organisationId: view.contract.agencyId,
    details: { gaps: gaps.length },
  });
  return { view, gaps, unassessed, notAssessed, assessment, provisionFramework: provisionFramework ?? null };
}

type Provision = { code: string; title: string; frameworkKey: string; frameworkVersion: string };

/**
 * The IACP sample provisions whose subject would close a gap in a requirement:
 * those the crosswalk links to it directly, or else those that serve the
 * principles it is linked to (a CJIS control mapped only to principle 6 is
 * closed by provision 9, which serves principle 6).
 */
async function closingProvisions(ctx: ModuleContext) {
  const rows = await queryRows<{
    a: string;
    b: string;
    b_kind: string;
    b_code: string;
    b_title: string;
    b_key: string;
    b_version: string;
    b_order: number;
  }>(
    ctx.db,
    sql`select x.a, x.b, r.kind as b_kind, r.code as b_code, r.title as b_title, f.key as b_key, f.version as b_version, r.sort_order as b_order
        from (select from_id as a, to_id as b from catalog_crosswalk union all select to_id, from_id from catalog_crosswalk) x
        join catalog_requirements r on r.id = x.b
        join catalog_frameworks f on f.id = r.framework_id
        order by r.sort_order`,
  );
  const neighbours = new Map<string, typeof rows>();
  for (const row of rows) neighbours.set(row.a, [...(neighbours.get(row.a) ?? []), row]);
  const provisionsOf = (id: string) =>
    (neighbours.get(id) ?? [])
      .filter((n) => n.b_kind === "provision")
      .map((n): Provision => ({ code: n.b_code, title: n.b_title, frameworkKey: n.b_key, frameworkVersion: n.b_version }));
  return (requirementId: string): Provision[] => {
    const direct = provisionsOf(requirementId);
    if (direct.length > 0) return direct;
    const viaPrinciples = (neighbours.get(requirementId) ?? [])
      .filter((n) => n.b_kind === "principle")
      .flatMap((n) => provisionsOf(n.b));
    return [...new Map(viaPrinciples.map((p) => [`${p.frameworkKey}:${p.code}`, p])).values()].sort(
      (x, y) => Number(x.code) - Number(y.code),
    );
  };
}

/** Coverage counts of several contracts in one query (for lists and the dashboard). */
export async function coverageOf(ctx: Pick<ModuleContext, "db">, contractIds: string[]) {
  const result = new Map<string, Counts>();
  if (contractIds.length === 0) return result;
  // Per contract, both counts walk that contract's own index range (lateral), never the whole table.
  const rows = await queryRows<{
    contract_id: string;
    total: number;
    addressed: number;
    partial: number;
    missing: number;
    not_applicable: number;
  }>(
    ctx.db,
    sql`select w.contract_id, t.total, e.addressed, e.partial, e.missing, e.not_applicable
        from unnest(${uuidArray(contractIds)}) as w(contract_id)
        cross join lateral (
          select count(*)::int as total from contract_frameworks cf
          join catalog_requirements r on r.framework_id = cf.framework_id and r.kind <> 'policy-area'
          where cf.contract_id = w.contract_id) t
        cross join lateral (
          select count(*) filter (where e.status = 'addressed')::int as addressed,
                 count(*) filter (where e.status = 'partial')::int as partial,
                 count(*) filter (where e.status = 'missing')::int as missing,
                 count(*) filter (where e.status = 'not-applicable')::int as not_applicable
          from coverage_entries e
          join catalog_requirements r on r.id = e.requirement_id
          join contract_frameworks cf on cf.contract_id = e.contract_id and cf.framework_id = r.framework_id
          where e.contract_id = w.contract_id) e`,
  );
  for (const r of rows) {
    result.set(r.contract_id, {
      total: r.total,
      addressed: r.addressed,
      partial: r.partial,
      missing: r.missing,
      "not-applicable": r.not_applicable,
      unassessed: r.total - r.addressed - r.partial - r.missing - r.not_applicable,
    });
  }
  return result;
}

/** Coverage figures of one contract (per framework, per principle) and its conflicts, for the contract's overview. */
export async function getCoverageSummary(ctx: ModuleContext, view: Awaited<ReturnType<typeof getContract>>) {
  const m = await loadMatrix(ctx, view.contract.id, view.frameworks);
  const fig = figures(m);
  return {
    contract: fig.contract,
    percent: fig.percent,
    perFramework: m.measured.map((f) => ({ framework: f, counts: fig.perFramework.get(f.id) ?? emptyCounts() })),
    perPrinciple: fig.perPrinciple,
    conflicts: await contractConflicts(ctx, view),
  };
}
