import { buildReport } from "../../access/reports.server.ts";

import type { TableBlock } from "../model.ts";
import { actorName, agencyName } from "./subjects.server.ts";
import type { TemplateSource } from "./types.ts";

/**
 * The access governance report an auditor asks for: the access list, stale
 * and expiring accounts, deprovisioning records and access reviews, read
 * through the access module's own reports (each read is audited there).
 */
export const accessGovernanceSource: TemplateSource = {
  async prefill(ctx) {
    const name = await agencyName(ctx);
    return {
      subject: { type: "agency", id: ctx.actor.organisationId!, label: name, contractId: null, vendorId: null },
      values: { agencyName: name, asOf: ctx.today, preparedBy: await actorName(ctx) },
      suggested: { preparedFor: "State CJIS Systems Agency audit" },
    };
  },
  async data(ctx) {
    const tables: Record<string, TableBlock> = {};
    for (const name of ["access-list", "outside-access", "accounts", "deprovisioning", "access-reviews"] as const) {
      const report = await buildReport(ctx, name);
      tables[name] = {
        t: "table",
        caption: report.title,
        columns: report.columns,
        rows: report.rows.map((r) => r.map(String)),
        empty: "Nothing to report.",
      };
    }
    return tables;
  },
};
