import { readForm } from "~/http/form.server.ts";
import { data, redirect } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { VendorForm, type VendorFormValues } from "~/components/vendor-form.tsx";
import { authorize } from "~/http/guard.server.ts";
import { vendorPaths } from "~/modules/contracts/paths.ts";
import { vendorFormInput } from "~/modules/vendors/vendor-form.ts";
import { registerVendor } from "~/modules/vendors/vendors.server.ts";
import type { Route } from "./+types/vendors.new";

export const permission = "vendor:edit";
export const meta: Route.MetaFunction = () => [{ title: "Register a vendor — Custody" }];

export async function loader(args: Route.LoaderArgs) {
  await authorize(args, permission);
  return null;
}

export async function action(args: Route.ActionArgs) {
  const auth = await authorize(args, permission);
  const input = vendorFormInput(await readForm(args.request));
  const result = await auth.submit((ctx) => registerVendor(ctx, input));
  if (!result.ok) return data({ errors: result.errors, values: input as VendorFormValues }, { status: 400 });
  const vendor = result.value;
  await auth.flash("The vendor is registered.");
  return redirect(vendorPaths.vendor(vendor.id));
}

export default function NewVendor({ actionData }: Route.ComponentProps) {
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Vendors", to: vendorPaths.list() }, { label: "Register a vendor" }]} />
      <h1>Register a vendor</h1>
      <p className="custody-summary">
        The vendor's name and headquarters are shared with every agency of this installation. What you record below — services,
        storage, keys, contacts — is your agency's own.
      </p>
      <VendorForm
        values={actionData?.values ?? { fedramp: "none", stateramp: "none", soc2: "none" }}
        errors={actionData?.errors ?? {}}
        identityEditable
        submit="Register the vendor"
      />
    </div>
  );
}
