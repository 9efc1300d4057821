import { ScrollTable } from "~/components/scroll-table.tsx";
import { data, Link } from "react-router";
import { authorize } from "~/http/guard.server.ts";
import { REPORT_TITLES as titles, REPORTS, type ReportName } from "~/modules/access/report-names.ts";
import { buildReport } from "~/modules/access/reports.server.ts";
import type { Route } from "./+types/reports";

export const permission = "report:read";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.report.title ?? "Reports"} — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const name = (args.params.report ?? "access-list") as ReportName;
  if (!REPORTS.includes(name)) throw data("Not found", { status: 404 });
  return { name, report: await auth.run((ctx) => buildReport(ctx, name)) };
}

export default function Reports({ loaderData }: Route.ComponentProps) {
  const { name, report } = loaderData;
  return (
    <div className="padding-y-4">
      <nav aria-label="Reports" className="margin-bottom-2">
        <ul className="usa-button-group">
          {REPORTS.map((r) => (
            <li key={r} className="usa-button-group__item">
              <Link
                className={`usa-button${r === name ? "" : " usa-button--outline"}`}
                to={`/reports/${r}`}
                aria-current={r === name ? "page" : undefined}
              >
                {titles[r]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <h1>{report.title}</h1>
      <p className="usa-intro">{report.description}</p>
      <p>
        <a className="usa-button usa-button--outline" href={`/reports/${name}/export.csv`} download>
          Export as CSV
        </a>
      </p>
      {report.rows.length === 0 ? (
        <p>Nothing to report.</p>
      ) : (
        <ScrollTable label={report.title}>
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption className="usa-sr-only">{report.title}</caption>
            <thead>
              <tr>
                {report.columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </div>
  );
}
