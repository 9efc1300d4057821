import { readForm } from "~/http/form.server.ts";
import { data, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { VendorForm, type VendorFormValues } from "~/components/vendor-form.tsx";
import { authorize } from "~/http/guard.server.ts";
import { vendorPaths } from "~/modules/contracts/paths.ts";
import { vendorFormInput } from "~/modules/vendors/vendor-form.ts";
import { getVendor, updateVendor } from "~/modules/vendors/vendors.server.ts";
import type { Route } from "./+types/vendors.edit";

export const permission = "vendor:edit";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `Edit ${data?.vendor.legalName ?? "vendor"} — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  const { vendor, profile, canEditIdentity } = await auth.run((ctx) => getVendor(ctx, args.params.vendorId));
  const values: VendorFormValues = {
    ...vendor,
    ...(profile ?? { fedramp: "none", stateramp: "none", soc2: "none" }),
    locations: profile?.locations ?? [],
  };
  return { vendor: { id: vendor.id, legalName: vendor.legalName }, values, canEditIdentity };
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const input = vendorFormInput(await readForm(args.request));
  const result = await auth.submit((ctx) => updateVendor(ctx, args.params.vendorId, input));
  if (!result.ok) return data({ errors: result.errors, values: input as VendorFormValues }, { status: 400 });
  await auth.flash("Your agency's record of the vendor is saved.");
  return redirect(vendorPaths.vendor(args.params.vendorId));
}

export default function EditVendor({ loaderData, actionData }: Route.ComponentProps) {
  const { vendor, values, canEditIdentity } = loaderData;
  return (
    <div className="padding-y-4">
      <Breadcrumbs
        crumbs={[
          { label: "Vendors", to: vendorPaths.list() },
          { label: vendor.legalName, to: vendorPaths.vendor(vendor.id) },
          { label: "Edit" },
        ]}
      />
      <h1>Edit {vendor.legalName}</h1>
      <VendorForm
        values={actionData?.values ?? values}
        errors={actionData?.errors ?? {}}
        identityEditable={canEditIdentity}
        submit="Save the vendor record"
      />
    </div>
  );
}
