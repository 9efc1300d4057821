import { Hash } from "~/components/hash.tsx";
import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { ClauseDiff } from "~/components/clause-diff.tsx";
import { DocumentPreview } from "~/components/document-preview.tsx";
import { authorize } from "~/http/guard.server.ts";
import { getGeneration } from "~/modules/documents/generations.server.ts";
import { documentPaths, FORMAT_LABELS } from "~/modules/documents/paths.ts";
import type { Route } from "./+types/documents.document";
import { When } from "~/components/when.tsx";

/** One generated document: its record, its files, its preview, and what changed since the one before. */
export const permission = "document:read";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.generation.templateTitle ?? "Document"} — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run((ctx) => getGeneration(ctx, args.params.generationId));
}

export default function GeneratedDocument({ loaderData: d }: Route.ComponentProps) {
  const g = d.generation;
  const subjectId = g.contractId ?? g.vendorId ?? g.agencyId;
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Documents", to: documentPaths.list() }, { label: g.templateTitle }]} />
      <h1>{g.templateTitle}</h1>
      <p className="usa-intro">For {g.subjectLabel}</p>
      <dl className="custody-definitions">
        <dt>Template</dt>
        <dd>
          {g.templateId}, version {g.templateVersion}
        </dd>
        {g.kind === "agreement" ? (
          <>
            <dt>Status</dt>
            <dd>{g.final ? "Final for signature" : "Draft (marked DRAFT on every page)"}</dd>
          </>
        ) : null}
        <dt>Generated</dt>
        <dd>
          <When at={g.generatedAt} /> by {g.generatedByName}
        </dd>
        <dt>SHA-256 of the inputs</dt>
        <dd>
          <Hash value={g.inputsSha256} label="SHA-256 of the inputs" />
        </dd>
      </dl>
      <h2>Files</h2>
      <ul className="usa-list usa-list--unstyled">
        {d.outputs.map((o) => (
          <li key={o.format} className="margin-bottom-2">
            <a className="usa-button" href={documentPaths.download(g.id, o.format)} download>
              Download {o.format.toUpperCase()}
            </a>{" "}
            {FORMAT_LABELS[o.format]}, {Math.ceil(o.sizeBytes / 1024)} KB · SHA-256{" "}
            <Hash value={o.sha256} label={`SHA-256 of the ${o.format.toUpperCase()}`} />
          </li>
        ))}
      </ul>
      {d.canGenerate ? (
        <p>
          <Link className="usa-button usa-button--outline" to={documentPaths.generate(g.templateId, subjectId, g.id)}>
            Regenerate from the current records
          </Link>
        </p>
      ) : null}
      {d.laterId ? (
        <p>
          A newer generation exists: <Link to={documentPaths.document(d.laterId)}>see it</Link>.
        </p>
      ) : null}
      {d.previous && d.diff ? (
        <>
          <h2>Changes since the previous generation</h2>
          <p>
            Compared with{" "}
            <Link to={documentPaths.document(d.previous.id)}>
              the generation of <When at={d.previous.generatedAt} />
            </Link>{" "}
            by {d.previous.generatedByName} (template version {d.previous.templateVersion}).
            {d.diff.inputsChanged ? " The inputs changed." : " The inputs are the same."}
          </p>
          <p>
            <a className="usa-button usa-button--outline" href={documentPaths.changes(g.id)} download>
              Download the changes as Word tracked changes
            </a>
          </p>
          <ClauseDiff diff={d.diff} />
        </>
      ) : null}
      <h2>Preview</h2>
      <DocumentPreview model={g.model} />
    </div>
  );
}
