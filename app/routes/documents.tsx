import { Link, useSearchParams } from "react-router";
import { authorize } from "~/http/guard.server.ts";
import { listGenerations } from "~/modules/documents/generations.server.ts";
import { documentPaths, SUBJECT_LABELS } from "~/modules/documents/paths.ts";
import { listTemplates } from "~/modules/documents/templates.server.ts";
import type { Route } from "./+types/documents";
import { When } from "~/components/when.tsx";

/** The templates one may generate from, and the documents the agency has generated. */
export const permission = "document:read";
export const meta = () => [{ title: "Documents — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const url = new URL(args.request.url);
  return auth.run(async (ctx) => ({
    templates: ctx.actor.permissions.has("document:generate") ? listTemplates(ctx) : [],
    generations: await listGenerations(ctx, {
      contractId: url.searchParams.get("contract") ?? undefined,
      vendorId: url.searchParams.get("vendor") ?? undefined,
    }),
  }));
}

export default function Documents({ loaderData }: Route.ComponentProps) {
  const { templates, generations } = loaderData;
  const [params] = useSearchParams();
  const filtered = params.has("contract") || params.has("vendor");
  return (
    <div className="padding-y-4">
      <h1>Documents</h1>
      <p className="usa-intro">
        Agreements and compliance documents generated from versioned templates. Each generation is kept as a record: the template
        and version, the inputs and their SHA-256, and the files produced.
      </p>
      {templates.length > 0 ? (
        <>
          <h2>Generate a document</h2>
          <ul className="usa-card-group">
            {templates.map((t) => (
              <li key={t.id} className="usa-card tablet:grid-col-6 desktop:grid-col-4">
                <div className="usa-card__container">
                  <div className="usa-card__header">
                    <h3 className="usa-card__heading">{t.title}</h3>
                  </div>
                  <div className="usa-card__body">
                    <p>{t.description}</p>
                    <p className="custody-muted font-sans-2xs">
                      {t.kind === "agreement" ? "Agreement" : "Report"} · for{" "}
                      {t.subject === "agency" ? "the agency" : `a ${SUBJECT_LABELS[t.subject].toLowerCase()}`} · version{" "}
                      {t.version}, approved {t.approved} · {t.formats.map((f) => f.toUpperCase()).join(" and ")}
                    </p>
                    {t.usable ? null : (
                      <div className="usa-alert usa-alert--error usa-alert--slim" role="status">
                        <div className="usa-alert__body">
                          <p className="usa-alert__text">
                            This template failed its check and cannot be used: {t.problems.join("; ")}
                          </p>
                        </div>
                      </div>
                    )}
                  </div>
                  <div className="usa-card__footer">
                    {t.usable ? (
                      <Link className="usa-button" to={documentPaths.generate(t.id)} aria-label={`Generate ${t.title}`}>
                        Generate
                      </Link>
                    ) : null}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Generated documents</h2>
      {filtered ? (
        <p>
          Showing the documents of one {params.has("contract") ? "contract" : "vendor"}.{" "}
          <Link to={documentPaths.list()}>Show all</Link>
        </p>
      ) : null}
      <table className="usa-table usa-table--borderless usa-table--stacked width-full">
        <caption className="usa-sr-only">Generated documents, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">For</th>
            <th scope="col">Template version</th>
            <th scope="col">Generated</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {generations.length === 0 ? (
            <tr>
              <td colSpan={5}>No document has been generated yet.</td>
            </tr>
          ) : null}
          {generations.map((g) => (
            <tr key={g.id}>
              <th scope="row" data-label="Document">
                <Link to={documentPaths.document(g.id)}>{g.templateTitle}</Link>
                {g.kind === "agreement" ? <span className="usa-tag margin-left-1">{g.final ? "Final" : "Draft"}</span> : null}
              </th>
              <td data-label="For">{g.subjectLabel}</td>
              <td data-label="Template version">
                {g.templateId} v{g.templateVersion}
              </td>
              <td data-label="Generated">
                <When at={g.generatedAt} />
              </td>
              <td data-label="By">{g.generatedByName}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
