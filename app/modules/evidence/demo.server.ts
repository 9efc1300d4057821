import type { Database } from "../../../db/client.ts";
import type { ProvisionedAccount } from "../access/demo.server.ts";
import { permissionsOf } from "../access/permissions.ts";
import type { Secrets } from "../access/secrets.server.ts";
import { type Actor, inTransaction } from "../context.server.ts";
import { addDays, todayOf } from "../contracts/lifecycle.ts";
import { requestEvidence, requestFormOptions } from "./requests.server.ts";

/**
 * Demo evidence requests from Riverside's CJIS officer to EvidenceCloud, made
 * through the same module functions: the yearly insurance certificate, the
 * audit report on the contract's audit interval, and the FIPS certificate, so
 * the vendor portal has something to answer.
 */
export async function seedDemoEvidence(db: Database, secrets: Secrets, now: Date, input: { officer: ProvisionedAccount; contractId: string }) {
  const actor: Actor = {
    kind: "person",
    personId: input.officer.personId,
    sessionId: null,
    tokenId: null,
    label: `${input.officer.email} (demo seeding)`,
    organisationId: input.officer.organisationId,
    ip: null,
    userAgent: "custody demo seeding",
    role: "cjis-officer",
    organisationKind: "agency",
    permissions: permissionsOf("cjis-officer"),
  };
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
