import { sql } from "drizzle-orm";
import { queryRows } from "../../../db/client.ts";
import { COVERAGE_LABELS } from "../contracts/contract-form.ts";
import { getMatrix } from "../contracts/coverage.server.ts";
import type { ModuleContext } from "../context.server.ts";
import { endOfDayIn } from "../dates.ts";
import { catalogFileName, controlId, CUSTODY_NS, metadata, oscalTime, prop, stableUuid } from "./oscal-common.ts";
import type { OscalExport } from "./oscal-common.ts";
import { exportReader } from "./reader.server.ts";

/**
 * A contract's coverage matrix in NIST OSCAL: assessment-results (each assessed requirement a finding,
 * each coverage decision and each accepted piece of evidence an observation, with who decided and when)
 * and a plan of action and milestones (each missing or partial requirement and each conflict, due by the
 * evidence deadline or the contract's renewal). What was not assessed is said first, never left out.
 */

type Matrix = Awaited<ReturnType<typeof getMatrix>>;
type Row = Matrix["sections"][number]["rows"][number] & { frameworkKey: string; frameworkVersion: string };

type AcceptedEvidence = {
  item_id: string;
  title: string;
  kind: string;
  version: number;
  issued_on: string | null;
  valid_from: string | null;
  expires_on: string | null;
  decided_at: string;
  decided_by: string | null;
  decided_by_name: string | null;
  requirement_ids: string[];
  files: { filename: string; sha256: string; size: number; mediaType: string }[];
};

async function contractRecords(ctx: ModuleContext, contractId: string) {
  const matrix = await getMatrix(ctx, contractId, {});
  const rows: Row[] = matrix.sections.flatMap((s) =>
    s.rows.map((r) => ({ ...r, frameworkKey: s.framework.key, frameworkVersion: s.framework.version })),
  );
  // Who last decided each entry, and when (the matrix rows carry the decision, not the person).
  const decided = await queryRows<{ requirement_id: string; updated_at: string; updated_by: string | null; name: string | null }>(
    ctx.db,
    sql`select e.requirement_id, e.updated_at, e.updated_by, p.name
        from coverage_entries e left join people p on p.id = e.updated_by
        where e.contract_id = ${contractId}`,
  );
  const decisions = new Map(decided.map((d) => [d.requirement_id, d]));
  const evidence = await queryRows<AcceptedEvidence>(
    ctx.db,
    sql`select i.id as item_id, i.title, k.name as kind, v.version, v.issued_on::text as issued_on, v.valid_from::text as valid_from,
               v.expires_on::text as expires_on, v.decided_at, v.decided_by, p.name as decided_by_name,
               coalesce((select array_agg(r.requirement_id::text) from evidence_item_requirements r where r.item_id = i.id), '{}') as requirement_ids,
               coalesce((select json_agg(json_build_object('filename', f.filename, 'sha256', f.sha256, 'size', f.size_bytes, 'mediaType', f.media_type) order by f.filename)
                         from evidence_files f where f.version_id = v.id), '[]') as files
        from evidence_item_contracts c
        join evidence_items i on i.id = c.item_id
        join catalog_evidence_kinds k on k.id = i.kind_id
        join evidence_versions v on v.item_id = i.id and v.version = i.current_version and v.status = 'accepted'
        left join people p on p.id = v.decided_by
        where c.contract_id = ${contractId} and i.status = 'accepted'
        order by v.decided_at, i.id`,
  );
  const requested = await queryRows<{ requirement_id: string; due_on: string }>(
    ctx.db,
    sql`select r.requirement_id, min(i.due_on)::text as due_on
        from evidence_item_contracts c
        join evidence_items i on i.id = c.item_id
        join evidence_item_requirements r on r.item_id = i.id
        where c.contract_id = ${contractId} and i.status in ('requested', 'submitted', 'in-review', 'rejected') and i.due_on is not null
        group by r.requirement_id`,
  );
  return {
    matrix,
    rows,
    decisions,
    evidence: evidence.map(normaliseEvidence),
    dueByRequirement: new Map(requested.map((r) => [r.requirement_id, r.due_on])),
  };
}

function normaliseEvidence(e: AcceptedEvidence): AcceptedEvidence {
  return {
    ...e,
    decided_at: new Date(e.decided_at).toISOString(),
    files: typeof e.files === "string" ? JSON.parse(e.files) : e.files,
    requirement_ids: Array.isArray(e.requirement_ids) ? e.requirement_ids : [],
  };
}

function parties(ctx: ModuleContext, agencyId: string, agencyName: string, people: Map<string, string>) {
  return [
    { uuid: stableUuid("party", agencyId), type: "organization" as const, name: agencyName },
    ...[...people].map(([id, name]) => ({ uuid: stableUuid("party", id), type: "person" as const, name })),
  ];
}

const reviewed = (r: Row) => r.status !== "unassessed";

/** The contract's coverage matrix and accepted evidence as OSCAL assessment-results. */
export async function oscalAssessmentResults(base: ModuleContext, contractId: string): Promise<OscalExport> {
  const ctx = exportReader(base);
  const { matrix, rows, decisions, evidence } = await contractRecords(ctx, contractId);
  const c = matrix.view.contract;
  const assessed = rows.filter(reviewed);
  const notAssessed = rows.filter((r) => !reviewed(r));
  const people = new Map<string, string>();
  for (const d of decisions.values()) if (d.updated_by && d.name) people.set(d.updated_by, d.name);
  for (const e of evidence) if (e.decided_by && e.decided_by_name) people.set(e.decided_by, e.decided_by_name);
  const entryObservation = (r: Row) => stableUuid("observation", contractId, "coverage", r.id);
  const evidenceObservation = (e: AcceptedEvidence) =>
    stableUuid("observation", contractId, "evidence", e.item_id, String(e.version));
  const observations = [
    ...assessed.map((r) => {
      const d = decisions.get(r.id);
      return {
        uuid: entryObservation(r),
        title: `${r.label}: ${COVERAGE_LABELS[r.status as keyof typeof COVERAGE_LABELS]}`,
        description:
          `The agency marked ${r.label} (${r.title}) as ${COVERAGE_LABELS[r.status as keyof typeof COVERAGE_LABELS].toLowerCase()} in the contract's coverage matrix` +
          (r.section ? `, citing ${r.section} of the contract.` : ", without citing a section of the contract.") +
          (r.reason ? ` Why it does not apply: ${r.reason}` : ""),
        props: [...prop("coverage-status", r.status), ...prop("contract-section", r.section)],
        methods: ["EXAMINE"],
        types: ["control-objective"],
        ...(d?.updated_by ? { origins: [{ actors: [{ type: "party", "actor-uuid": stableUuid("party", d.updated_by) }] }] } : {}),
        collected: oscalTime(d ? new Date(d.updated_at) : c.updatedAt),
      };
    }),
    ...evidence.map((e) => ({
      uuid: evidenceObservation(e),
      title: `Accepted evidence: ${e.title}`,
      description:
        `${e.kind} "${e.title}", version ${e.version}, accepted by the agency's reviewer` +
        (e.issued_on ? `; issued ${e.issued_on}` : "") +
        (e.expires_on ? `; expires ${e.expires_on}.` : "; no expiry recorded."),
      props: [...prop("evidence-kind", e.kind), ...prop("evidence-version", e.version)],
      methods: ["EXAMINE"],
      types: ["finding"],
      ...(e.decided_by ? { origins: [{ actors: [{ type: "party", "actor-uuid": stableUuid("party", e.decided_by) }] }] } : {}),
      "relevant-evidence":
        e.files.length > 0
          ? e.files.map((f) => ({
              description: `${f.filename} (${f.mediaType}, ${f.size} bytes)`,
              props: [...prop("sha256", f.sha256), ...prop("filename", f.filename)],
            }))
          : [{ description: "The accepted version holds no file (an attestation made in the portal)." }],
      collected: e.decided_at,
      ...(e.expires_on ? { expires: oscalTime(endOfDayIn(e.expires_on, ctx.timeZone)) } : {}),
    })),
  ];
  const findings = assessed.map((r) => {
    const supporting = evidence.filter((e) => e.requirement_ids.includes(r.id));
    const state = r.status === "addressed" || r.status === "not-applicable" ? "satisfied" : "not-satisfied";
    return {
      uuid: stableUuid("finding", contractId, r.id),
      title: `${r.label} ${r.title}`,
      description:
        `${COVERAGE_LABELS[r.status as keyof typeof COVERAGE_LABELS]} in the contract` +
        (r.status === "not-applicable" ? " (it does not apply; the reason is in the observation)." : ".") +
        (supporting.length > 0
          ? ` Accepted evidence: ${supporting.map((e) => e.title).join("; ")}.`
          : " No accepted evidence is linked to it."),
      props: [
        ...prop("coverage-status", r.status),
        ...prop("responsibility", r.status === "not-applicable" ? null : (r.responsibility ?? "not-recorded")),
        ...prop("evidence-state", r.evidence?.state ?? "none"),
      ],
      target: {
        type: "statement-id",
        "target-id": `${controlId(r.kind, r.code)}_smt`,
        props: [...prop("catalog", catalogFileName(r.frameworkKey, r.frameworkVersion))],
        status: {
          state,
          ...(r.status === "not-applicable"
            ? { reason: "other", remarks: "Does not apply to this contract." }
            : { reason: state === "satisfied" ? "pass" : "fail" }),
        },
      },
      "related-observations": [
        { "observation-uuid": entryObservation(r) },
        ...supporting.map((e) => ({ "observation-uuid": evidenceObservation(e) })),
      ],
    };
  });
  const planUuid = stableUuid("assessment-plan-note", contractId);
  const notAssessedText =
    notAssessed.length === 0
      ? "Every requirement the contract is measured against has been assessed."
      : `${notAssessed.length} of ${rows.length} requirements have not been assessed and carry no finding: ${notAssessed.map((r) => r.label).join(", ")}.`;
  const conflictsText =
    matrix.conflicts.length === 0
      ? "No conflict between the contract's terms, the vendor record and the CJIS Security Policy was found."
      : `${matrix.conflicts.length} conflict(s) between the contract's terms or the vendor record and the CJIS Security Policy: ${matrix.conflicts.map((x) => x.message).join(" ")}`;
  const document = {
    "assessment-results": {
      uuid: stableUuid("assessment-results", contractId),
      metadata: metadata({
        title: `Coverage of "${c.title}" (${matrix.view.vendorName})`,
        lastModified: ctx.now,
        version: ctx.now.toISOString(),
        parties: parties(ctx, c.agencyId, matrix.view.agencyName, people),
        roles: [{ id: "assessor", title: "The agency's reviewer" }],
        responsibleParties: [{ roleId: "assessor", partyUuids: [stableUuid("party", c.agencyId)] }],
        remarks: notAssessedText,
      }),
      "import-ap": { href: `#${planUuid}` },
      results: [
        {
          uuid: stableUuid("result", contractId),
          title: `Coverage matrix of ${c.title}`,
          description: `${notAssessedText} ${conflictsText} The findings record whether the contract addresses each requirement; they are the agency's own review, not a third-party assessment.`,
          start: oscalTime(earliest([c.createdAt, ...[...decisions.values()].map((d) => new Date(d.updated_at))])),
          end: oscalTime(ctx.now),
          props: [
            ...prop("requirements-total", rows.length),
            ...prop("requirements-assessed", assessed.length),
            ...prop("requirements-not-assessed", notAssessed.length),
            ...prop("conflicts", matrix.conflicts.length),
          ],
          "reviewed-controls": {
            description: "The requirements of the frameworks the contract is measured against.",
            "control-selections":
              assessed.length > 0
                ? [
                    {
                      "include-controls": [...new Set(assessed.map((r) => controlId(r.kind, r.code)))].map((id) => ({
                        "control-id": id,
                      })),
                    },
                  ]
                : [{ description: "Nothing has been assessed yet." }],
          },
          ...(observations.length > 0 ? { observations } : {}),
          ...(findings.length > 0 ? { findings } : {}),
          remarks: notAssessedText,
        },
      ],
      "back-matter": {
        resources: [
          {
            uuid: planUuid,
            title: "No separate assessment plan",
            description:
              "The agency reviews the contract in Custody against the frameworks listed in the catalogs below; there is no separate OSCAL assessment plan.",
          },
          ...matrix.view.frameworks.map((f) => ({
            uuid: stableUuid("catalog-link", contractId, f.key, f.version),
            title: `${f.title} ${f.version}`,
            rlinks: [{ href: catalogFileName(f.key, f.version), "media-type": "application/json" }],
          })),
        ],
      },
    },
  };
  ctx.audit.record({
    action: "contract.oscal.export",
    objectType: "contract",
    objectId: contractId,
    organisationId: c.agencyId,
    details: { model: "assessment-results", findings: findings.length, observations: observations.length },
  });
  return { document, fileName: `custody-assessment-results-${slug(c.title)}.json` };
}

/** The contract's open gaps and conflicts as an OSCAL plan of action and milestones. */
export async function oscalPoam(base: ModuleContext, contractId: string): Promise<OscalExport> {
  const ctx = exportReader(base);
  const { matrix, rows, dueByRequirement } = await contractRecords(ctx, contractId);
  const c = matrix.view.contract;
  const life = matrix.view.lifecycle;
  // The renewal date by which the contract can still be changed: the notice deadline, else the end of the term.
  const renewal = life.renewalNoticeBy ?? life.currentEnd;
  const renewalWhy = life.renewalNoticeBy
    ? "the last day to give notice before renewal"
    : "the end of the contract's current term";
  const open = rows.filter((r) => r.status === "missing" || r.status === "partial");
  const notAssessed = rows.filter((r) => !reviewed(r));
  const risks: Record<string, unknown>[] = [];
  const items: Record<string, unknown>[] = [];
  const addItem = (
    key: string,
    title: string,
    description: string,
    statement: string,
    due: string | null,
    dueWhy: string,
    extraProps: ReturnType<typeof prop> = [],
  ) => {
    const riskUuid = stableUuid("risk", contractId, key);
    risks.push({
      uuid: riskUuid,
      title,
      description,
      statement,
      status: "open",
      ...(due ? { deadline: oscalTime(endOfDayIn(due, ctx.timeZone)) } : {}),
      remediations: [
        {
          uuid: stableUuid("remediation", contractId, key),
          lifecycle: "planned",
          title: `Close: ${title}`,
          description: due
            ? `Due ${due}: ${dueWhy}.`
            : "No due date: the contract records neither an end date nor an evidence deadline for it.",
          ...(due
            ? {
                tasks: [
                  {
                    uuid: stableUuid("milestone", contractId, key),
                    type: "milestone",
                    title: `Resolved by ${due}`,
                    timing: { "on-date": { date: oscalTime(endOfDayIn(due, ctx.timeZone)) } },
                  },
                ],
              }
            : {}),
        },
      ],
    });
    items.push({
      uuid: stableUuid("poam-item", contractId, key),
      title,
      description,
      props: [...extraProps, ...prop("due-date", due), ...prop("due-reason", due ? dueWhy : "no date recorded")],
      "related-risks": [{ "risk-uuid": riskUuid }],
    });
  };
  for (const r of open) {
    const evidenceDue = dueByRequirement.get(r.id) ?? null;
    const due = evidenceDue ?? renewal;
    addItem(
      `requirement:${r.id}`,
      `${r.label} ${r.title}: ${COVERAGE_LABELS[r.status as keyof typeof COVERAGE_LABELS].toLowerCase()}`,
      `The contract ${r.status === "missing" ? "does not address" : "only partly addresses"} ${r.label}${r.section ? ` (${r.section})` : ""}.`,
      `Until the contract addresses ${r.label}, the agency cannot hold the provider to it.`,
      due,
      evidenceDue ? "the deadline of the evidence requested for it" : renewalWhy,
      [...prop("control-id", controlId(r.kind, r.code)), ...prop("catalog", catalogFileName(r.frameworkKey, r.frameworkVersion))],
    );
  }
  for (const conflict of matrix.conflicts) {
    addItem(
      `conflict:${conflict.code}`,
      `Conflict: ${conflict.message}`,
      `${conflict.message} (${conflict.cites})`,
      `Proposed wording: ${conflict.wording}`,
      renewal,
      renewalWhy,
    );
  }
  const notAssessedText =
    notAssessed.length === 0
      ? "Every requirement has been assessed; this plan lists every one found missing or partial."
      : `${notAssessed.length} of ${rows.length} requirements have not been assessed, so this plan cannot list their gaps: ${notAssessed.map((r) => r.label).join(", ")}.`;
  const document = {
    "plan-of-action-and-milestones": {
      uuid: stableUuid("poam", contractId),
      metadata: metadata({
        title: `Plan of action for "${c.title}" (${matrix.view.vendorName})`,
        lastModified: ctx.now,
        version: ctx.now.toISOString(),
        parties: parties(ctx, c.agencyId, matrix.view.agencyName, new Map()),
        remarks: notAssessedText,
      }),
      "system-id": { "identifier-type": `${CUSTODY_NS}/contract`, id: contractId },
      ...(risks.length > 0 ? { risks } : {}),
      "poam-items":
        items.length > 0
          ? items
          : [
              {
                uuid: stableUuid("poam-item", contractId, "none"),
                title: "Nothing open",
                description:
                  notAssessed.length === 0
                    ? "No requirement is missing or partial and no conflict was found."
                    : `No assessed requirement is missing or partial and no conflict was found; ${notAssessed.length} requirement(s) are not yet assessed.`,
              },
            ],
    },
  };
  ctx.audit.record({
    action: "contract.oscal.export",
    objectType: "contract",
    objectId: contractId,
    organisationId: c.agencyId,
    details: { model: "plan-of-action-and-milestones", items: items.length },
  });
  return { document, fileName: `custody-poam-${slug(c.title)}.json` };
}

function earliest(dates: Date[]) {
  return new Date(Math.min(...dates.map((d) => d.getTime())));
}

export function slug(text: string) {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "contract"
  );
}
