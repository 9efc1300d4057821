import type { Database } from "../../db/client.ts";
import { actorFor, demoToday, type ProvisionedAccount } from "./accounts.server.ts";
import type { Secrets } from "../modules/access/secrets.server.ts";
import { inTransaction } from "../modules/context.server.ts";
import { registerVendor } from "../modules/vendors/vendors.server.ts";
import { createContract } from "../modules/contracts/contracts.server.ts";
import { setCoverage, getMatrix } from "../modules/contracts/coverage.server.ts";
import { addDays, addMonths } from "../modules/dates.ts";

/**
 * Demo vendors and contracts for the demo agency, entered through the same
 * module functions as a procurement officer would, so the demo shows a
 * dashboard with something on it: an active evidence-storage contract shared
 * with the county, a CAD agreement in negotiation with a vendor storing
 * backups abroad, and part of a coverage matrix filled in.
 */
export async function seedDemoContracts(
  db: Database,
  secrets: Secrets,
  now: Date,
  input: { procurement: ProvisionedAccount; shareWith: string },
) {
  const actor = actorFor(input.procurement);
  const today = demoToday(now);
  return inTransaction(db, { actor, now, secrets }, async (ctx) => {
    const evidence = await registerVendor(ctx, {
      legalName: "EvidenceCloud Inc.",
      tradeName: "EvidenceCloud",
      headquarters: "Reston, Virginia",
      headquartersCountry: "US",
      serviceKinds: ["saas", "digital-evidence", "backup"],
      dataCategories: ["cji", "bwc-video", "personal-data"],
      keyCustody: "provider",
      fedramp: "moderate",
      stateramp: "none",
      soc2: "type-2",
      securityContactName: "Morgan Ellis",
      securityContactEmail: "security@evidencecloud.example",
      securityContactPhone: "+1 555 010 0144",
      legalNoticeAddress: "EvidenceCloud Inc., Legal Department\n1800 Example Parkway\nReston, VA 20190",
      legalNoticeEmail: "legal-notices@evidencecloud.example",
      locations: [
        { dataCategory: "bwc-video", country: "US", region: "Virginia (us-east)" },
        { dataCategory: "cji", country: "US", region: "Virginia (us-east)" },
        { dataCategory: "personal-data", country: "CA", region: "Quebec (backup)" },
      ],
    });
    const dispatch = await registerVendor(ctx, {
      legalName: "Northwind Dispatch Systems LLC",
      tradeName: "Northwind CAD",
      headquarters: "Columbus, Ohio",
      headquartersCountry: "US",
      serviceKinds: ["saas", "cad"],
      dataCategories: ["cji", "cad-data"],
      keyCustody: "agency",
      fedramp: "none",
      stateramp: "moderate",
      soc2: "type-1",
      securityContactName: "Sam Whitley",
      securityContactEmail: "soc@northwind-cad.example",
      locations: [
        { dataCategory: "cad-data", country: "US", region: "Ohio" },
        { dataCategory: "cad-data", country: "IE", region: "Dublin (disaster-recovery replica)" },
      ],
    });
    const effective = addMonths(today, -20);
    const master = await createContract(ctx, {
      kind: "master-agreement",
      vendorId: evidence.id,
      title: "Body-worn camera evidence storage",
      reference: "RPD-2025-014",
      services: "Storage, management and sharing of body-worn camera video and other digital evidence, with redaction tools.",
      valueCents: "1,250,000.00",
      stage: "signed",
      signedOn: addDays(effective, -14),
      effectiveOn: effective,
      endsOn: addDays(addMonths(effective, 24), -1),
      autoRenew: "on",
      renewalTermMonths: "12",
      noticePeriodDays: "90",
      breachNoticeHours: "1",
      legalProcessNoticeHours: "48",
      auditIntervalMonths: "12",
      minCyberInsuranceCents: "5,000,000",
      availabilityCritical: "99.95",
      availabilityEssential: "99.9",
      availabilityStandard: "99.5",
      availabilityArchive: "99",
      locationChangeNoticeDays: "30",
      businessChangeNoticeDays: "60",
      sharedWith: [input.shareWith],
    });
    await createContract(ctx, {
      kind: "master-agreement",
      vendorId: dispatch.id,
      title: "Computer-aided dispatch hosting",
      reference: "RPD-2026-031",
      services: "Hosted CAD for the emergency communications center, with mobile data terminals.",
      valueCents: "840,000",
      stage: "negotiation",
      breachNoticeHours: "24",
      legalProcessNoticeHours: "72",
      auditIntervalMonths: "12",
      availabilityCritical: "99.99",
      availabilityEssential: "99.9",
    });
    // Part of the evidence contract's matrix, as the procurement officer marked it.
    const matrix = await getMatrix(ctx, master.id);
    const byCode = new Map<string, string>(
      matrix.sections.flatMap((s) => s.rows.map((r): [string, string] => [`${s.framework.key}:${r.code}`, r.id])),
    );
    const ids = (codes: string[]) => codes.map((c) => byCode.get(c)).filter((id): id is string => Boolean(id));
    await setCoverage(
      ctx,
      master.id,
      ids([
        "iacp-provisions:1",
        "iacp-provisions:2",
        "iacp-provisions:3",
        "iacp-provisions:4",
        "iacp-provisions:9",
        "iacp-provisions:10",
      ]),
      {
        status: "addressed",
        section: "Master agreement §7 and Schedule C",
      },
    );
    await setCoverage(ctx, master.id, ids(["iacp-provisions:11", "iacp-provisions:12"]), {
      status: "partial",
      section: "§9.4",
      notes: "Chain-of-custody testimony is at the agency's cost; successors bound only on assignment.",
    });
    await setCoverage(ctx, master.id, ids(["iacp-provisions:5", "iacp-provisions:6", "iacp-provisions:7", "iacp-provisions:8"]), {
      status: "missing",
      notes: "Vendor's standard privacy policy still governs analytics.",
    });
    await setCoverage(ctx, master.id, ids(["cjis-policy:IR-6", "cjis-policy:AU-6", "cjis-policy:SC-28"]), {
      status: "addressed",
      section: "Schedule C, security requirements",
    });
    await setCoverage(ctx, master.id, ids(["iacp-provisions:13"]), { status: "addressed", section: "§14 Remedies" });
    return { evidenceContractId: master.id };
  });
}
