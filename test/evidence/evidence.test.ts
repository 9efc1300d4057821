import { createHash, generateKeyPairSync } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Document, Packer, Paragraph } from "docx";
import { and, eq, sql } from "drizzle-orm";
import JSZip from "jszip";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import type { FileSystemBlobStore } from "../../app/modules/blobs/store.server.ts";
import { sweepOrphanBlobs } from "../../app/modules/blobs/sweep.server.ts";
import { getMatrix } from "../../app/modules/contracts/coverage.server.ts";
import { createContract } from "../../app/modules/contracts/contracts.server.ts";
import { getPortalItem, portalHome } from "../../app/modules/evidence/submissions.server.ts";
import { decide, startReview } from "../../app/modules/evidence/review.server.ts";
import { getEvidenceItem, listRegister } from "../../app/modules/evidence/register.server.ts";
import { leafHash, verifyInclusion } from "../../app/modules/audit/merkle.server.ts";
import { requestEvidence, requestFormOptions } from "../../app/modules/evidence/requests.server.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import { loader as custodyCsvLoader } from "../../app/routes/evidence.custody-csv.tsx";
import { loader as custodyReceiptLoader } from "../../app/routes/evidence.custody-receipt.tsx";
import { loader as custodyPdfLoader } from "../../app/routes/evidence.custody-pdf.tsx";
import { expectInOrder, openPdf, pdfPages } from "../support/documents.ts";
import type { Receipt } from "../../app/modules/audit/proofs.server.ts";
import { Sealer } from "../../app/modules/audit/sealer.server.ts";
import { createSigner } from "../../app/modules/audit/signing.server.ts";
import { checkReceipt, testSigner, tempCheckpointFile } from "../support/audit.ts";
import { loader as agencyFileLoader } from "../../app/routes/evidence.file.tsx";
import { loader as portalItemLoader, action as submitAction } from "../../app/routes/portal.item.tsx";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { evidenceFiles, evidenceVersions } from "../../db/schema/evidence.ts";
import { appContext, makeAccount, seedOrganisations, signIn } from "../support/accounts.ts";
import { as, contractInput, pdfBytes, uploadRequest, vendorInput } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs, thrownStatus } from "../support/routes.ts";

let handle: DatabaseHandle;
let context: AppContext;
const clock = { now: new Date("2026-11-23T15:00:00.000Z") };
let officer: ProvisionedAccount;
let rep: ProvisionedAccount;
let otherRep: ProvisionedAccount;
let repCookie: string;
let otherRepCookie: string;
let officerCookie: string;
let contractId: string;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const blobs = () => context.blobs as FileSystemBlobStore;
const storedBlobs = async () => {
  const found: string[] = [];
  for await (const b of blobs().list()) found.push(b.sha256);
  return found.sort();
};

const insurance = (overrides: Record<string, string> = {}) => ({
  issuedOn: "2026-11-01",
  validFrom: "2026-11-01",
  expiresOn: "2027-11-01",
  "field.carrier": "Granite Mutual",
  "field.policyNumber": "CY-2026-0042",
  "field.coverage": "Cyber liability, first and third party",
  "field.perClaimCents": "1,000,000",
  "field.aggregateCents": "2,000,000",
  attestationName: "Jordan Vance",
  attestationTitle: "Director of Compliance",
  attest: "yes",
  ...overrides,
});

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  context = appContext(handle.db, clock);
  const orgs = await seedOrganisations(handle.db);
  const buyer = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", clock.now);
  officer = await makeAccount(handle.db, orgs.agencyA.id, "cjis-officer", clock.now);
  rep = await makeAccount(handle.db, orgs.vendor.id, "vendor-representative", clock.now);
  const otherVendorOrg = (await seedOrganisations(handle.db)).vendor;
  otherRep = await makeAccount(handle.db, otherVendorOrg.id, "vendor-representative", clock.now);
  repCookie = (await signIn(handle.db, rep, clock.now)).cookie;
  otherRepCookie = (await signIn(handle.db, otherRep, clock.now)).cookie;
  officerCookie = (await signIn(handle.db, officer, clock.now)).cookie;
  // The vendor registered under its organisation's name is that organisation: its representatives answer for it.
  const vendor = await as(handle.db, buyer, clock.now, (ctx) => registerVendor(ctx, vendorInput({ legalName: "Vendor V" })));
  contractId = (
    await as(handle.db, buyer, clock.now, (ctx) =>
      createContract(
        ctx,
        contractInput(vendor.id, {
          stage: "signed",
          signedOn: "2026-01-10",
          effectiveOn: "2026-02-01",
          endsOn: "2029-01-31",
          minCyberInsuranceCents: "5,000,000",
        }),
      ),
    )
  ).id;
});
afterAll(async () => {
  await handle?.close();
});

async function requestInsurance(overrides: Record<string, unknown> = {}) {
  const form = await as(handle.db, officer, clock.now, (ctx) =>
    requestFormOptions(ctx, { contractId, kind: "cyber-insurance-certificate" }),
  );
  if (form.step !== "details") throw new Error("expected the details step");
  const requirementIds = form.requirements.filter((r) => r.supported).map((r) => r.id);
  return as(handle.db, officer, clock.now, (ctx) =>
    requestEvidence(ctx, {
      contractId,
      kind: "cyber-insurance-certificate",
      dueOn: "2026-12-15",
      recurrence: "kind",
      instructions: "Upload the current certificate.",
      internalNotes: "Broker says renewal is late.",
      requirementIds,
      otherContractIds: [],
      ...overrides,
    }),
  );
}

const submit = (
  cookie: string,
  itemId: string,
  file: { name: string; type: string; bytes: Uint8Array } | null,
  fields: Record<string, string>,
) => {
  const request = file
    ? uploadRequest(`/portal/evidence/${itemId}`, cookie, file, fields)
    : (() => {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) form.set(k, v);
        return new Request(`http://localhost/portal/evidence/${itemId}`, {
          method: "POST",
          headers: { Cookie: cookie },
          body: form,
        });
      })();
  return submitAction({ request, params: { itemId }, context } as never);
};
const errorsOf = (result: unknown) => (result as { data: { errors: Record<string, string> } }).data.errors;

describe("evidence requests and the vendor portal", () => {
  it("pre-tick the requirements the catalog links to the kind, mapped into the contract's own framework revisions", async () => {
    const form = await as(handle.db, officer, clock.now, (ctx) =>
      requestFormOptions(ctx, { contractId, kind: "cyber-insurance-certificate" }),
    );
    expect(form.step).toBe("details");
    if (form.step !== "details") return;
    expect(form.requirements.filter((r) => r.supported).map((r) => `${r.frameworkShortTitle} ${r.code}`)).toEqual([
      "IACP principles 10",
      "IACP provisions 13",
    ]);
    expect(form.recurrence.map((r) => r.value)).toEqual(["once", "kind", "audit-interval"]);
  });

  it("show the vendor its own open request with the requirement text, and never the agency's internal notes", async () => {
    const item = await requestInsurance();
    const home = await as(handle.db, rep, clock.now, (ctx) => portalHome(ctx));
    expect(home.open.map((i) => i.id)).toContain(item.id);
    const seen = await as(handle.db, rep, clock.now, (ctx) => getPortalItem(ctx, item.id));
    expect(seen.item.instructions).toBe("Upload the current certificate.");
    expect(seen.item.internalNotes).toBeNull();
    expect(JSON.stringify(seen)).not.toContain("Broker says renewal is late");
    expect(seen.requirements.map((r) => r.code)).toEqual(["10", "13"]);
    expect(seen.requirements[0]!.summary.length).toBeGreaterThan(20);
  });

  it("answer another vendor's representative 404 for the request, its files and its upload form", async () => {
    const item = await requestInsurance();
    const other = await as(handle.db, otherRep, clock.now, (ctx) => portalHome(ctx));
    expect(other.open).toEqual([]);
    expect(
      (
        await thrownStatus(
          portalItemLoader(loaderArgs(context, `/portal/evidence/${item.id}`, { itemId: item.id }, { cookie: otherRepCookie })),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await thrownStatus(
          submit(otherRepCookie, item.id, { name: "c.pdf", type: "application/pdf", bytes: pdfBytes() }, insurance()),
        )
      ).status,
    ).toBe(404);
    expect(await handle.db.select().from(evidenceVersions).where(eq(evidenceVersions.itemId, item.id))).toEqual([]);
  });
});

describe("submitting evidence", () => {
  it("records the attestation with time, source address and the file's SHA-256, and flags an amount below the contract's minimum", async () => {
    const item = await requestInsurance();
    const pdf = pdfBytes("certificate of insurance");
    const result = (await submit(
      repCookie,
      item.id,
      { name: "COI 2026.pdf", type: "application/pdf", bytes: pdf },
      insurance(),
    )) as Response;
    expect(result.status).toBe(302);
    const [version] = await handle.db.select().from(evidenceVersions).where(eq(evidenceVersions.itemId, item.id));
    expect(version).toMatchObject({
      version: 1,
      status: "submitted",
      expiresOn: "2027-11-01",
      submittedBy: rep.personId,
      submittedFrom: "192.0.2.10",
      attestationName: "Jordan Vance",
      attestationTitle: "Director of Compliance",
      flags: ["below-insurance-minimum"],
    });
    expect(version!.attestationStatement).toMatch(/^I attest/);
    expect(version!.fields).toEqual({
      carrier: "Granite Mutual",
      policyNumber: "CY-2026-0042",
      coverage: "Cyber liability, first and third party",
      perClaimCents: 100_000_000,
      aggregateCents: 200_000_000,
    });
    const [file] = await handle.db.select().from(evidenceFiles).where(eq(evidenceFiles.versionId, version!.id));
    expect(file).toMatchObject({
      filename: "COI 2026.pdf",
      mediaType: "application/pdf",
      sizeBytes: pdf.length,
      sha256: sha256(pdf),
      keyId: "evidence-v1",
    });
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "evidence.submit"), eq(auditEvents.objectId, item.id)));
    expect(event).toMatchObject({ actorPersonId: rep.personId, ip: "192.0.2.10" });
    expect(event!.details).toMatchObject({
      files: [{ sha256: sha256(pdf), bytes: pdf.length }],
      attestation: { name: "Jordan Vance", title: "Director of Compliance" },
    });
  });

  it("encrypts the file at rest: the store holds only ciphertext, and the agency's download returns the exact bytes", async () => {
    const item = await requestInsurance();
    const pdf = pdfBytes("a very recognisable plaintext marker 0123456789");
    await submit(repCookie, item.id, { name: "coi.pdf", type: "application/pdf", bytes: pdf }, insurance());
    const [file] = await handle.db
      .select({ f: evidenceFiles })
      .from(evidenceFiles)
      .innerJoin(evidenceVersions, eq(evidenceVersions.id, evidenceFiles.versionId))
      .where(eq(evidenceVersions.itemId, item.id));
    const f = file!.f;
    expect(f.blobSha256).not.toBe(f.sha256);
    const onDisk = await readFile(
      path.join((blobs() as unknown as { dir: string }).dir, f.blobSha256.slice(0, 2), f.blobSha256.slice(2, 4), f.blobSha256),
    );
    expect(onDisk.includes(Buffer.from("recognisable plaintext marker"))).toBe(false);
    expect(onDisk.includes(Buffer.from("%PDF"))).toBe(false);
    expect(sha256(onDisk)).toBe(f.blobSha256);

    const response = (await agencyFileLoader(
      loaderArgs(context, `/evidence/${item.id}/files/${f.id}`, { itemId: item.id, fileId: f.id }, { cookie: officerCookie }),
    )) as Response;
    const body = new Uint8Array(await response.arrayBuffer());
    expect(sha256(body)).toBe(sha256(pdf));
    expect(response.headers.get("Repr-Digest")).toBe(`sha-256=:${Buffer.from(sha256(pdf), "hex").toString("base64")}:`);
    const downloads = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "evidence.file.download"), eq(auditEvents.objectId, item.id)));
    expect(downloads.map((d) => [d.actorPersonId, (d.details as { bytes: number }).bytes])).toEqual([
      [officer.personId, pdf.length],
    ]);
  });

  it("serves text evidence as text under a .txt name, whatever name it was uploaded under", async () => {
    const item = await requestInsurance();
    const text = new TextEncoder().encode("Policy CY-2291, limits 5,000,000 per claim.\n");
    await submit(repCookie, item.id, { name: "certificate.pdf", type: "application/pdf", bytes: text }, insurance());
    const [file] = await handle.db
      .select({ id: evidenceFiles.id, mediaType: evidenceFiles.mediaType })
      .from(evidenceFiles)
      .innerJoin(evidenceVersions, eq(evidenceVersions.id, evidenceFiles.versionId))
      .where(eq(evidenceVersions.itemId, item.id));
    expect(file!.mediaType).toBe("text/plain; charset=utf-8");
    const response = (await agencyFileLoader(
      loaderArgs(
        context,
        `/evidence/${item.id}/files/${file!.id}`,
        { itemId: item.id, fileId: file!.id },
        { cookie: officerCookie },
      ),
    )) as Response;
    expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toContain('filename="certificate.pdf.txt"');
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it("shows every field error together and stores nothing when the form is incomplete", async () => {
    const item = await requestInsurance();
    const before = await storedBlobs();
    const result = await submit(
      repCookie,
      item.id,
      { name: "coi.pdf", type: "application/pdf", bytes: pdfBytes() },
      insurance({ "field.carrier": "", "field.perClaimCents": "-5", expiresOn: "", attest: "" }),
    );
    expect(errorsOf(result)).toEqual({
      expiresOn: "Enter the expiry date: this kind of evidence is renewed, so it must say until when it holds.",
      "field.carrier": "Enter the insurance carrier.",
      "field.perClaimCents": "The per-claim limit cannot be negative.",
      attest: "Tick the box to make the attestation; nothing is submitted without it.",
    });
    // The rule between two fields speaks once each field is right on its own.
    expect(
      errorsOf(
        await submit(
          repCookie,
          item.id,
          { name: "coi.pdf", type: "application/pdf", bytes: pdfBytes() },
          insurance({ "field.aggregateCents": "500,000" }),
        ),
      ),
    ).toEqual({
      "field.aggregateCents": "The aggregate limit cannot be lower than the per-claim limit.",
    });
    expect(await handle.db.select().from(evidenceVersions).where(eq(evidenceVersions.itemId, item.id))).toEqual([]);
    expect(await storedBlobs()).toEqual(before);
  });
});

describe("bad uploads", () => {
  let itemId: string;
  let before: string[];
  beforeEach(async () => {
    itemId = (await requestInsurance()).id;
    before = await storedBlobs();
  });
  const nothingStored = async () => {
    expect(await handle.db.select().from(evidenceVersions).where(eq(evidenceVersions.itemId, itemId))).toEqual([]);
    expect(await storedBlobs()).toEqual(before);
    expect(await readdir(blobs().spoolDir)).toEqual([]);
  };

  it("refuses an executable renamed .pdf, by its bytes", async () => {
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(120).fill(0)]);
    expect(
      errorsOf(await submit(repCookie, itemId, { name: "certificate.pdf", type: "application/pdf", bytes: elf }, insurance()))
        .file,
    ).toBe(
      "“certificate.pdf” is not a PDF, DOCX, XLSX, PNG, JPEG, CSV or plain text file, whatever its name says. Upload the evidence in one of those formats.",
    );
    await nothingStored();
  });

  it.each([
    [
      "an HTML page with script, sent as plain text",
      "notes.txt",
      "text/plain",
      "<!doctype html><p>Hi</p><script>fetch('/x')</script>",
    ],
    [
      "an SVG with script",
      "logo.svg",
      "image/svg+xml",
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ],
    [
      "an HTML page renamed .pdf",
      "certificate.pdf",
      "application/pdf",
      '<html><body onload="alert(1)">Certificate</body></html>',
    ],
    [
      "an XML document",
      "data.csv",
      "text/csv",
      '<?xml version="1.0"?><x:stylesheet xmlns:x="http://www.w3.org/1999/XSL/Transform"/>',
    ],
    ["a link that runs script", "readme.txt", "text/plain", 'See <a href="javascript:alert(1)">here</a> for the certificate.'],
  ])("refuses %s as markup, by its bytes", async (_, name, type, text) => {
    expect(
      errorsOf(await submit(repCookie, itemId, { name, type, bytes: new TextEncoder().encode(text) }, insurance())).file,
    ).toBe(
      "This file is web markup (HTML, SVG or XML), which can run script when it is opened, so Custody does not store it. Print or save it as PDF and upload that.",
    );
    await nothingStored();
  });

  it("refuses a PDF that is also a ZIP archive, whether the archive follows the end or hides before it", async () => {
    const archive = new JSZip();
    archive.file("payload.js", "alert(1)");
    const zip = await archive.generateAsync({ type: "uint8array" });
    const pdf = pdfBytes("polyglot");
    const appended = new Uint8Array([...pdf, ...zip]);
    expect(
      errorsOf(await submit(repCookie, itemId, { name: "coi.pdf", type: "application/pdf", bytes: appended }, insurance())).file,
    ).toMatch(/^This PDF carries other data after its end/);
    const text = new TextDecoder("latin1").decode(pdf);
    const cut = text.lastIndexOf("%%EOF");
    const hidden = new Uint8Array([...pdf.subarray(0, cut), ...zip, ...new TextEncoder().encode("\n%%EOF\n")]);
    expect(
      errorsOf(await submit(repCookie, itemId, { name: "coi.pdf", type: "application/pdf", bytes: hidden }, insurance())).file,
    ).toMatch(/^This PDF also holds a ZIP archive's directory/);
    await nothingStored();
  });

  it("refuses a file that starts like a PDF but does not parse as one", async () => {
    const fake = new TextEncoder().encode("%PDF-1.7\nthis is not a PDF, only its first line\n%%EOF\n");
    expect(
      errorsOf(await submit(repCookie, itemId, { name: "coi.pdf", type: "application/pdf", bytes: fake }, insurance())).file,
    ).toMatch(/^This PDF is damaged or not a PDF at all/);
    await nothingStored();
  });

  it("refuses a DOCX that is a zip bomb", async () => {
    const zip = new JSZip();
    const real = await JSZip.loadAsync(
      await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("Certificate")] }] })),
    );
    for (const [name, entry] of Object.entries(real.files)) if (!entry.dir) zip.file(name, await entry.async("uint8array"));
    zip.file("word/media/padding.bin", new Uint8Array(40 * 1024 * 1024));
    const bomb = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 9 } });
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(
      errorsOf(
        await submit(repCookie, itemId, { name: "certificate.docx", type: "application/octet-stream", bytes: bomb }, insurance()),
      ).file,
    ).toMatch(/expands to far more than its size when opened .* zip bomb/);
    await nothingStored();
  });

  it("refuses a file name with folder parts", async () => {
    expect(
      errorsOf(
        await submit(
          repCookie,
          itemId,
          { name: "../../etc/cron.d/evil.pdf", type: "application/pdf", bytes: pdfBytes() },
          insurance(),
        ),
      ).file,
    ).toBe(
      "The file name “../../etc/cron.d/evil.pdf” contains folder names (“/”, “\\” or “..”). Rename the file and upload it again.",
    );
    await nothingStored();
  });

  it("refuses an empty file, and a submission without a file", async () => {
    expect(
      errorsOf(
        await submit(repCookie, itemId, { name: "empty.pdf", type: "application/pdf", bytes: new Uint8Array() }, insurance()),
      ).file,
    ).toBe("The file is empty.");
    expect(errorsOf(await submit(repCookie, itemId, null, insurance())).file).toBe("Choose the file to upload.");
    await nothingStored();
  });

  it("refuses a file over the size limit without keeping any of it", async () => {
    const limit = context.uploadMaxBytes;
    context.uploadMaxBytes = 64 * 1024;
    try {
      const big = new Uint8Array(200 * 1024).fill(0x41);
      expect(
        errorsOf(await submit(repCookie, itemId, { name: "big.txt", type: "text/plain", bytes: big }, insurance())).file,
      ).toBe("The file is larger than the 0 MB limit.".replace("0 MB", `${Math.round(64 / 1024)} MB`));
    } finally {
      context.uploadMaxBytes = limit;
    }
    await nothingStored();
  });

  it("keeps nothing of an upload cut off mid-way", async () => {
    const boundary = "----custody-test-boundary";
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="coi.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
    );
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head);
        controller.enqueue(new Uint8Array(256 * 1024).fill(0x20));
        controller.error(new Error("connection reset"));
      },
    });
    const request = new Request(`http://localhost/portal/evidence/${itemId}`, {
      method: "POST",
      headers: { Cookie: repCookie, "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit);
    const result = await submitAction({ request, params: { itemId }, context } as never);
    expect(errorsOf(result).file).toBe("The upload did not arrive whole. Try again.");
    await nothingStored();
  });
});

describe("review", () => {
  it("carries a rejection's reason to the vendor, takes a resubmission as version 2, and on acceptance counts the requirement evidenced and opens next year's request", async () => {
    const item = await requestInsurance();
    await submit(repCookie, item.id, { name: "coi.pdf", type: "application/pdf", bytes: pdfBytes("low") }, insurance());
    await as(handle.db, officer, clock.now, (ctx) => startReview(ctx, item.id));
    await expect(
      as(handle.db, officer, clock.now, (ctx) => decide(ctx, item.id, { decision: "reject", reason: "" })),
    ).rejects.toMatchObject({
      fieldErrors: { reason: "Say why it is rejected; the vendor sees this reason and needs it to resubmit." },
    });
    await as(handle.db, officer, clock.now, (ctx) =>
      decide(ctx, item.id, { decision: "reject", reason: "Per-claim limit is $1,000,000; the contract requires $5,000,000." }),
    );
    const seen = await as(handle.db, rep, clock.now, (ctx) => getPortalItem(ctx, item.id));
    expect(seen.versions[0]).toMatchObject({
      version: 1,
      status: "rejected",
      decisionReason: "Per-claim limit is $1,000,000; the contract requires $5,000,000.",
      decidedByName: null,
    });
    expect(seen.canSubmit).toBe(true);

    const second = (await submit(
      repCookie,
      item.id,
      { name: "coi-corrected.pdf", type: "application/pdf", bytes: pdfBytes("high") },
      insurance({ "field.perClaimCents": "5,000,000", "field.aggregateCents": "10,000,000" }),
    )) as Response;
    expect(second.status).toBe(302);
    const versions = await handle.db
      .select()
      .from(evidenceVersions)
      .where(eq(evidenceVersions.itemId, item.id))
      .orderBy(evidenceVersions.version);
    expect(versions.map((v) => [v.version, v.status, v.flags])).toEqual([
      [1, "rejected", ["below-insurance-minimum"]],
      [2, "submitted", []],
    ]);

    const before = await as(handle.db, officer, clock.now, (ctx) => getMatrix(ctx, contractId));
    const row = (code: string, m = before) => m.sections.flatMap((s) => s.rows).find((r) => r.label === code)!;
    expect(row("IACP principle 10").evidence?.state).toBe("pending");

    const result = await as(handle.db, officer, clock.now, (ctx) => decide(ctx, item.id, { decision: "accept" }));
    expect(result.next).toMatchObject({ status: "requested", dueOn: "2027-12-15", previousId: item.id, recurrenceMonths: 12 });
    const after = await as(handle.db, officer, clock.now, (ctx) => getMatrix(ctx, contractId));
    expect(row("IACP principle 10", after).evidence).toEqual({ state: "evidenced", itemId: item.id });
    expect(row("IACP provision 13", after).evidence?.state).toBe("evidenced");
    expect(after.figures.evidence.evidenced).toBeGreaterThanOrEqual(2);

    // A decision stands: the database refuses to change it.
    const refusal = (query: Promise<unknown>) =>
      query.then(
        () => "allowed",
        (error: { cause?: { message?: string }; message: string }) => error.cause?.message ?? error.message,
      );
    expect(
      await refusal(
        handle.db.execute(
          sql`update evidence_versions set decision_reason = 'changed' where item_id = ${item.id} and version = 1`,
        ),
      ),
    ).toBe("a review decision cannot be changed");
    expect(
      await refusal(
        handle.db.execute(sql`update evidence_versions set fields = '{}' where item_id = ${item.id} and version = 2`),
      ),
    ).toBe("what was submitted cannot be changed; submit a new version");
    expect(await refusal(handle.db.execute(sql`delete from evidence_files`))).toBe(
      "evidence files cannot be changed or deleted (DELETE refused)",
    );
  });

  it("shows accepted evidence past its expiry as expired, a gap on the matrix and the register", async () => {
    const later = new Date("2028-01-05T12:00:00.000Z");
    const matrix = await as(handle.db, officer, later, (ctx) => getMatrix(ctx, contractId));
    const principle = matrix.sections.flatMap((s) => s.rows).find((r) => r.label === "IACP principle 10")!;
    expect(principle.evidence?.state).toBe("expired");
    expect(matrix.figures.evidence.gaps).toBeGreaterThan(0);
    const register = await as(handle.db, officer, later, (ctx) => listRegister(ctx, { status: "expired" }));
    expect(register.rows.length).toBeGreaterThan(0);
    expect(register.rows.every((r) => r.shown === "expired")).toBe(true);
  });
});

describe("chain of custody", () => {
  it("lists the request, the upload with its hash and source, every view and download, and the decisions, on the page and as CSV", async () => {
    const item = await requestInsurance();
    const pdf = pdfBytes("custody");
    await submit(
      repCookie,
      item.id,
      { name: "coi.pdf", type: "application/pdf", bytes: pdf },
      insurance({ "field.perClaimCents": "5,000,000", "field.aggregateCents": "5,000,000" }),
    );
    await as(handle.db, officer, clock.now, (ctx) =>
      decide(ctx, item.id, { decision: "accept", reason: "Matches the broker's letter." }),
    );
    const [file] = await handle.db
      .select({ id: evidenceFiles.id })
      .from(evidenceFiles)
      .innerJoin(evidenceVersions, eq(evidenceVersions.id, evidenceFiles.versionId))
      .where(eq(evidenceVersions.itemId, item.id));
    await (
      await agencyFileLoader(
        loaderArgs(
          context,
          `/evidence/${item.id}/files/${file!.id}`,
          { itemId: item.id, fileId: file!.id },
          { cookie: officerCookie },
        ),
      )
    ).arrayBuffer();
    // A stranger's attempt is part of the record too.
    await thrownStatus(
      portalItemLoader(loaderArgs(context, `/portal/evidence/${item.id}`, { itemId: item.id }, { cookie: otherRepCookie })),
    );

    const csv = await (
      (await custodyCsvLoader(
        loaderArgs(context, `/evidence/${item.id}/custody.csv`, { itemId: item.id }, { cookie: officerCookie }),
      )) as Response
    ).text();
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe(
      "log_position,event_id,seq,time_utc,who,actor_organisation,concerning_organisation,source_address,action,outcome,version,file,sha256,bytes,note,event_hash",
    );
    // Columns after the log position and event id, as before them.
    const cells = lines.slice(1).map((l) => l.split(",").slice(2));
    const actions = cells.map((c) => c[6]);
    expect(actions).toEqual([
      "Requested",
      "Submitted with attestation",
      "Accepted",
      "File downloaded",
      "Access refused (not visible to this person)",
    ]);
    expect(csv).toContain(`coi.pdf,${sha256(pdf)},${pdf.length}`);
    // Who acted, for whom: the vendor's representative uploads for the vendor, on the agency's item.
    const upload = cells.find((c) => c[6] === "Submitted with attestation")!;
    expect(upload[2]).toContain(rep.email);
    expect(upload.slice(3, 5)).toEqual(["Vendor V", "Agency A"]);
    const decision = cells.find((c) => c[6] === "Accepted")!;
    expect(decision[2]).toContain(officer.email);
    expect(decision.slice(3, 5)).toEqual(["Agency A", "Agency A"]);
    expect(csv).toContain("Attested by Jordan Vance");
    expect(csv).toContain("Matches the broker's letter.");
  });

  it("gives a signed receipt of the chain of custody that the standalone checker verifies offline, and refuses once one byte changes", async () => {
    const item = await requestInsurance();
    await submit(repCookie, item.id, { name: "coi.pdf", type: "application/pdf", bytes: pdfBytes("receipt") }, insurance());
    await as(handle.db, officer, clock.now, (ctx) => decide(ctx, item.id, { decision: "accept", reason: "In order." }));
    const sealer = new Sealer(handle.db, testSigner, [tempCheckpointFile().sink]);
    await sealer.sealNow();
    // One more event after the seal: the receipt names it as not yet sealed rather than leaving it out.
    await (
      (await custodyCsvLoader(
        loaderArgs(context, `/evidence/${item.id}/custody.csv`, { itemId: item.id }, { cookie: officerCookie }),
      )) as Response
    ).text();

    const response = (await custodyReceiptLoader(
      loaderArgs(context, `/evidence/${item.id}/custody-receipt.json`, { itemId: item.id }, { cookie: officerCookie }),
    )) as Response;
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="custody-receipt-/);
    const receipt = (await response.json()) as Receipt;
    expect(receipt.subject).toEqual({ kind: "evidence item", id: item.id, title: item.title });
    // The item's page carries the same checkpoint and proofs (folded under the custody table).
    const shown = await as(handle.db, officer, clock.now, (ctx) => getEvidenceItem(ctx, item.id));
    expect(shown.custodyProofs.checkpoint).toEqual(receipt.checkpoint);
    const root = Buffer.from(receipt.checkpoint!.rootHash, "hex");
    for (const proven of shown.custodyProofs.proven) {
      const proof = proven.inclusionProof.map((h) => Buffer.from(h, "hex"));
      expect(verifyInclusion(leafHash(proven.entry), proven.position, receipt.checkpoint!.treeSize, proof, root)).toBe(true);
    }
    expect(shown.custody.map((r) => r.position === null)).toEqual([false, false, false, true, true]);
    expect(receipt.events.map((e) => (JSON.parse(e.entry) as { action: string }).action)).toEqual([
      "evidence.request",
      "evidence.submit",
      "evidence.accept",
    ]);
    expect(receipt.notYetSealed).toHaveLength(1);
    expect(receipt.checkpoint!.keyId).toBe(testSigner.keyId);

    const text = JSON.stringify(receipt, null, 2);
    const good = checkReceipt(text);
    expect(good.stderr).toBe("");
    expect(good.status).toBe(0);
    expect(good.stdout).toContain(`VERIFIED: Custody audit receipt for evidence item "${item.title}"`);
    expect(good.stdout).toContain("Each of these 3 events is in that log");
    expect(good.stdout).toMatch(/evidence\.submit by .*@.* from /);
    expect(good.stdout).toContain("1 further event(s) had not yet been sealed");
    expect(good.stdout).not.toContain("WARNING");
    // Without --key the checker still runs, but says it trusted the key inside the file.
    expect(checkReceipt(text, null).stdout).toContain("WARNING: no --key was given");

    // One byte changed anywhere that matters: an event's entry, a proof, the checkpoint's note or signature.
    const submitEntry = receipt.events[1]!.entry;
    const cases = [
      text.replace(submitEntry.replace(/"/g, '\\"'), submitEntry.replace("coi.pdf", "coj.pdf").replace(/"/g, '\\"')),
      text.replace(
        receipt.events[0]!.inclusionProof[0]!,
        receipt.events[0]!.inclusionProof[0]!.replace(/^./, (c) => (c === "0" ? "1" : "0")),
      ),
      text.replace(`size ${receipt.checkpoint!.treeSize}`, `size ${receipt.checkpoint!.treeSize + 1}`),
      text.replace(
        receipt.checkpoint!.signature,
        receipt.checkpoint!.signature.replace(/^./, (c) => (c === "A" ? "B" : "A")),
      ),
    ];
    for (const changed of cases) {
      expect(changed).not.toBe(text);
      const bad = checkReceipt(changed);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/^NOT VERIFIED: /);
    }
    // The right receipt against another installation's key is refused too.
    const otherKey = createSigner(
      generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    ).publicKeyPem;
    expect(checkReceipt(text, otherKey).stderr).toMatch(
      /^NOT VERIFIED: the checkpoint was signed by key [0-9a-f]{16}, but the key given with --key/,
    );

    // The same chain as a PDF: what is not proven first, every event with its position, and the receipt attached.
    const pdfResponse = (await custodyPdfLoader(
      loaderArgs(context, `/evidence/${item.id}/custody.pdf`, { itemId: item.id }, { cookie: officerCookie }),
    )) as Response;
    expect(pdfResponse.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await pdfResponse.arrayBuffer());
    const pages = (await pdfPages(pdf)).join(" ");
    expect(
      expectInOrder(pages, [
        `Chain of custody: ${item.title}`,
        "3 of the 6 events had not yet been sealed",
        `The audit log's checkpoint of ${receipt.checkpoint!.treeSize} events`,
        "node custody-verify-receipt.mjs",
        "Events",
        "Requested",
        "being sealed",
        "The signed checkpoint",
        receipt.checkpoint!.keyId,
        "Inclusion proofs",
      ]),
    ).toEqual([]);
    const doc = await openPdf(pdf);
    const attached = Object.values(
      ((await doc.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>,
    );
    await doc.destroy();
    expect(attached.map((a) => a.filename)).toEqual([`custody-receipt-${item.id.slice(0, 8)}.json`]);
    expect(checkReceipt(attached[0]!.content).status).toBe(0);
  });
});

describe("the orphan sweep", () => {
  it("keeps encrypted evidence blobs that a file record points to", async () => {
    const result = await sweepOrphanBlobs(handle.db, context.blobs, new Date(Date.now() + 3 * 3600_000));
    const referenced = (await handle.db.select({ b: evidenceFiles.blobSha256 }).from(evidenceFiles)).map((r) => r.b);
    expect(referenced.length).toBeGreaterThan(0);
    const left = await storedBlobs();
    for (const b of referenced) expect(left).toContain(b);
    expect(result.ran).toBe(true);
  });
});
