import { data, Form, Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { RequirementCard } from "~/components/requirement-card.tsx";
import { authorize } from "~/http/guard.server.ts";
import { getFramework } from "~/modules/catalog/catalog.server.ts";
import { catalogPaths, kindLabel } from "~/modules/catalog/paths.ts";
import { parseFilter, parseRevision } from "~/modules/catalog/query.ts";
import type { Route } from "./+types/catalog.framework.version";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.framework.title} ${data.framework.version} — Custody` : "Catalog — Custody" },
];

export const permission = "catalog:read";

export async function loader(args: Route.LoaderArgs) {
  const { params, request } = args;
  const auth = await authorize(args, permission);
  const url = new URL(request.url);
  const revision = parseRevision(url);
  const filter = parseFilter(url);
  const detail = await auth.run((ctx) =>
    getFramework(ctx, {
      key: params.framework,
      version: params.version,
      revision,
      query: filter.q,
    }),
  );
  if (!detail) throw data("Not found", { status: 404 });
  return { ...detail, filterError: filter.error, requestedRevision: revision };
}

export default function FrameworkPage({ loaderData }: Route.ComponentProps) {
  const { framework, groups, query, total, matched, filterError, revisions, requestedRevision } = loaderData;
  const latest = revisions[0]?.revision ?? framework.revision;
  const revisionParam = requestedRevision;
  return (
    <>
      <Breadcrumbs
        crumbs={[
          { label: "Home", to: "/" },
          { label: "Catalog", to: catalogPaths.index() },
          { label: `${framework.shortTitle} ${framework.version}` },
        ]}
      />
      <h1>
        {framework.title} <span className="text-no-wrap">version {framework.version}</span>
      </h1>
      <p className="usa-intro custody-summary">{framework.description}</p>
      <p className="font-body-2xs custody-muted custody-summary">
        Source: {framework.citation}. Publisher: {framework.publisher}.
      </p>
      <p className="font-body-2xs">
        <a href={catalogPaths.oscal(framework.key, framework.version)} download>
          Download the current revision as a NIST OSCAL 1.0.6 catalog
        </a>{" "}
        (JSON, our own summaries, with the crosswalk as links to the other frameworks).
      </p>
      {framework.revision !== latest ? (
        <div className="usa-alert usa-alert--info usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              You are reading catalog revision {framework.revision}, kept because a contract cites it.{" "}
              <Link to={catalogPaths.framework(framework.key, framework.version)}>Read the current revision</Link>.
            </p>
          </div>
        </div>
      ) : null}
      <Form method="get" role="search" className="usa-form maxw-none margin-y-3" aria-label={`Filter ${framework.shortTitle}`}>
        {revisionParam ? <input type="hidden" name="revision" value={revisionParam} /> : null}
        <div className={`usa-form-group${filterError ? " usa-form-group--error" : ""}`}>
          <label className="usa-label" htmlFor="filter-q">
            Filter requirements
          </label>
          <span className="usa-hint" id="filter-q-hint">
            Matches the code, title, summary or figure, for example &ldquo;encrypt&rdquo; or &ldquo;AC-2&rdquo;.
          </span>
          {filterError ? (
            <span className="usa-error-message" id="filter-q-error" role="alert">
              {filterError}
            </span>
          ) : null}
          <div className="display-flex flex-align-end">
            <input
              className={`usa-input maxw-mobile-lg${filterError ? " usa-input--error" : ""}`}
              id="filter-q"
              name="q"
              type="search"
              defaultValue={query}
              aria-describedby={filterError ? "filter-q-hint filter-q-error" : "filter-q-hint"}
            />
            <button className="usa-button margin-left-1" type="submit">
              Filter
            </button>
          </div>
        </div>
      </Form>
      <p aria-live="polite" className="custody-muted">
        {query ? (
          <>
            {matched} of {total} entries match &ldquo;{query}&rdquo;.{" "}
            <Link to={catalogPaths.framework(framework.key, framework.version, revisionParam)}>Clear the filter</Link>
          </>
        ) : (
          `${total} entries.`
        )}
      </p>
      {groups.length === 0 || (query && matched === 0) ? (
        <p>No requirement matches. Try a shorter word or a control code.</p>
      ) : null}
      {groups.map((group) =>
        group.heading ? (
          <section key={group.heading.id} aria-labelledby={`area-${group.heading.code}`} className="margin-top-4">
            <h2 id={`area-${group.heading.code}`} className="margin-bottom-1">
              <Link to={catalogPaths.requirement(framework.key, framework.version, group.heading.code, revisionParam)}>
                {group.heading.code} {group.heading.title}
              </Link>
            </h2>
            <p className="custody-summary margin-top-0">{group.heading.summary}</p>
            {group.items.length > 0 ? (
              <ul className="usa-list usa-list--unstyled">
                {group.items.map((r) => (
                  <RequirementCard key={r.id} framework={framework} requirement={r} revision={revisionParam} />
                ))}
              </ul>
            ) : (
              <p className="custody-muted">
                No {kindLabel("control", 2)} in this area are catalogued yet; it is listed so the whole policy is visible.
              </p>
            )}
          </section>
        ) : (
          <section key="all" aria-labelledby="all-requirements" className="margin-top-4">
            <h2 id="all-requirements" className="text-capitalize">
              {kindLabel(group.items[0]?.kind ?? "requirement", 2)}
            </h2>
            <ul className="usa-list usa-list--unstyled">
              {group.items.map((r) => (
                <RequirementCard key={r.id} framework={framework} requirement={r} revision={revisionParam} />
              ))}
            </ul>
          </section>
        ),
      )}
    </>
  );
}
