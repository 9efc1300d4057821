import { Link } from "react-router";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { authorize } from "~/http/guard.server.ts";
import { listContracts } from "~/modules/contracts/contracts.server.ts";
import { STATUS_LABELS } from "~/modules/contracts/lifecycle.ts";
import { contractPaths, vendorPaths } from "~/modules/contracts/paths.ts";
import { getVendor } from "~/modules/vendors/vendors.server.ts";
import {
  ALLOWED_STORAGE_COUNTRIES,
  countryName,
  DATA_CATEGORIES,
  FEDRAMP_LABELS,
  KEY_CUSTODY_LABELS,
  SERVICE_KINDS,
  SOC2_LABELS,
  STATERAMP_LABELS,
  type DataCategory,
  type ServiceKind,
} from "~/modules/vendors/vocabulary.ts";
import { OscalDownloads } from "~/components/oscal.tsx";
import type { Route } from "./+types/vendors.vendor";

export const permission = "vendor:read";
export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.vendor.legalName ?? "Vendor"} — Custody` }];

export async function loader(args: Route.LoaderArgs) {
  const auth = await authorize(args, permission);
  return auth.run(async (ctx) => {
    const view = await getVendor(ctx, args.params.vendorId);
    const contracts = ctx.actor.permissions.has("contract:read") ? await listContracts(ctx, { vendorId: view.vendor.id }) : [];
    return {
      ...view,
      contracts,
      canEdit: ctx.actor.permissions.has("vendor:edit"),
      canExport: ctx.actor.permissions.has("export:read"),
    };
  });
}

export default function VendorPage({ loaderData }: Route.ComponentProps) {
  const { vendor, profile, flags, contracts, canEdit, registeredByName } = loaderData;
  return (
    <div className="padding-y-4">
      <Breadcrumbs crumbs={[{ label: "Vendors", to: vendorPaths.list() }, { label: vendor.legalName }]} />
      <h1>{vendor.legalName}</h1>
      <p className="custody-muted">
        {vendor.tradeName ? `Trading as ${vendor.tradeName} · ` : ""}Headquarters: {vendor.headquarters},{" "}
        {countryName(vendor.headquartersCountry)}
        {vendor.governmentBody ? " · A government body (management control agreement, not the Security Addendum)" : ""}
        {registeredByName ? ` · Registered by ${registeredByName}` : ""}
      </p>
      {canEdit ? (
        <Link className="usa-button" to={vendorPaths.edit(vendor.id)}>
          {profile ? "Edit your agency's record" : "Record what your agency buys from this vendor"}
        </Link>
      ) : null}

      {flags.length > 0 ? (
        <div className="usa-alert usa-alert--warning margin-y-3">
          <div className="usa-alert__body">
            <h2 className="usa-alert__heading">Flags</h2>
            <ul className="usa-list">
              {flags.map((f, i) => (
                <li key={i}>
                  {f.message} <span className="custody-muted">({f.cites})</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}

      <h2>Your agency's record</h2>
      {!profile ? (
        <p>Your agency has not recorded what it buys from this vendor, where the data is stored or who holds the keys.</p>
      ) : (
        <dl className="custody-definitions">
          <dt>Services</dt>
          <dd>{profile.serviceKinds.map((k) => SERVICE_KINDS[k as ServiceKind] ?? k).join("; ")}</dd>
          <dt>Data held</dt>
          <dd>{profile.dataCategories.map((k) => DATA_CATEGORIES[k as DataCategory] ?? k).join("; ")}</dd>
          <dt>Encryption keys</dt>
          <dd>{profile.keyCustody ? KEY_CUSTODY_LABELS[profile.keyCustody] : "Not recorded"}</dd>
          <dt>Assessments claimed</dt>
          <dd>{[FEDRAMP_LABELS[profile.fedramp], STATERAMP_LABELS[profile.stateramp], SOC2_LABELS[profile.soc2]].join(" · ")}</dd>
          <dt>Security contact</dt>
          <dd>
            {[profile.securityContactName, profile.securityContactEmail, profile.securityContactPhone]
              .filter(Boolean)
              .join(" · ") || "Not recorded"}
          </dd>
          <dt>Legal-notice address</dt>
          <dd className="custody-pre">
            {[profile.legalNoticeAddress, profile.legalNoticeEmail].filter(Boolean).join("\n") || "Not recorded"}
          </dd>
          {profile.notes ? (
            <>
              <dt>Notes</dt>
              <dd className="custody-pre">{profile.notes}</dd>
            </>
          ) : null}
        </dl>
      )}
      {profile ? (
        <>
          <h3>Where the data is stored</h3>
          {profile.locations.length === 0 ? (
            <p>No storage location recorded.</p>
          ) : (
            <table className="usa-table usa-table--borderless">
              <caption className="usa-sr-only">Storage locations</caption>
              <thead>
                <tr>
                  <th scope="col">Data</th>
                  <th scope="col">Country</th>
                  <th scope="col">Region</th>
                  <th scope="col">Allowed for CJI (SC-28)</th>
                </tr>
              </thead>
              <tbody>
                {profile.locations.map((l, i) => (
                  <tr key={i}>
                    <td>{DATA_CATEGORIES[l.dataCategory as DataCategory] ?? l.dataCategory}</td>
                    <td>{countryName(l.country)}</td>
                    <td>{l.region || "—"}</td>
                    <td>{ALLOWED_STORAGE_COUNTRIES.has(l.country) ? "Yes" : <strong className="custody-flag">No</strong>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}

      <h2>Contracts with this vendor</h2>
      {contracts.length === 0 ? (
        <p>Your agency has no contract with this vendor, and none is shared with it.</p>
      ) : (
        <ul className="usa-list">
          {contracts.map((c) => (
            <li key={c.id}>
              <Link to={contractPaths.contract(c.id)}>{c.title}</Link> — {STATUS_LABELS[c.lifecycle.status]}
              {c.owned ? "" : ` (owned by ${c.agencyName})`}
            </li>
          ))}
        </ul>
      )}
      {loaderData.canExport ? (
        <OscalDownloads
          links={[
            {
              href: vendorPaths.oscalComponents(vendor.id),
              label: "Component definition",
              holds:
                "each live contract with this vendor as a service, with the requirements it addresses in full or in part and the contract section that does",
            },
          ]}
        />
      ) : null}
    </div>
  );
}
