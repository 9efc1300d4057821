import type { z } from "zod";
import { getGapReport, getMatrix } from "../../contracts/coverage.server.ts";
import { addDays, daysBetween } from "../../dates.ts";
import { COVERAGE_LABELS } from "../../contracts/contract-form.ts";
import { InvalidInput, type ModuleContext, NotFound } from "../../context.server.ts";
import { evidenceOfVendor } from "../../evidence/for-documents.server.ts";
import { listNotices } from "../../notices/notices.server.ts";
import { NOTICE_KIND_LABELS } from "../../notices/kinds.ts";
import { agencyRoster } from "../../roster/roster.server.ts";
import { ROSTER_FLAG_LABELS } from "../../roster/vocabulary.ts";
import { profileOf } from "../../vendors/vendors.server.ts";
import { assemble, fieldMeta } from "../assemble.server.ts";
import { library } from "../library.server.ts";
import { clausesOf, type TableBlock } from "../model.ts";
import { addendumSource, contractBasics } from "./agreements.server.ts";
import { actorName, agencyName, vendorSubject } from "./subjects.server.ts";
import type { TemplateSource } from "./types.ts";
import { formatCount, formatMinute } from "../../format.ts";
import {
  completenessOf,
  completenessSentence,
  cjisCitationNote,
  conflictsTable,
  paragraphs,
  unassessedTable,
} from "./coverage-facts.server.ts";

/**
 * The compliance documents a CJIS officer or counsel produces from the
 * records: the vendor compliance report, the gap analysis memo, the evidence
 * request letter and the roster certification. Each reads through the
 * modules that own the data, which scope it to the actor's agency.
 */

const table = (caption: string, columns: string[], rows: string[][], empty: string): TableBlock => ({
  t: "table",
  caption,
  columns,
  rows,
  empty,
});

export const complianceReportSource: TemplateSource = {
  async prefill(ctx, contractId) {
    const { subject, values } = await contractBasics(ctx, contractId);
    return {
      subject,
      values: {
        agencyName: values.agencyName,
        providerName: values.providerName,
        contractTitle: values.contractTitle,
        asOf: ctx.today,
        preparedBy: await actorName(ctx),
      },
    };
  },
  async data(ctx, subject, values) {
    const asOf = String(values.asOf);
    const matrix = await getMatrix(ctx, subject.contractId!);
    const evidence = await evidenceOfVendor(ctx, subject.vendorId!, { contractId: subject.contractId! });
    const soon = addDays(asOf, 90);
    const expiring = evidence.filter((e) => e.status === "accepted" && e.expiresOn !== null && e.expiresOn < soon);
    const late = (await listNotices(ctx, "agency", { vendorId: subject.vendorId!, timeliness: "late" })).slice(0, 200);
    const complete = completenessOf(matrix);
    const received = evidence.filter((e) => e.status !== "requested").length;
    return {
      opening: paragraphs(
        `${completenessSentence(complete, "report")} ${
          matrix.conflicts.length > 0
            ? `The contract's own terms or the vendor record conflict with a requirement in ${formatCount(matrix.conflicts.length, "place")}, set out below with the wording that would resolve each.`
            : "The contract's terms and the vendor record show no conflict with a requirement."
        } ${
          evidence.length === 0
            ? "No evidence has been requested from the vendor for this contract, so none is reported."
            : `Of ${formatCount(evidence.length, "evidence item")} requested, ${received} ${received === 1 ? "has" : "have"} been received and ${evidence.filter((e) => e.status === "accepted").length} accepted.`
        }`,
      ),
      method: paragraphs(
        `This report compares the contract's recorded terms and its coverage matrix — each requirement marked addressed, partial, missing or not applicable by the Agency's staff, with the section of the contract that addresses it — against the catalog editions the contract cites, and the vendor's evidence and notices as recorded in Custody. It does not read the contract's text itself; a requirement is only as assessed as its matrix entry.`,
        `Figures are as of ${asOf}, computed in the Agency's time zone (${ctx.timeZone}), and were drawn by ${String(values.preparedBy)} on ${ctx.today}. Expiry windows are counted from the report date.`,
        cjisCitationNote(matrix),
      ),
      conflicts: conflictsTable(matrix.conflicts),
      unassessed: unassessedTable(matrix),
      summary: table(
        "Coverage by framework",
        ["Framework", "Addressed", "Partial", "Missing", "Not applicable", "Not yet assessed"],
        matrix.sections.map((s) =>
          [
            s.framework.shortTitle,
            s.counts.addressed,
            s.counts.partial,
            s.counts.missing,
            s.counts["not-applicable"],
            s.counts.unassessed,
          ].map(String),
        ),
        "The contract is not measured against any framework yet.",
      ),
      coverage: table(
        "Coverage matrix",
        ["Requirement", "Title", "Status", "Where the contract addresses it"],
        matrix.sections.flatMap((s) =>
          s.rows.map((r) => [
            r.label,
            r.title,
            COVERAGE_LABELS[r.status as keyof typeof COVERAGE_LABELS] ?? r.status,
            r.section || (r.reason ?? ""),
          ]),
        ),
        "No requirements to show.",
      ),
      evidence: table(
        "Evidence status",
        ["Item", "Kind", "Status", "Accepted on", "Expires"],
        evidence.map((e) => [
          e.title,
          e.kind,
          e.shownLabel,
          e.acceptedOn ?? (e.status === "requested" ? "not received" : "not accepted"),
          e.status === "accepted"
            ? (e.expiresOn ?? "no expiry date set")
            : e.status === "requested"
              ? "not received"
              : "not accepted",
        ]),
        "No evidence has been requested or recorded for this contract.",
      ),
      expiring: table(
        `Evidence expired or expiring before ${soon}`,
        ["Item", "Kind", "Expires", "Days from the report date"],
        expiring.map((e) => [e.title, e.kind, e.expiresOn!, String(daysBetween(asOf, e.expiresOn!))]),
        "Nothing expires within 90 days of the report date.",
      ),
      late: table(
        "Notices the vendor gave late",
        ["Notice", "Summary", "Occurred", "Deadline", "Notified"],
        late.map((n) => [
          NOTICE_KIND_LABELS[n.kind],
          n.summary,
          formatMinute(n.occurredAt, ctx.timeZone),
          formatMinute(n.agencies[0]?.deadlineAt ?? null, ctx.timeZone),
          formatMinute(n.notifiedAt, ctx.timeZone),
        ]),
        "No notice from this vendor was late.",
      ),
    };
  },
};

/**
 * The addendum as it would read for this contract today, to quote the clause
 * that closes each gap: values the record does not give are shown as
 * bracketed placeholders for counsel to complete.
 */
async function proposedClauses(ctx: ModuleContext, contractId: string) {
  const lib = library();
  const template = lib.templates.get("cjis-addendum")!;
  const prefilled = await addendumSource.prefill(ctx, contractId, { publicUrl: "" });
  const values: Record<string, unknown> = { ...prefilled.suggested, ...prefilled.values };
  const shape = template.module!.variables.shape as Record<string, z.ZodType>;
  const filled = Object.fromEntries(
    Object.entries(shape).map(([name, schema]) => [name, values[name] ?? `[${fieldMeta(schema).label}]`]),
  );
  const model = assemble({
    library: lib,
    template,
    values: filled,
    choices: { excluded: [], wordings: {}, agencyClauses: [] },
    sources: {},
    final: false,
    inputsSha256: "",
    generatedAt: ctx.now,
  });
  const clauses = clausesOf(model);
  const byRequirement = new Map<string, typeof clauses>();
  for (const block of model.blocks) {
    if (block.t !== "clause") continue;
    const found = clauses.find((c) => c.id === block.id)!;
    for (const ref of block.requirements) byRequirement.set(ref, [...(byRequirement.get(ref) ?? []), found]);
  }
  return byRequirement;
}

/** The lines of an address, without a first line that only repeats the addressee's name (so it is not written twice). */
function addressWithoutName(address: string, name: string) {
  const lines = address
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const first = lines[0] ?? "";
  if (first.toLowerCase().startsWith(name.toLowerCase())) {
    const rest = first.slice(name.length).replace(/^[\s,;:–—-]+/, "");
    return rest ? [rest, ...lines.slice(1)] : lines.slice(1);
  }
  return lines;
}

export const gapMemoSource: TemplateSource = {
  async prefill(ctx, contractId) {
    const { view, subject, values } = await contractBasics(ctx, contractId);
    const profile = await profileOf(ctx, view.contract.vendorId, view.contract.agencyId);
    return {
      subject,
      values: {
        agencyName: values.agencyName,
        providerName: values.providerName,
        contractTitle: values.contractTitle,
        memoDate: ctx.today,
        sender: await actorName(ctx),
        replyBy: addDays(ctx.today, 30),
      },
      suggested: {
        recipient: [
          `Counsel for ${view.vendorName}`,
          ...addressWithoutName(profile?.legalNoticeAddress ?? "", view.vendorName),
        ].join("\n"),
        senderTitle: "Counsel for the Agency",
      },
    };
  },
  async data(ctx, subject, values) {
    const report = await getGapReport(ctx, subject.contractId!);
    const matrix = await getMatrix(ctx, subject.contractId!);
    const complete = completenessOf(matrix);
    const proposals = await proposedClauses(ctx, subject.contractId!);
    const closing = (g: (typeof report.gaps)[number]) => {
      const refs = [`${g.frameworkRef}:${g.code}`, ...g.closing.map((p) => `${p.frameworkKey}@${p.frameworkVersion}:${p.code}`)];
      const found = new Map(refs.flatMap((r) => proposals.get(r) ?? []).map((c) => [c.id, c]));
      return [...found.values()];
    };
    const rows = report.gaps.map((g) => {
      const clauses = closing(g);
      return [
        g.label,
        g.title,
        COVERAGE_LABELS[g.status as keyof typeof COVERAGE_LABELS] ?? g.status,
        g.notes || "—",
        clauses.length ? clauses.map((c) => `${c.number} ${c.title}`).join("; ") : "No library clause; to be negotiated",
      ];
    });
    const quoted = new Map(report.gaps.flatMap(closing).map((c) => [c.id, c]));
    const partial = complete.unassessed > 0;
    const gapsFound =
      report.gaps.length > 0
        ? `Of the requirements assessed, ${report.gaps.length} ${report.gaps.length === 1 ? "is" : "are"} not met or met only in part. For each we name the clause of our Cloud Services CJIS Addendum that would close the gap, and we set out its proposed wording after the tables. Bracketed text marks a value still to be agreed.`
        : complete.assessed === 0
          ? ""
          : partial
            ? "Among the requirements assessed so far, none is missing or met only in part."
            : "The assessment found no requirement missing or met only in part.";
    const conflictText =
      matrix.conflicts.length > 0
        ? `The contract's own terms and the vendor record also conflict with what the requirements ask in ${formatCount(matrix.conflicts.length, "place")}; each is set out first, with the wording that would resolve it.`
        : "";
    return {
      opening: paragraphs(
        [
          `${String(values.agencyName)} has reviewed ${String(values.contractTitle)} with ${String(values.providerName)} against the IACP Guiding Principles on Cloud Computing in Law Enforcement, the IACP sample contract provisions and the FBI CJIS Security Policy.`,
          completenessSentence(complete, "memo"),
          gapsFound,
          conflictText,
        ]
          .filter(Boolean)
          .join(" "),
        cjisCitationNote(matrix),
      ),
      conflicts: conflictsTable(matrix.conflicts),
      gaps: table(
        "Requirements the contract does not yet meet",
        ["Requirement", "Title", "Status", "Our notes", "Clause that would close it"],
        rows,
        partial
          ? `None among the ${formatCount(complete.assessed, "requirement")} assessed so far; ${formatCount(complete.unassessed, "requirement")} not yet assessed may hold gaps.`
          : "The contract has no missing or partially addressed requirement.",
      ),
      unassessed: unassessedTable(matrix),
      proposals: table(
        "Proposed wording (numbers refer to the Cloud Services CJIS Addendum)",
        ["Clause", "Proposed wording"],
        [...quoted.values()]
          .sort((a, b) => a.number.localeCompare(b.number, "en", { numeric: true }))
          .map((c) => [`${c.number} ${c.title}`, c.text]),
        partial ? "No wording to propose for the requirements assessed so far." : "No wording to propose.",
      ),
    };
  },
};

export const requestLetterSource: TemplateSource = {
  async prefill(ctx, vendorId, env) {
    const subject = await vendorSubject(ctx, vendorId);
    const profile = await profileOf(ctx, vendorId, ctx.actor.organisationId ?? "");
    return {
      subject,
      values: {
        agencyName: await agencyName(ctx),
        providerName: subject.label,
        letterDate: ctx.today,
        signatory: await actorName(ctx),
        portalUrl: `${env.publicUrl.replace(/\/$/, "")}/portal`,
      },
      suggested: { recipient: profile?.securityContactName ?? undefined, signatoryTitle: "CJIS officer" },
    };
  },
  async data(ctx, subject) {
    const open = (await evidenceOfVendor(ctx, subject.vendorId!)).filter(
      (e) => e.status === "requested" || e.status === "rejected",
    );
    return {
      due: table(
        "What is due",
        ["Item", "Kind", "Due by", "Status"],
        open
          .sort((a, b) => (a.dueOn ?? "9999").localeCompare(b.dueOn ?? "9999"))
          .map((e) => [
            e.title,
            e.kind,
            e.dueOn ?? "as soon as possible",
            e.status === "rejected" ? `${e.shownLabel}: a corrected version is needed` : e.shownLabel,
          ]),
        "Nothing is outstanding at the date of this letter.",
      ),
    };
  },
};

export const rosterCertificationSource: TemplateSource = {
  async prefill(ctx, vendorId) {
    const subject = await vendorSubject(ctx, vendorId);
    return {
      subject,
      values: {
        agencyName: await agencyName(ctx),
        providerName: subject.label,
        asOf: ctx.today,
        certifier: await actorName(ctx),
      },
      suggested: { certifierTitle: "CJIS officer" },
    };
  },
  async data(ctx, subject) {
    // An agency sees a vendor's roster only while it holds a contract with it that is not terminated.
    const roster = await agencyRoster(ctx, subject.vendorId!).catch((error: unknown) => {
      if (error instanceof NotFound)
        throw new InvalidInput({
          subject: `${subject.label} has no contract with your agency that is not terminated, so its personnel roster is not yours to certify.`,
        });
      throw error;
    });
    return {
      roster: table(
        "Vendor personnel with access to criminal justice information",
        [
          "Name",
          "Role",
          "Unescorted access",
          "Fingerprint check",
          "Security Addendum signed",
          "Security training",
          "Access ended",
          "Flags",
        ],
        roster.people.map((p) => [
          p.fullName,
          p.jobRole,
          p.unescortedAccess ? "yes" : "no",
          p.fingerprintCheckedOn ?? "not recorded",
          p.addendumSignedOn ?? "not recorded",
          p.trainedOn ?? "not recorded",
          p.accessEndedOn ?? "—",
          p.flags.map((f) => ROSTER_FLAG_LABELS[f]).join("; ") || "none",
        ]),
        "The vendor has no one on its roster.",
      ),
    };
  },
};
