import type { Database } from "../../../db/client.ts";
import type { ProvisionedAccount } from "../access/demo.server.ts";
import { permissionsOf, ROLES } from "../access/permissions.ts";
import type { BlobStore } from "../blobs/store.server.ts";
import type { Secrets } from "../access/secrets.server.ts";
import { type Actor, inTransaction } from "../context.server.ts";
import { addDays, todayOf } from "../contracts/lifecycle.ts";
import { localInput } from "./notice-times.ts";
import { createNotice, noticeFormOptions } from "./notices.server.ts";
import { requestEvidence, requestFormOptions } from "./requests.server.ts";
import { decideRosterChange, proposeRosterChange } from "./roster.server.ts";

/**
 * Demo evidence requests from Riverside's CJIS officer to EvidenceCloud, made
 * through the same module functions: the yearly insurance certificate, the
 * audit report on the contract's audit interval, and the FIPS certificate, so
 * the vendor portal has something to answer.
 */
const demoActor = (account: ProvisionedAccount): Actor => ({
  kind: "person",
  personId: account.personId,
  sessionId: null,
  tokenId: null,
  label: `${account.email} (demo seeding)`,
  organisationId: account.organisationId,
  ip: null,
  userAgent: "custody demo seeding",
  role: account.role,
  organisationKind: ROLES[account.role].organisationKind,
  permissions: permissionsOf(account.role),
});

export async function seedDemoEvidence(db: Database, secrets: Secrets, now: Date, input: { officer: ProvisionedAccount; contractId: string }) {
  const actor = demoActor(input.officer);
  const today = todayOf(now);
  await inTransaction(db, { actor, now, secrets }, async (ctx) => {
    const ask = async (kind: string, fields: { dueOn: string; recurrence: string; instructions: string; internalNotes?: string }) => {
      const form = await requestFormOptions(ctx, { contractId: input.contractId, kind });
      if (form.step !== "details") return;
      await requestEvidence(ctx, { contractId: input.contractId, kind, requirementIds: form.requirements.filter((r) => r.supported).map((r) => r.id), otherContractIds: [], ...fields });
    };
    await ask("cyber-insurance-certificate", {
      dueOn: addDays(today, 21),
      recurrence: "kind",
      instructions: "Upload the certificate of insurance for the current policy year, showing per-claim and aggregate limits.",
      internalNotes: "The contract requires at least $5,000,000.",
    });
    await ask("third-party-audit-report", { dueOn: addDays(today, 45), recurrence: "audit-interval", instructions: "The independent auditor's report for the last twelve months, with management's responses to any exceptions." });
    await ask("fips-validation-certificate", { dueOn: addDays(today, 7), recurrence: "once", instructions: "The CMVP certificate of each module encrypting our video at rest and in transit." });
  });
}

/**
 * EvidenceCloud's roster and a notice, made through the module functions as the
 * vendor representative and approved by Riverside's CJIS officer: two people
 * approved (one whose training has lapsed), one addition waiting for approval,
 * and a legal-process notice filed in the portal.
 */
export async function seedDemoVendorRecords(db: Database, secrets: Secrets, now: Date, input: { officer: ProvisionedAccount; representative: ProvisionedAccount; blobs: BlobStore }) {
  const today = todayOf(now);
  const vendorSide = { actor: demoActor(input.representative), now, secrets };
  const agencySide = { actor: demoActor(input.officer), now, secrets };
  const people = [
    { fullName: "Dana Whitfield", jobRole: "Storage administrator", unescortedAccess: "yes", fingerprintCheckedOn: addDays(today, -300), fingerprintAgency: "Virginia State Police", addendumSignedOn: addDays(today, -295), trainedOn: addDays(today, -290) },
    { fullName: "Marcus Bell", jobRole: "Support engineer", unescortedAccess: "no", fingerprintCheckedOn: addDays(today, -700), fingerprintAgency: "Maryland State Police", addendumSignedOn: addDays(today, -700), trainedOn: addDays(today, -400) },
  ];
  for (const person of people) {
    const { change } = await inTransaction(db, vendorSide, (ctx) => proposeRosterChange(ctx, input.blobs, null, null, person));
    await inTransaction(db, agencySide, (ctx) => decideRosterChange(ctx, change.id, { decision: "approve", reason: "" }));
  }
  await inTransaction(db, vendorSide, (ctx) =>
    proposeRosterChange(ctx, input.blobs, null, null, { fullName: "Priya Natarajan", jobRole: "Database reliability engineer", unescortedAccess: "yes", fingerprintCheckedOn: addDays(today, -10), fingerprintAgency: "Virginia State Police", note: "Joins the on-call rotation next month." }),
  );
  const served = new Date(now.getTime() - 30 * 3_600_000);
  await inTransaction(db, vendorSide, async (ctx) => {
    const { agencies } = await noticeFormOptions(ctx, "vendor");
    await createNotice(ctx, "vendor", {
      kind: "legal-process",
      agencies: agencies.map((a) => a.id),
      summary: "Subpoena for account access logs",
      // Served on the vendor's office in Arizona, which keeps no daylight-saving time: the demo's clock time always exists once.
      occurredLocal: localInput(served, "America/Phoenix"),
      occurredZone: "America/Phoenix",
      "detail.authority": "Circuit Court for Riverside County",
      "detail.processKind": "subpoena",
      "detail.respondBy": addDays(today, 14),
      "detail.description": "Access logs for the records system between March and May; we will not respond before you have had the chance to object.",
    });
  });
}
