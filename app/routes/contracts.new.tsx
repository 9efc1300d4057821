import { readForm } from "~/http/form.server.ts";
import { data, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { ContractForm, type ContractFormValues } from "~/components/contract-form.tsx";
import { authorize } from "~/http/guard.server.ts";
import { contractFormOptions, createContract } from "~/modules/contracts/contracts.server.ts";
import { contractPaths } from "~/modules/contracts/paths.ts";
import { contractFormInput } from "~/modules/contracts/contract-form.ts";
import type { Route } from "./+types/contracts.new";

export const permission = "contract:edit";
export const meta: Route.MetaFunction = () => [{ title: "New contract — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const options = await auth.run((ctx) => contractFormOptions(ctx));
  const vendorId = new URL(args.request.url).searchParams.get("vendorId") ?? "";
  const defaults: ContractFormValues = {
    kind: "master-agreement",
    stage: "draft",
    vendorId,
    breachNoticeHours: "1",
    legalProcessNoticeHours: "72",
    auditIntervalMonths: "12",
    locationChangeNoticeDays: "30",
    businessChangeNoticeDays: "30",
    availabilityCritical: "99.99",
    availabilityEssential: "99.9",
    availabilityStandard: "99.5",
    availabilityArchive: "99",
    cjisFrameworkId: options.cjisVersions[0]?.id ?? "",
    frameworkIds: options.defaultFrameworkIds,
  };
  return { options, defaults };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const input = contractFormInput(await readForm(args.request));
  const result = await auth.submit((ctx) => createContract(ctx, input));
  if (!result.ok) return data({ errors: result.errors, values: input as ContractFormValues }, { status: 400 });
  const contract = result.value;
  await auth.flash("The contract is created. Mark its requirements in the coverage matrix.");
  return redirect(contractPaths.contract(contract.id));
}

export default function NewContract({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Contracts", to: contractPaths.list() }, { label: "New contract" }]} />
      <h1>New contract</h1>
      <ContractForm
        values={actionData?.values ?? loaderData.defaults}
        errors={actionData?.errors ?? {}}
        options={loaderData.options}
        submit="Create the contract"
      />
    </div>
  );
}
