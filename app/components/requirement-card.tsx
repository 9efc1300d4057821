import { Link } from "react-router";
import { catalogPaths, requirementLabel } from "~/modules/catalog/paths.ts";

type Props = {
  framework: { key: string; version: string };
  requirement: { code: string; kind: string; title: string; summary: string; figure: string | null };
  revision?: number;
};

/** One requirement in a framework listing: its label, title, summary and figure. */
export function RequirementCard({ framework, requirement: r, revision }: Props) {
  return (
    <li className={`border-top border-base-lighter padding-y-2${r.kind === "control-enhancement" ? " margin-left-4" : ""}`}>
      <h3 className="margin-y-0 font-heading-md">
        <Link to={catalogPaths.requirement(framework.key, framework.version, r.code, revision)}>
          <span className="custody-code">{requirementLabel(r)}</span> {r.title}
        </Link>
      </h3>
      <p className="custody-summary margin-y-1">{r.summary}</p>
      {r.figure ? (
        <p className="custody-figure margin-y-1">
          <strong>Figure:</strong> {r.figure}
        </p>
      ) : null}
    </li>
  );
}
