import { data, Link } from "react-router";
import { AuditPriority } from "~/components/audit-priority.tsx";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { getRequirement } from "~/modules/catalog/catalog.server.ts";
import { catalogPaths, kindLabel, qualifiedLabel, relationshipText, requirementLabel } from "~/modules/catalog/paths.ts";
import { parseRevision } from "~/modules/catalog/query.ts";
import type { Route } from "./+types/catalog.requirement";

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data
      ? `${requirementLabel(data.requirement)} ${data.requirement.title} — ${data.framework.shortTitle} ${data.framework.version} — Custody`
      : "Requirement — Custody",
  },
];

export const permission = "catalog:read";

export async function loader(args: Route.LoaderArgs) {
  const { params, request } = args;
  const auth = await authorize(args, permission);
  const revision = parseRevision(new URL(request.url));
  const detail = await auth.run((ctx) =>
    getRequirement(ctx, {
      key: params.framework,
      version: params.version,
      code: params.code,
      revision,
    }),
  );
  if (!detail) throw data("Not found", { status: 404 });
  return { ...detail, revision };
}

export default function RequirementPage({ loaderData }: Route.ComponentProps) {
  const { framework, requirement: r, parent, children, crosswalk, evidence, revision } = loaderData;
  const label = requirementLabel(r);
  const frameworkName = `${framework.shortTitle} ${framework.version}`;
  return (
    <>
      <Breadcrumbs
        crumbs={[
          { label: "Home", to: "/" },
          { label: "Catalog", to: catalogPaths.index() },
          { label: frameworkName, to: catalogPaths.framework(framework.key, framework.version, revision) },
          ...(parent
            ? [
                {
                  label: requirementLabel(parent),
                  to: catalogPaths.requirement(framework.key, framework.version, parent.code, revision),
                },
              ]
            : []),
          { label },
        ]}
      />
      <p className="margin-bottom-0 custody-muted text-capitalize">
        {frameworkName} · {kindLabel(r.kind)}
      </p>
      <h1 className="margin-top-05">
        <span className="custody-code">{label}</span> {r.title}
      </h1>
      <p className="usa-intro custody-summary">{r.summary}</p>
      {r.figure ? (
        <p className="custody-figure">
          <strong>Figure:</strong> {r.figure}
        </p>
      ) : null}
      <p className="font-body-2xs custody-muted">
        <strong>Source:</strong> {r.citation}.
      </p>
      <AuditPriority frameworkKey={framework.key} kind={r.kind} priority={r.priority} />

      {parent || children.length > 0 ? (
        <section aria-labelledby="structure" className="margin-top-4">
          <h2 id="structure">Within the {framework.shortTitle}</h2>
          {parent ? (
            <p>
              Part of{" "}
              <Link to={catalogPaths.requirement(framework.key, framework.version, parent.code, revision)}>
                {requirementLabel(parent)} {parent.title}
              </Link>
              .
            </p>
          ) : null}
          {children.length > 0 ? (
            <ul className="usa-list">
              {children.map((c) => (
                <li key={c.id}>
                  <Link to={catalogPaths.requirement(framework.key, framework.version, c.code, revision)}>
                    <span className="custody-code">{requirementLabel(c)}</span> {c.title}
                  </Link>
                  {c.figure ? <span className="custody-muted"> — {c.figure}</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="crosswalk" className="margin-top-4">
        <h2 id="crosswalk">Crosswalk</h2>
        {crosswalk.length === 0 ? (
          <p>No other framework entry is mapped to {label} yet.</p>
        ) : (
          <table className="usa-table usa-table--borderless usa-table--stacked width-full">
            <caption className="text-left">
              How {label} relates to requirements of the other frameworks: &ldquo;Part of&rdquo; means {label} asks for only part
              of what the other asks; &ldquo;Includes all of&rdquo; means it asks for all of it and more.
            </caption>
            <thead>
              <tr>
                <th scope="col">Relationship</th>
                <th scope="col">Requirement</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {crosswalk.map((l) => (
                <tr key={`${l.other.frameworkKey}:${l.other.code}`}>
                  <td data-label="Relationship">{relationshipText[l.relationship]}</td>
                  <th scope="row" data-label="Requirement">
                    <Link to={catalogPaths.requirement(l.other.frameworkKey, l.other.frameworkVersion, l.other.code)}>
                      <span className="custody-code">{qualifiedLabel(l.other)}</span> {l.other.title}
                    </Link>
                  </th>
                  <td data-label="Why">{l.rationale}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="evidence" className="margin-top-4">
        <h2 id="evidence">Evidence that can satisfy it</h2>
        {evidence.length === 0 ? (
          <p>No kind of vendor evidence is linked to {label} directly; it is shown by the contract language itself.</p>
        ) : (
          <ul className="usa-list">
            {evidence.map((e) => (
              <li key={e.key}>
                <Link to={`${catalogPaths.evidence()}#${e.key}`}>{e.name}</Link>: {e.description}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
