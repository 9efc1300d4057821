import { type ChartBlock, type TableBlock } from "../model.ts";
import { actorName, agencyName } from "./subjects.server.ts";
import type { TemplateSource } from "./types.ts";
import { formatUsd } from "../../format.ts";

/**
 * Total cost of ownership over the system's life (IACP principle 12): cloud
 * (set-up, then a yearly subscription) against on-premises (capital, yearly
 * upkeep and staff, a hardware refresh), both with the yearly cost of keeping
 * CJIS compliance. Only the figures entered on the form are used.
 */

export function tcoYears(v: Record<string, unknown>) {
  const n = (k: string) => Number(v[k] ?? 0);
  const years = n("lifeYears");
  const escalate = (base: number, year: number) => base * Math.pow(1 + n("annualIncreasePercent") / 100, year - 1);
  const rows: { year: number; cloud: number; onPremises: number }[] = [];
  for (let year = 1; year <= years; year += 1) {
    const cloud = (year === 1 ? n("cloudSetup") : 0) + escalate(n("cloudAnnual") + n("cloudComplianceAnnual"), year);
    const refresh =
      n("onPremRefreshYear") > 0 && year > 1 && (year - 1) % n("onPremRefreshYear") === 0 ? n("onPremRefreshCost") : 0;
    const onPremises =
      (year === 1 ? n("onPremCapital") : 0) +
      refresh +
      escalate(n("onPremAnnualUpkeep") + n("onPremStaffAnnual") + n("onPremComplianceAnnual"), year);
    rows.push({ year, cloud: Math.round(cloud), onPremises: Math.round(onPremises) });
  }
  return rows;
}

export const tcoSource: TemplateSource = {
  async prefill(ctx) {
    const name = await agencyName(ctx);
    return {
      subject: { type: "agency", id: ctx.actor.organisationId!, label: name, contractId: null, vendorId: null },
      values: {
        agencyName: name,
        preparedBy: await actorName(ctx),
        worksheetDate: ctx.today,
      },
      suggested: {
        lifeYears: 7,
        annualIncreasePercent: 3,
        cloudSetup: undefined,
        cloudAnnual: undefined,
        cloudComplianceAnnual: undefined,
        onPremCapital: undefined,
        onPremAnnualUpkeep: undefined,
        onPremStaffAnnual: undefined,
        onPremComplianceAnnual: undefined,
        onPremRefreshYear: 5,
        onPremRefreshCost: undefined,
      },
    };
  },
  async data(_ctx, _subject, values) {
    const years = tcoYears(values);
    let cloudTotal = 0;
    let onPremTotal = 0;
    const cumulative = years.map((y) => {
      cloudTotal += y.cloud;
      onPremTotal += y.onPremises;
      return { ...y, cloudTotal, onPremTotal };
    });
    const last = cumulative.at(-1) ?? { cloudTotal: 0, onPremTotal: 0 };
    const cheaper =
      last.cloudTotal === last.onPremTotal
        ? "Both options cost the same"
        : last.cloudTotal < last.onPremTotal
          ? `Cloud costs ${formatUsd(last.onPremTotal - last.cloudTotal)} less`
          : `On-premises costs ${formatUsd(last.cloudTotal - last.onPremTotal)} less`;
    const yearly: TableBlock = {
      t: "table",
      caption: "Cost by year",
      columns: ["Year", "Cloud", "On-premises", "Cloud, cumulative", "On-premises, cumulative"],
      rows: cumulative.map((y) => [
        String(y.year),
        formatUsd(y.cloud),
        formatUsd(y.onPremises),
        formatUsd(y.cloudTotal),
        formatUsd(y.onPremTotal),
      ]),
      empty: "",
    };
    const totals: TableBlock = {
      t: "table",
      caption: `Total over ${years.length} years`,
      columns: ["Option", "Total cost of ownership"],
      rows: [
        ["Cloud", formatUsd(last.cloudTotal)],
        ["On-premises", formatUsd(last.onPremTotal)],
        ["Difference", cheaper],
      ],
      empty: "",
    };
    const chart: ChartBlock = {
      t: "chart",
      caption: "Cumulative cost by year",
      alt: `Cumulative cost over ${years.length} years: cloud reaches ${formatUsd(last.cloudTotal)}, on-premises ${formatUsd(last.onPremTotal)}. ${cheaper} over the life of the system.`,
      categories: cumulative.map((y) => `Year ${y.year}`),
      series: [
        { name: "Cloud", values: cumulative.map((y) => y.cloudTotal) },
        { name: "On-premises", values: cumulative.map((y) => y.onPremTotal) },
      ],
      unit: "usd",
    };
    return { yearly, totals, chart };
  },
};
