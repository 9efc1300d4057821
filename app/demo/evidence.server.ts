import { createHash, randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { PDFDocument, StandardFonts } from "pdf-lib";
import type { Database } from "../../db/client.ts";
import { evidenceKinds } from "../../db/schema/catalog.ts";
import { evidenceItems } from "../../db/schema/evidence.ts";
import { actorFor, demoToday, type ProvisionedAccount } from "./accounts.server.ts";
import type { BlobStore } from "../modules/blobs/store.server.ts";
import type { Secrets } from "../modules/access/secrets.server.ts";
import { inTransaction } from "../modules/context.server.ts";
import { addDays } from "../modules/dates.ts";
import { localInput } from "../modules/dates.ts";
import { createNotice, noticeFormOptions } from "../modules/notices/notices.server.ts";
import { requestEvidence, requestFormOptions } from "../modules/evidence/requests.server.ts";
import { decide, startReview } from "../modules/evidence/review.server.ts";
import { decideRosterChange, proposeRosterChange } from "../modules/roster/roster.server.ts";
import { submitEvidence } from "../modules/evidence/submissions.server.ts";

/**
 * Demo evidence requests from Riverside's CJIS officer to EvidenceCloud, made
 * through the same module functions: the yearly insurance certificate, the
 * audit report on the contract's audit interval, and the FIPS certificate, so
 * the vendor portal has something to answer.
 */

export async function seedDemoEvidence(
  db: Database,
  secrets: Secrets,
  now: Date,
  input: { officer: ProvisionedAccount; contractId: string },
) {
  const actor = actorFor(input.officer);
  const today = demoToday(now);
  await inTransaction(db, { actor, now, secrets }, async (ctx) => {
    const ask = async (
      kind: string,
      fields: { dueOn: string; recurrence: string; instructions: string; internalNotes?: string },
    ) => {
      const form = await requestFormOptions(ctx, { contractId: input.contractId, kind });
      if (form.step !== "details") return;
      await requestEvidence(ctx, {
        contractId: input.contractId,
        kind,
        requirementIds: form.requirements.filter((r) => r.supported).map((r) => r.id),
        otherContractIds: [],
        ...fields,
      });
    };
    await ask("cyber-insurance-certificate", {
      dueOn: addDays(today, 21),
      recurrence: "kind",
      instructions: "Upload the certificate of insurance for the current policy year, showing per-claim and aggregate limits.",
      internalNotes: "The contract requires at least $5,000,000.",
    });
    await ask("third-party-audit-report", {
      dueOn: addDays(today, 45),
      recurrence: "audit-interval",
      instructions: "The independent auditor's report for the last twelve months, with management's responses to any exceptions.",
    });
    await ask("fips-validation-certificate", {
      dueOn: addDays(today, 7),
      recurrence: "once",
      instructions: "The CMVP certificate of each module encrypting our video at rest and in transit.",
    });
  });
}

/**
 * EvidenceCloud's roster and a notice, made through the module functions as the
 * vendor representative and approved by Riverside's CJIS officer: two people
 * approved (one whose training has lapsed), one addition waiting for approval,
 * and a legal-process notice filed in the portal.
 */
export async function seedDemoVendorRecords(
  db: Database,
  secrets: Secrets,
  now: Date,
  input: { officer: ProvisionedAccount; representative: ProvisionedAccount; blobs: BlobStore },
) {
  const today = demoToday(now);
  const vendorSide = { actor: actorFor(input.representative), now, secrets };
  const agencySide = { actor: actorFor(input.officer), now, secrets };
  const people = [
    {
      fullName: "Dana Whitfield",
      jobRole: "Storage administrator",
      unescortedAccess: "yes",
      fingerprintCheckedOn: addDays(today, -300),
      fingerprintAgency: "Virginia State Police",
      addendumSignedOn: addDays(today, -295),
      trainedOn: addDays(today, -290),
    },
    {
      fullName: "Marcus Bell",
      jobRole: "Support engineer",
      unescortedAccess: "no",
      fingerprintCheckedOn: addDays(today, -700),
      fingerprintAgency: "Maryland State Police",
      addendumSignedOn: addDays(today, -700),
      trainedOn: addDays(today, -400),
    },
  ];
  for (const person of people) {
    const { change } = await inTransaction(db, vendorSide, (ctx) => proposeRosterChange(ctx, input.blobs, null, null, person));
    await inTransaction(db, agencySide, (ctx) => decideRosterChange(ctx, change.id, { decision: "approve", reason: "" }));
  }
  await inTransaction(db, vendorSide, (ctx) =>
    proposeRosterChange(ctx, input.blobs, null, null, {
      fullName: "Priya Natarajan",
      jobRole: "Database reliability engineer",
      unescortedAccess: "yes",
      fingerprintCheckedOn: addDays(today, -10),
      fingerprintAgency: "Virginia State Police",
      note: "Joins the on-call rotation next month.",
    }),
  );
  const served = new Date(now.getTime() - 30 * 3_600_000);
  await inTransaction(db, vendorSide, async (ctx) => {
    const { agencies } = await noticeFormOptions(ctx, "vendor");
    await createNotice(ctx, "vendor", {
      kind: "legal-process-notice",
      agencies: agencies.map((a) => a.id),
      summary: "Subpoena for account access logs",
      // Served on the vendor's office in Arizona, which keeps no daylight-saving time: the demo's clock time always exists once.
      occurredLocal: localInput(served, "America/Phoenix"),
      occurredZone: "America/Phoenix",
      "detail.authority": "Circuit Court for Riverside County",
      "detail.processKind": "subpoena",
      "detail.respondBy": addDays(today, 14),
      "detail.description":
        "Access logs for the records system between March and May; we will not respond before you have had the chance to object.",
    });
  });
}

/**
 * One request answered and accepted, so the register, the compliance report
 * and the audit binder have an accepted file to show: EvidenceCloud uploads
 * its FIPS 140-3 certificate (a one-page PDF marked as demo material) and
 * Riverside's CJIS officer accepts it.
 */
export async function seedDemoAcceptedEvidence(
  db: Database,
  secrets: Secrets,
  now: Date,
  input: { officer: ProvisionedAccount; representative: ProvisionedAccount; blobs: BlobStore },
) {
  const [item] = await db
    .select({ id: evidenceItems.id })
    .from(evidenceItems)
    .innerJoin(evidenceKinds, eq(evidenceKinds.id, evidenceItems.kindId))
    .where(and(eq(evidenceItems.agencyId, input.officer.organisationId), eq(evidenceKinds.key, "fips-validation-certificate")));
  if (!item) return;
  const pdf = await PDFDocument.create();
  pdf.setTitle("FIPS 140-3 validation certificate (demo)");
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([612, 792]);
  const lines = [
    "EvidenceCloud Inc.",
    "Cryptographic module validation - FIPS 140-3",
    "Module: EvidenceCloud Storage Crypto Core 3.2",
    "Certificate number: 4821 (demonstration data, not a real certificate)",
    `Issued: ${addDays(demoToday(now), -60)}`,
  ];
  lines.forEach((text, i) => page.drawText(text, { x: 72, y: 700 - i * 24, size: i === 0 ? 18 : 12, font }));
  const bytes = Buffer.from(await pdf.save());
  const spoolPath = path.join(input.blobs.spoolDir, `demo-${randomUUID()}`);
  await mkdir(input.blobs.spoolDir, { recursive: true });
  await writeFile(spoolPath, bytes);
  const upload = {
    spoolPath,
    filename: "evidencecloud-fips-140-3-certificate.pdf",
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    declaredType: "application/pdf",
  };
  await inTransaction(db, { actor: actorFor(input.representative), now, secrets }, (ctx) =>
    submitEvidence(ctx, input.blobs, item.id, upload, {
      issuedOn: addDays(demoToday(now), -60),
      expiresOn: addDays(demoToday(now), 60),
      "field.module": "EvidenceCloud Storage Crypto Core 3.2",
      "field.certificateNumber": "4821",
      "field.standard": "140-3",
      attestationName: input.representative.name,
      attestationTitle: "Compliance lead",
      attest: "yes",
    }),
  );
  await inTransaction(db, { actor: actorFor(input.officer), now, secrets }, async (ctx) => {
    await startReview(ctx, item.id);
    await decide(ctx, item.id, { decision: "accept" });
  });
}
