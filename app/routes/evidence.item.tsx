import { qualifiedLabel } from "~/modules/catalog/paths.ts";
import { readForm } from "~/http/form.server.ts";
import { data, Form, Link, redirect, useSearchParams } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { CustodyProofs, CustodyTable, EvidenceVersions } from "~/components/evidence-item.tsx";
import { EvidenceStatusTag, FlagList } from "~/components/evidence.tsx";
import { ErrorSummary } from "~/components/field.tsx";
import { ChoiceGroup, TextareaField } from "~/components/inputs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { contractPaths } from "~/modules/contracts/paths.ts";
import { getEvidenceItem } from "~/modules/evidence/register.server.ts";
import { decide, startReview } from "~/modules/evidence/review.server.ts";
import { evidencePaths } from "~/modules/evidence/vocabulary.ts";
import type { Route } from "./+types/evidence.item";

/** One evidence item: what was asked, every version with its attestation and decision, and its chain of custody. */
export const permission = "evidence:read";
/** Taking a submission under review and deciding on it. */
export const actionPermission = "evidence:review";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.item.title ?? "Evidence"} — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run((ctx) => getEvidenceItem(ctx, args.params.itemId));
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, actionPermission);
  const form = await readForm(args.request);
  if (form.get("intent") === "start-review") {
    const started = await auth.submit((ctx) => startReview(ctx, args.params.itemId));
    if (!started.ok) return data({ errors: started.errors }, { status: 400 });
    return redirect(evidencePaths.item(args.params.itemId));
  }
  const decided = await auth.submit((ctx) =>
    decide(ctx, args.params.itemId, { decision: form.get("decision") ?? undefined, reason: form.get("reason") ?? undefined }),
  );
  if (!decided.ok) return data({ errors: decided.errors }, { status: 400 });
  const { accepted, next } = decided.value;
  await auth.flash(
    `The submission is ${accepted ? "accepted" : "rejected"}.${next ? " The next request of the series is open." : ""}`,
  );
  return redirect(`${evidencePaths.item(args.params.itemId)}${next ? `?next=${next.id}` : ""}`);
}

export default function EvidenceItemPage({ loaderData, actionData }: Route.ComponentProps) {
  const d = loaderData;
  const errors = actionData?.errors ?? {};
  const [params] = useSearchParams();
  const next = params.get("next");
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Evidence", to: evidencePaths.register() }, { label: d.item.title }]} />
      <h1>{d.item.title}</h1>
      {next ? (
        <p>
          <Link to={evidencePaths.item(next)}>Open the next request of the series</Link>
        </p>
      ) : null}
      <p>
        <EvidenceStatusTag status={d.item.shown} /> {d.kind.name} from <strong>{d.vendorName}</strong>, for {d.agencyName}
        {d.owned ? "" : " (shared with your agency; read-only)"}.
      </p>
      <FlagList flags={d.item.flags} />
      <dl className="custody-definitions">
        <dt>Due</dt>
        <dd>{d.item.dueOn ?? "—"}</dd>
        <dt>Expires</dt>
        <dd>{d.item.expiresOn ?? "—"}</dd>
        <dt>Repeats</dt>
        <dd>{d.item.recurrenceMonths ? `Every ${d.item.recurrenceMonths} months` : "No"}</dd>
        <dt>Requested by</dt>
        <dd>{d.item.requestedByName ?? "—"}</dd>
        <dt>Contracts</dt>
        <dd>
          {d.contracts.map((c, i) => (
            <span key={c.id}>
              {i > 0 ? ", " : ""}
              <Link to={contractPaths.matrix(c.id, { open: ["all"] })}>{c.title}</Link>
            </span>
          ))}
        </dd>
        <dt>Requirements</dt>
        <dd>{d.requirements.map((r) => qualifiedLabel(r)).join(", ")}</dd>
        <dt>Instructions to the vendor</dt>
        <dd>{d.item.instructions || "—"}</dd>
        {d.item.internalNotes !== null ? (
          <>
            <dt>Internal notes</dt>
            <dd>{d.item.internalNotes || "—"}</dd>
          </>
        ) : null}
      </dl>
      {d.canStartReview ? (
        <Form method="post">
          <input type="hidden" name="intent" value="start-review" />
          <button className="usa-button usa-button--outline" type="submit">
            Start review
          </button>
        </Form>
      ) : null}
      {d.canDecide ? (
        <Form method="post" className="usa-form usa-form--large" noValidate>
          <h2>Decision on version {d.versions[0]?.version}</h2>
          <ErrorSummary errors={errors} />
          <ChoiceGroup
            type="radio"
            name="decision"
            legend="Decision"
            options={[
              { value: "accept", label: "Accept" },
              { value: "reject", label: "Reject" },
            ]}
            checked={[]}
            error={errors.decision}
          />
          <TextareaField
            name="reason"
            label="Reason"
            hint="Required to reject; the vendor sees it."
            rows={3}
            error={errors.reason}
          />
          <button className="usa-button" type="submit">
            Record the decision
          </button>
        </Form>
      ) : null}
      <EvidenceVersions
        kindKey={d.kind.key}
        fields={d.fields}
        versions={d.versions}
        fileHref={(fileId) => evidencePaths.file(d.item.id, fileId)}
      />
      <section aria-labelledby="custody">
        <h2 id="custody">Chain of custody</h2>
        <p>
          Every upload, view, download and decision, from the audit trail.{" "}
          <a href={evidencePaths.custodyPdf(d.item.id)}>Download as PDF</a> ·{" "}
          <a href={evidencePaths.custodyCsv(d.item.id)}>as CSV</a>
        </p>
        <p className="custody-summary">
          Each event has a position in the audit log, whose signed checkpoints are also kept outside the database. The{" "}
          <a href={evidencePaths.custodyReceipt(d.item.id)}>signed receipt (JSON)</a> proves, for every event listed, that the log
          holds it exactly as written. Anyone can check it offline, without access to Custody, with the{" "}
          <a href="/.well-known/custody-verify-receipt.mjs">receipt checker</a> (one file, Node.js only) and this
          installation&apos;s <a href="/.well-known/custody-audit-key.pem">public key</a>:
        </p>
        <pre className="custody-command" tabIndex={0} aria-label="Command to check a receipt">
          <code>node custody-verify-receipt.mjs receipt.json --key custody-audit-key.pem</code>
        </pre>
        <CustodyTable rows={d.custody} />
        <CustodyProofs proofs={d.custodyProofs} />
      </section>
    </div>
  );
}
