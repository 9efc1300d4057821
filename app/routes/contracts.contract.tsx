import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { ConflictList } from "~/components/conflicts.tsx";
import { CoverageLegend, CoverageTable, coverageText } from "~/components/coverage.tsx";
import { authorize } from "~/http/guard.server.ts";
import { getContract } from "~/modules/contracts/contracts.server.ts";
import { getCoverageSummary } from "~/modules/contracts/coverage.server.ts";
import { listContractFiles } from "~/modules/contracts/files.server.ts";
import { CONTRACT_FILE_STAGE_LABELS } from "~/modules/contracts/figures.ts";
import { KIND_LABELS, STATUS_LABELS } from "~/modules/contracts/lifecycle.ts";
import { contractPaths, vendorPaths } from "~/modules/contracts/paths.ts";
import { documentPaths } from "~/modules/documents/paths.ts";
import { evidencePaths } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/contracts.contract";
import { When } from "~/components/when.tsx";
import { OscalDownloads } from "~/components/oscal.tsx";
import { formatCents, formatPercent } from "~/modules/format.ts";

export const permission = "contract:read";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.view.contract.title ?? "Contract"} — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run(async (ctx) => {
    const view = await getContract(ctx, args.params.contractId);
    return {
      view,
      coverage: await getCoverageSummary(ctx, view),
      files: (await listContractFiles(ctx, view.contract.id)).slice(0, 5),
      canRequestEvidence: view.owned && ctx.actor.permissions.has("evidence:request"),
      canGenerate: ctx.actor.permissions.has("document:generate"),
      canReadEvidence: ctx.actor.permissions.has("evidence:read"),
      canExport: ctx.actor.permissions.has("export:read"),
    };
  });
}

const hours = (n: number) => `${n} hour${n === 1 ? "" : "s"}`;

export default function ContractPage({ loaderData }: Route.ComponentProps) {
  const { view, coverage, files } = loaderData;
  const { contract: c, terms: t, lifecycle } = view;
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Contracts", to: contractPaths.list() }, { label: c.title }]} />
      <h1>{c.title}</h1>
      <p className="custody-muted">
        {KIND_LABELS[c.kind]}
        {c.reference ? ` · ${c.reference}` : ""} · with <Link to={vendorPaths.vendor(c.vendorId)}>{view.vendorName}</Link> · owned
        by {view.agencyName}
        {view.shares.length > 0 ? ` · shared with ${view.shares.map((s) => s.name).join(", ")}` : ""}
      </p>
      <p>
        <strong>Status: {STATUS_LABELS[lifecycle.status]}</strong>
        {view.owned ? "" : " · Read-only: the owning agency changes this contract."}
      </p>
      <ul className="usa-button-group">
        <li className="usa-button-group__item">
          <Link className="usa-button" to={contractPaths.matrix(c.id)}>
            Coverage matrix
          </Link>
        </li>
        <li className="usa-button-group__item">
          <Link className="usa-button usa-button--outline" to={contractPaths.gaps(c.id)}>
            Gap report
          </Link>
        </li>
        <li className="usa-button-group__item">
          <Link className="usa-button usa-button--outline" to={contractPaths.files(c.id)}>
            Contract files
          </Link>
        </li>
        {loaderData.canGenerate ? (
          <li className="usa-button-group__item">
            <Link className="usa-button usa-button--outline" to={documentPaths.generate("cjis-addendum", c.id)}>
              Generate CJIS addendum
            </Link>
          </li>
        ) : null}
        {loaderData.canGenerate ? (
          <li className="usa-button-group__item">
            <Link className="usa-button usa-button--outline" to={documentPaths.generate("sla-schedule", c.id)}>
              Service-level schedule
            </Link>
          </li>
        ) : null}
        {loaderData.canGenerate && loaderData.canReadEvidence ? (
          <li className="usa-button-group__item">
            <Link className="usa-button usa-button--outline" to={documentPaths.generate("compliance-report", c.id)}>
              Compliance report
            </Link>
          </li>
        ) : null}
        {loaderData.canRequestEvidence ? (
          <li className="usa-button-group__item">
            <Link className="usa-button usa-button--outline" to={`${evidencePaths.request()}?contractId=${c.id}`}>
              Request evidence
            </Link>
          </li>
        ) : null}
        {view.canEdit ? (
          <li className="usa-button-group__item">
            <Link className="usa-button usa-button--outline" to={contractPaths.edit(c.id)}>
              Edit the contract
            </Link>
          </li>
        ) : null}
      </ul>

      <ConflictList conflicts={coverage.conflicts} />

      <h2>Coverage</h2>
      <p>
        {coverage.percent ?? 0}% of the requirements that apply are addressed ({coverageText(coverage.contract)}).
      </p>
      <CoverageLegend />
      <CoverageTable
        caption="Coverage per framework"
        heading="Framework"
        rows={coverage.perFramework.map((f) => ({
          key: f.framework.id,
          label: f.framework.shortTitle,
          title: `${f.framework.shortTitle} (${f.framework.version})`,
          counts: f.counts,
        }))}
      />
      {coverage.perPrinciple.length > 0 ? (
        <details>
          <summary>Coverage per IACP principle (its provisions and the CJIS controls mapped to it)</summary>
          <CoverageTable
            caption="Coverage per principle"
            heading="Principle"
            rows={coverage.perPrinciple.map((p) => ({
              key: p.id,
              label: `Principle ${p.code}`,
              title: (
                <Link to={contractPaths.requirement(c.id, p.id)}>
                  {p.code}. {p.title}
                </Link>
              ),
              counts: p.counts,
            }))}
          />
        </details>
      ) : null}

      <h2>Lifecycle</h2>
      <dl className="custody-definitions">
        <dt>Signed on</dt>
        <dd>{c.signedOn ?? "Not signed"}</dd>
        <dt>Term</dt>
        <dd>
          {c.effectiveOn ?? "No effective date"} to {c.endsOn ?? "no end date"}
          {c.autoRenew ? `, renewing automatically for ${c.renewalTermMonths} months at a time` : ""}
          {lifecycle.renewals > 0
            ? ` (renewed ${lifecycle.renewals} time${lifecycle.renewals === 1 ? "" : "s"}; current term ends ${lifecycle.currentEnd})`
            : ""}
        </dd>
        <dt>Renewal-notice deadline</dt>
        <dd>{lifecycle.renewalNoticeBy ?? "None"}</dd>
        {c.stage === "terminated" ? (
          <>
            <dt>Terminated</dt>
            <dd>
              {c.terminatedOn}: {c.terminationReason}
            </dd>
          </>
        ) : null}
        <dt>Value</dt>
        <dd>{formatCents(c.valueCents)}</dd>
        <dt>Services</dt>
        <dd className="custody-pre">{c.services || "Not described"}</dd>
        {view.parent ? (
          <>
            <dt>Belongs to</dt>
            <dd>
              <Link to={contractPaths.contract(view.parent.id)}>{view.parent.title}</Link>
            </dd>
          </>
        ) : null}
        {view.children.length > 0 ? (
          <>
            <dt>Amendments and related agreements</dt>
            <dd>
              {view.children.map((ch, i) => (
                <span key={ch.id}>
                  {i > 0 ? "; " : ""}
                  <Link to={contractPaths.contract(ch.id)}>{ch.title}</Link> ({KIND_LABELS[ch.kind]})
                </span>
              ))}
            </dd>
          </>
        ) : null}
      </dl>

      <h2 id="terms">Terms that drive deadlines</h2>
      <dl className="custody-definitions">
        <dt>Breach notification window</dt>
        <dd>{hours(t.breachNoticeHours)}</dd>
        <dt>Legal-process notice window</dt>
        <dd>{hours(t.legalProcessNoticeHours)}</dd>
        <dt>Audit interval</dt>
        <dd>{t.auditIntervalMonths} months</dd>
        <dt>Minimum cyber-liability insurance</dt>
        <dd>{formatCents(t.minCyberInsuranceCents, "Not set")}</dd>
        <dt>Availability targets</dt>
        <dd>
          Critical {formatPercent(t.availabilityCritical)} · Essential {formatPercent(t.availabilityEssential)} · Standard{" "}
          {formatPercent(t.availabilityStandard)} · Archive {formatPercent(t.availabilityArchive)}
        </dd>
        <dt>Notice of a change of data location</dt>
        <dd>{t.locationChangeNoticeDays} days</dd>
        <dt>Notice of a business change</dt>
        <dd>{t.businessChangeNoticeDays} days before it takes effect</dd>
        <dt>Vendor personnel roster</dt>
        <dd>{t.personnelRosterRequired ? "Required" : "Not required"}</dd>
        <dt>CJIS Security Policy cited</dt>
        <dd>{view.cjisCited ? `Version ${view.cjisCited.version} (${view.cjisCited.published})` : "None"}</dd>
      </dl>

      <h2>Latest contract files</h2>
      {files.length === 0 ? (
        <p>No file uploaded yet.</p>
      ) : (
        <ul className="usa-list">
          {files.map((d) => (
            <li key={d.id}>
              <a href={contractPaths.file(c.id, d.id)}>
                Version {d.version}: {d.filename}
              </a>{" "}
              — {CONTRACT_FILE_STAGE_LABELS[d.stage]}, uploaded <When at={d.uploadedAt} /> by {d.uploadedByName}
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to={contractPaths.files(c.id)}>All versions{view.canEdit ? " and upload" : ""}</Link>
      </p>
      {loaderData.canExport ? (
        <OscalDownloads
          links={[
            {
              href: contractPaths.oscalResults(c.id),
              label: "Assessment results",
              holds:
                "each assessed requirement as a finding, each coverage decision and accepted piece of evidence as an observation, with who decided and when; what was not assessed is stated first",
            },
            {
              href: contractPaths.oscalPoam(c.id),
              label: "Plan of action and milestones",
              holds:
                "every missing or partial requirement and every conflict, each due by its evidence deadline or the contract's renewal",
            },
          ]}
        />
      ) : null}
    </div>
  );
}
