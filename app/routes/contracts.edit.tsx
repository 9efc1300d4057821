import { readForm } from "~/http/form.server.ts";
import { data, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { ContractForm, type ContractFormValues } from "~/components/contract-form.tsx";
import { centsForInput } from "~/modules/format.ts";
import { authorize } from "~/http/guard.server.ts";
import { contractFormOptions, getEditableContract, updateContract } from "~/modules/contracts/contracts.server.ts";
import { contractPaths } from "~/modules/contracts/paths.ts";
import { contractFormInput } from "~/modules/contracts/contract-form.ts";
import type { Route } from "./+types/contracts.edit";

export const permission = "contract:edit";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `Edit ${data?.title ?? "contract"} — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run(async (ctx) => {
    const { contract: c, terms: t, shares, frameworks } = await getEditableContract(ctx, args.params.contractId, { audit: true });
    const text = (n: number | string | null) => (n === null ? "" : String(n));
    const values: ContractFormValues = {
      ...Object.fromEntries(Object.entries(c).map(([k, v]) => [k, typeof v === "string" ? v : v === null ? "" : v])),
      valueCents: centsForInput(c.valueCents),
      renewalTermMonths: text(c.renewalTermMonths),
      noticePeriodDays: text(c.noticePeriodDays),
      breachNoticeHours: text(t.breachNoticeHours),
      legalProcessNoticeHours: text(t.legalProcessNoticeHours),
      auditIntervalMonths: text(t.auditIntervalMonths),
      minCyberInsuranceCents: centsForInput(t.minCyberInsuranceCents),
      availabilityCritical: text(t.availabilityCritical === null ? null : Number(t.availabilityCritical)),
      availabilityEssential: text(t.availabilityEssential === null ? null : Number(t.availabilityEssential)),
      availabilityStandard: text(t.availabilityStandard === null ? null : Number(t.availabilityStandard)),
      availabilityArchive: text(t.availabilityArchive === null ? null : Number(t.availabilityArchive)),
      locationChangeNoticeDays: text(t.locationChangeNoticeDays),
      businessChangeNoticeDays: text(t.businessChangeNoticeDays),
      personnelRosterRequired: t.personnelRosterRequired,
      cjisFrameworkId: t.cjisFrameworkId ?? "",
      sharedWith: shares.map((s) => s.agencyId),
      frameworkIds: frameworks.map((f) => f.id),
    };
    return { id: c.id, title: c.title, values, options: await contractFormOptions(ctx, c.id) };
  });
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const input = contractFormInput(await readForm(args.request));
  const result = await auth.submit((ctx) => updateContract(ctx, args.params.contractId, input));
  if (!result.ok) return data({ errors: result.errors, values: input as ContractFormValues }, { status: 400 });
  await auth.flash("The contract is saved.");
  return redirect(contractPaths.contract(args.params.contractId));
}

export default function EditContract({ loaderData, actionData }: Route.ComponentProps) {
  const { id, title, values, options } = loaderData;
  return (
    <div className="padding-y-4">
      <Breadcrumbs
        crumbs={[
          { label: "Contracts", to: contractPaths.list() },
          { label: title, to: contractPaths.contract(id) },
          { label: "Edit" },
        ]}
      />
      <h1>Edit {title}</h1>
      <ContractForm
        values={actionData?.values ?? values}
        errors={actionData?.errors ?? {}}
        options={options}
        submit="Save the contract"
      />
    </div>
  );
}
