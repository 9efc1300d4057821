import { listContracts } from "../contracts/contracts.server.ts";
import { COVERAGE_LABELS, RESPONSIBILITY_PHRASES } from "../contracts/contract-form.ts";
import { getMatrix } from "../contracts/coverage.server.ts";
import type { ModuleContext } from "../context.server.ts";
import { getVendor } from "../vendors/vendors.server.ts";
import { FEDRAMP_LABELS, KEY_CUSTODY_LABELS, SERVICE_KINDS, SOC2_LABELS, STATERAMP_LABELS } from "../vendors/vocabulary.ts";
import { catalogFileName, controlId, metadata, prop, stableUuid } from "./oscal-common.ts";
import type { OscalExport } from "./oscal-common.ts";
import { slug } from "./oscal-contract.server.ts";
import { exportReader } from "./reader.server.ts";

/**
 * A vendor's services as an OSCAL component-definition, as the agency's records describe them: one
 * component per live contract with the vendor, implementing each requirement the contract addresses in
 * full or in part, citing the contract's section and who carries it (provider, agency or both) where the
 * agency recorded that on the coverage entry; where it did not, the requirement says so rather than guess.
 */
export async function oscalComponentDefinition(base: ModuleContext, vendorId: string): Promise<OscalExport> {
  const ctx = exportReader(base);
  const { vendor, profile } = await getVendor(ctx, vendorId, { audit: false });
  const contracts = (await listContracts(ctx, { vendorId }, { audit: false })).filter((c) => c.lifecycle.status !== "terminated");
  const components = [];
  let implemented = 0;
  for (const contract of contracts) {
    const matrix = await getMatrix(ctx, contract.id, {});
    const implementations = matrix.sections
      .map((section) => {
        const rows = section.rows.filter((r) => r.status === "addressed" || r.status === "partial");
        return {
          uuid: stableUuid("control-implementation", contract.id, section.framework.key, section.framework.version),
          source: catalogFileName(section.framework.key, section.framework.version),
          description: `What "${contract.title}" commits ${vendor.legalName} to, measured against ${section.framework.title} ${section.framework.version}.`,
          "implemented-requirements": rows.map((r) => {
            implemented += 1;
            const roles = r.responsibility === "shared" ? ["provider", "agency"] : r.responsibility ? [r.responsibility] : [];
            return {
              uuid: stableUuid("implemented-requirement", contract.id, r.id),
              "control-id": controlId(r.kind, r.code),
              description:
                `${COVERAGE_LABELS[r.status as keyof typeof COVERAGE_LABELS]} by the contract` +
                (r.section ? `, ${r.section}.` : " (no section cited).") +
                (r.responsibility
                  ? ` Carried by ${RESPONSIBILITY_PHRASES[r.responsibility]}.`
                  : " Who carries it (provider, agency or both) was not recorded."),
              props: [
                ...prop("coverage-status", r.status),
                ...prop("contract-section", r.section),
                ...prop("responsibility", r.responsibility ?? "not-recorded"),
              ],
              ...(roles.length > 0 ? { "responsible-roles": roles.map((id) => ({ "role-id": id })) } : {}),
            };
          }),
        };
      })
      .filter((i) => i["implemented-requirements"].length > 0);
    const serviceKinds = (profile?.serviceKinds ?? []).map((k) => SERVICE_KINDS[k as keyof typeof SERVICE_KINDS] ?? k);
    components.push({
      uuid: stableUuid("component", contract.id),
      type: "service",
      title: contract.title,
      description:
        `${vendor.legalName}'s service under "${contract.title}"` +
        (serviceKinds.length > 0 ? ` (${serviceKinds.join(", ")}).` : ".") +
        (implementations.length === 0 ? " The contract's coverage matrix records no requirement it addresses." : ""),
      props: [
        ...prop("contract-id", contract.id),
        ...prop("contract-reference", contract.reference),
        ...prop("contract-status", contract.lifecycle.status),
        ...(profile
          ? [
              ...prop("key-custody", profile.keyCustody ? KEY_CUSTODY_LABELS[profile.keyCustody] : "not recorded"),
              ...prop("fedramp", FEDRAMP_LABELS[profile.fedramp]),
              ...prop("stateramp", STATERAMP_LABELS[profile.stateramp]),
              ...prop("soc2", SOC2_LABELS[profile.soc2]),
              ...profile.locations.map(
                (l) => prop("storage-location", `${l.dataCategory}: ${l.country}${l.region ? ` (${l.region})` : ""}`)[0]!,
              ),
            ]
          : prop("vendor-record", "The agency has not recorded this vendor's storage locations, keys or certifications.")),
      ],
      ...(implementations.length > 0 ? { "control-implementations": implementations } : {}),
    });
  }
  const document = {
    "component-definition": {
      uuid: stableUuid("component-definition", vendorId, ctx.actor.organisationId ?? "none"),
      metadata: metadata({
        title: `${vendor.legalName}: services and the requirements their contracts address`,
        lastModified: ctx.now,
        version: ctx.now.toISOString(),
        parties: [{ uuid: stableUuid("party", vendorId), type: "organization", name: vendor.legalName }],
        roles: [
          { id: "provider", title: "Cloud service provider" },
          { id: "agency", title: "The law-enforcement agency" },
        ],
        responsibleParties: [{ roleId: "provider", partyUuids: [stableUuid("party", vendorId)] }],
        remarks:
          contracts.length === 0
            ? "The agency holds no live contract with this vendor, so no service is described."
            : `${contracts.length} live contract(s); ${implemented} requirement(s) addressed in full or in part. Requirements a contract does not address, or that were not assessed, are not listed here; see the contract's assessment results.`,
      }),
      ...(components.length > 0 ? { components } : {}),
      "back-matter": {
        resources: [...new Set(components.flatMap((c) => (c["control-implementations"] ?? []).map((i) => i.source)))].map(
          (source) => ({
            uuid: stableUuid("catalog-link", vendorId, source),
            title: source,
            rlinks: [{ href: source, "media-type": "application/json" }],
          }),
        ),
      },
    },
  };
  ctx.audit.record({
    action: "vendor.oscal.export",
    objectType: "vendor",
    objectId: vendorId,
    details: { model: "component-definition", components: components.length, implemented },
  });
  return { document, fileName: `custody-component-definition-${slug(vendor.legalName)}.json` };
}
