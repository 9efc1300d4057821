import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import canonicalize from "canonicalize";
import { PDFDict, PDFDocument, PDFName } from "pdf-lib";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import { demoToday, type ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { seedDemo } from "../../app/demo/seed.server.ts";
import { listContracts } from "../../app/modules/contracts/contracts.server.ts";
import { generationForm, getGeneration } from "../../app/modules/documents/generations.server.ts";
import { listTemplates } from "../../app/modules/documents/templates.server.ts";
import { unembeddedFonts } from "../../app/modules/documents/binder.server.ts";
import { renderPdf } from "../../app/modules/documents/render-pdf.server.ts";
import { loadLibrary, replaceLibrary } from "../../app/modules/documents/library.server.ts";
import { loader as documentLoader } from "../../app/routes/documents.document.tsx";
import { loader as changesLoader } from "../../app/routes/documents.changes.tsx";
import { loader as downloadLoader } from "../../app/routes/documents.download.tsx";
import { action as generateAction, loader as formLoader } from "../../app/routes/documents.new.tsx";
import type { DatabaseHandle } from "../../db/client.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { contracts as contractsTable, contractTerms } from "../../db/schema/contracts.ts";
import { documentGenerations, documentOutputs } from "../../db/schema/documents.ts";
import { appContext, signIn, testSecrets } from "../support/accounts.ts";
import { as, contractInput, vendorInput } from "../support/contracts.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import { createContract } from "../../app/modules/contracts/contracts.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { addendumModel, docxPart, docxText, expectInOrder, openPdf, pdfPages } from "../support/documents.ts";
import { checkReceipt, testSigner } from "../support/audit.ts";
import { Sealer } from "../../app/modules/audit/sealer.server.ts";
import type { Receipt } from "../../app/modules/audit/proofs.server.ts";
import { thrownStatus } from "../support/routes.ts";
import { projectRoot } from "../support/server.ts";

/**
 * Generating documents from the demo installation's records: legal staff and a
 * CJIS officer of Riverside PD, EvidenceCloud's contract, its evidence and roster.
 */

let handle: DatabaseHandle;
let context: AppContext;
const clock = { now: new Date("2026-11-23T15:00:00.000Z") };
let legal: ProvisionedAccount;
let procurement: ProvisionedAccount;
let officer: ProvisionedAccount;
let auditor: ProvisionedAccount;
let stranger: ProvisionedAccount;
const cookies = new Map<string, string>();
let contractId: string;
let vendorId: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  context = appContext(handle.db, clock);
  const accounts = await seedDemo(handle.db, testSecrets, clock.now, context.blobs);
  const find = (role: string, org: string) => accounts.find((a) => a.role === role && a.organisation === org)!;
  legal = find("legal", "Riverside Police Department");
  procurement = find("procurement-officer", "Riverside Police Department");
  officer = find("cjis-officer", "Riverside Police Department");
  auditor = find("auditor", "Riverside Police Department");
  stranger = find("cjis-officer", "Harbor City Police Department");
  for (const a of [legal, officer, auditor, stranger]) cookies.set(a.email, (await signIn(handle.db, a, clock.now)).cookie);
  const contracts = await as(handle.db, legal, clock.now, (ctx) => listContracts(ctx));
  const evidenceContract = contracts.find((c) => c.vendorName === "EvidenceCloud Inc." && c.stage === "signed")!;
  contractId = evidenceContract.id;
  vendorId = evidenceContract.vendorId;
}, 60_000);
afterAll(async () => {
  await handle?.close();
});

const request = (account: ProvisionedAccount, path: string, form?: Record<string, string | string[]>) => {
  const headers = new Headers({ Cookie: cookies.get(account.email)! });
  let body: FormData | undefined;
  if (form) {
    body = new FormData();
    for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  }
  return new Request(`http://localhost${path}`, { method: form ? "POST" : "GET", headers, body });
};

/** The form as the page shows it, filled with what the record gives, plus what a person types. */
async function formFor(account: ProvisionedAccount, templateId: string, subject: string, typed: Record<string, string> = {}) {
  const page = await as(handle.db, account, clock.now, (ctx) =>
    generationForm(ctx, templateId, subject, { publicUrl: context.publicUrl }),
  );
  expect(page.form, `the ${templateId} form`).not.toBeNull();
  const form: Record<string, string | string[]> = {
    subject,
    clauses: "shown",
    include: page.form!.clauses.filter((c) => c.optional && c.included).map((c) => c.id),
  };
  for (const f of page.form!.fields) {
    if (f.input === "checkbox") {
      if (f.checked) form[`v.${f.name}`] = "on";
    } else form[`v.${f.name}`] = f.value;
  }
  for (const [k, v] of Object.entries(typed)) form[k] = v;
  return form;
}

async function generate(account: ProvisionedAccount, templateId: string, form: Record<string, string | string[]>) {
  const response = await generateAction({
    request: request(account, `/documents/new/${templateId}`, form),
    params: { templateId },
    context,
  } as never);
  return response as Response | { data: { errors: Record<string, string> }; init: { status: number } };
}

async function generated(account: ProvisionedAccount, templateId: string, form: Record<string, string | string[]>) {
  const response = await generate(account, templateId, form);
  if (!(response instanceof Response)) throw new Error(`not generated: ${JSON.stringify(response.data.errors)}`);
  expect(response.status).toBe(302);
  return response.headers.get("Location")!.split("/")[2]!.split("?")[0]!;
}

async function downloaded(account: ProvisionedAccount, id: string, format: "docx" | "pdf") {
  const response = (await downloadLoader({
    request: request(account, `/documents/${id}/download/${format}`),
    params: { generationId: id, format },
    context,
  } as never)) as Response;
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

const generationCount = async () => (await handle.db.select({ n: count() }).from(documentGenerations))[0]!.n;

describe("the CJIS addendum, generated by legal staff", () => {
  let firstId: string;

  it("starts from the contract's record, and stores a record of the generation whose files hold every value and every clause heading in order", async () => {
    const form = await formFor(legal, "cjis-addendum", contractId, {
      "v.governingLaw": "the Commonwealth of Virginia",
      "v.cjisPolicyDate": "2024-12-27",
      "v.deletionDays": "45",
    });
    expect(form["v.agencyName"]).toBe("Riverside Police Department");
    expect(form["v.providerName"]).toBe("EvidenceCloud Inc.");
    expect(form["v.breachNoticeHours"]).toBe("1");
    firstId = await generated(legal, "cjis-addendum", form);

    const [row] = await handle.db.select().from(documentGenerations).where(eq(documentGenerations.id, firstId));
    expect(row).toMatchObject({
      templateId: "cjis-addendum",
      templateVersion: "1.1.0",
      contractId,
      vendorId,
      final: false,
      generatedBy: legal.personId,
    });
    expect(row!.inputsSha256).toBe(createHash("sha256").update(canonicalize(row!.inputs)!).digest("hex"));

    const docx = await downloaded(legal, firstId, "docx");
    const pdf = await downloaded(legal, firstId, "pdf");
    const outputs = await handle.db.select().from(documentOutputs).where(eq(documentOutputs.generationId, firstId));
    expect(Object.fromEntries(outputs.map((o) => [o.format, o.sha256]))).toEqual({
      docx: createHash("sha256").update(docx).digest("hex"),
      pdf: createHash("sha256").update(pdf).digest("hex"),
    });
    const values = [
      "Riverside Police Department",
      "EvidenceCloud Inc.",
      "the Commonwealth of Virginia",
      "within 1 hour of discovering",
      "version 6.0 dated December 27, 2024",
    ];
    const headings = [
      "Agency Data and Criminal Justice Information",
      "CJIS Security Policy incorporated",
      "FBI CJIS Security Addendum",
      "Ownership of Agency Data",
      "No Data Mining",
      "Notice of Security Incidents",
      "Audit",
      "Portability",
      "Successors and assignees",
      "Remedies",
      "Governing law",
    ];
    for (const text of [await docxText(docx), (await pdfPages(pdf)).join(" ")]) {
      for (const v of values) expect(text).toContain(v);
      expect(expectInOrder(text, headings)).toEqual([]);
    }

    // Each download is an audit event naming the file and its hash.
    const downloads = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "document.download"), eq(auditEvents.objectId, firstId)));
    expect(downloads.map((e) => (e.details as { format: string }).format).sort()).toEqual(["docx", "pdf"]);
    const made = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "document.generate"), eq(auditEvents.objectId, firstId)));
    expect(made).toHaveLength(1);
    expect((made[0]!.details as { inputsSha256: string }).inputsSha256).toBe(row!.inputsSha256);
  });

  it("gives every demo contract's addendum the personnel clauses and the full remedies, defines the Service, and takes effect on the day it is generated", async () => {
    const contracts = (await as(handle.db, legal, clock.now, (ctx) => listContracts(ctx))).filter((c) =>
      /Northwind|EvidenceCloud/.test(c.vendorName),
    );
    expect(contracts.length).toBeGreaterThanOrEqual(2);
    for (const c of contracts) {
      const form = await formFor(legal, "cjis-addendum", c.id, {
        "v.governingLaw": "the Commonwealth of Virginia",
        "v.cjisPolicyDate": "2024-12-27",
      });
      if (!form["v.insuranceMinimum"]) form["v.insuranceMinimum"] = "5000000";
      expect(form["v.effectiveDate"], c.title).toBe(demoToday(clock.now));
      const text = (await docxText(await downloaded(legal, await generated(legal, "cjis-addendum", form), "docx"))).replace(
        /\s+/g,
        " ",
      );
      for (const needle of [
        "Screening and training of Provider staff",
        "fingerprint-based background check",
        "security awareness training",
        "Roster of Provider personnel",
        "within 24 hours",
        "terminate the agreement at once",
        "return all Criminal Justice Information",
        "reasonably foreseeable result",
        "defend, indemnify and hold harmless",
        "No limitation or exclusion of liability",
        "equitable relief",
      ])
        expect(text, `${c.title}: ${needle}`).toContain(needle);
      expect(text).toMatch(/“?Service”? means the cloud services the Provider supplies/);
    }
  });

  it("warns on the form that leaving out the only clause for a promised requirement uncovers it", async () => {
    const page = await as(handle.db, legal, clock.now, (ctx) =>
      generationForm(ctx, "cjis-addendum", contractId, { publicUrl: context.publicUrl }),
    );
    const featureChanges = page.form!.clauses.find((c) => c.id === "feature-changes")!;
    expect(featureChanges.optional).toBe(true);
    expect(featureChanges.soleCover).toEqual([expect.stringMatching(/^IACP provision 8 \(.+\)$/)]);
    // Every clause names what it addresses in words, by number and title, never by the catalog's keys.
    expect(featureChanges.requirements).toEqual([
      expect.stringMatching(/^IACP provision 8 \(.+\)$/),
      expect.stringMatching(/^IACP principle 5 \(.+\)$/),
    ]);
    expect(page.form!.clauses.flatMap((c) => c.requirements).filter((r) => /@|:/.test(r))).toEqual([]);
    const screening = page.form!.clauses.find((c) => c.id === "personnel-screening")!;
    expect(screening.applies).toBe(true);
  });

  it("offers the management control agreement only for a provider that is a government body, and generates it in its place of the Security Addendum", async () => {
    const county = await as(handle.db, procurement, clock.now, (ctx) =>
      registerVendor(
        ctx,
        vendorInput({ legalName: "Riverside County Department of Information Technology", governmentBody: "on" }),
      ),
    );
    const hosted = await as(handle.db, procurement, clock.now, (ctx) =>
      createContract(ctx, contractInput(county.id, { title: "County data center hosting of the records system" })),
    );
    const page = await as(handle.db, legal, clock.now, (ctx) =>
      generationForm(ctx, "management-control-agreement", null, { publicUrl: context.publicUrl }),
    );
    expect(page.subjectOptions.map((o) => o.value)).toEqual([hosted.id]);
    const refused = await generate(legal, "management-control-agreement", {
      ...(await formFor(legal, "management-control-agreement", hosted.id, { "v.governingLaw": "the Commonwealth of Virginia" })),
      subject: contractId,
    });
    expect((refused as { data: { errors: Record<string, string> } }).data.errors.subject).toMatch(
      /only for a contract whose provider is recorded as a government body/,
    );

    const form = await formFor(legal, "management-control-agreement", hosted.id, {
      "v.governingLaw": "the Commonwealth of Virginia",
      "v.cjisPolicyDate": "2024-12-27",
    });
    const id = await generated(legal, "management-control-agreement", form);
    for (const format of ["docx", "pdf"] as const) {
      const bytes = await downloaded(legal, id, format);
      const text = (format === "pdf" ? (await pdfPages(bytes)).join(" ") : await docxText(bytes)).replace(/\s+/g, " ");
      expect(
        expectInOrder(text, [
          "Management Control Agreement",
          "Riverside County Department of Information Technology",
          "5.1.1.4",
          "The Agency's management control",
          "to set, maintain and enforce the priorities",
          "The Provider's personnel",
          "fingerprint-based background check",
          "Term, termination and governing law",
        ]),
        format,
      ).toEqual([]);
      expect(text).not.toContain("certification page");
    }
  });

  it("shows a missing or invalid value next to its field and stores nothing", async () => {
    const before = await generationCount();
    const form = await formFor(legal, "cjis-addendum", contractId, {
      "v.governingLaw": "",
      "v.breachNoticeHours": "soon",
      "v.availabilityCritical": "101",
      "v.effectiveDate": "2027-02-30",
      "w.audit-rights": "whatever",
    });
    const response = await generate(legal, "cjis-addendum", form);
    expect(response).not.toBeInstanceOf(Response);
    const { data, init } = response as { data: { errors: Record<string, string> }; init: { status: number } };
    expect(init.status).toBe(400);
    expect(data.errors).toMatchObject({
      "v.governingLaw": "Enter governing law.",
      "v.breachNoticeHours": "Enter security incident notice (hours) as a whole number.",
      "v.availabilityCritical": "Availability of critical services (%) cannot exceed 100%.",
      "v.effectiveDate": "Enter effective date as a date.",
      "w.audit-rights": "Choose one of the wordings the library offers for “Audit”.",
    });
    expect(await generationCount()).toBe(before);
  });

  it("regenerated after the contract changed, shows what changed clause by clause", async () => {
    await handle.db.update(contractTerms).set({ breachNoticeHours: 4 }).where(eq(contractTerms.contractId, contractId));
    const page = await as(handle.db, legal, clock.now, (ctx) =>
      generationForm(ctx, "cjis-addendum", contractId, { publicUrl: context.publicUrl }, firstId),
    );
    expect(page.form!.fields.find((f) => f.name === "breachNoticeHours")!.value).toBe("4");
    // What legal staff typed or changed last time stays; what the contract record says is current.
    expect(page.form!.fields.find((f) => f.name === "governingLaw")!.value).toBe("the Commonwealth of Virginia");
    expect(page.form!.fields.find((f) => f.name === "deletionDays")!.value).toBe("45");
    expect(page.form!.clauses.find((c) => c.id === "audit-rights")!.wording).toBe("inspection");
    const form = await formFor(legal, "cjis-addendum", contractId, {
      "v.governingLaw": "the Commonwealth of Virginia",
      "v.cjisPolicyDate": "2024-12-27",
      "w.audit-rights": "third-party",
    });
    form.include = ["feature-changes", "cost"];
    const secondId = await generated(legal, "cjis-addendum", form);

    const view = await as(handle.db, legal, clock.now, (ctx) => getGeneration(ctx, secondId));
    expect(view.previous?.id).toBeDefined();
    const byId = new Map(view.diff!.changes.map((c) => [c.id, c]));
    expect(byId.get("incident-notice")).toMatchObject({ status: "changed" });
    expect(
      byId
        .get("incident-notice")!
        .words.filter((w) => w.change === "added")
        .map((w) => w.text.trim()),
    ).toContain("4 hours");
    expect(
      byId
        .get("incident-notice")!
        .words.filter((w) => w.change === "removed")
        .map((w) => w.text.trim()),
    ).toContain("1 hour");
    expect(byId.get("audit-rights")).toMatchObject({
      status: "changed",
      before: { wording: "inspection" },
      after: { wording: "third-party" },
    });
    expect(byId.get("separable-storage")).toMatchObject({ status: "removed" });
    expect(byId.get("no-data-mining")).toMatchObject({
      status: "renumbered",
      before: { number: "3.4" },
      after: { number: "3.3" },
    });
    expect(byId.get("data-ownership")).toMatchObject({ status: "unchanged" });

    const page2 = (await documentLoader({
      request: request(legal, `/documents/${secondId}`),
      params: { generationId: secondId },
      context,
    } as never)) as { diff: unknown };
    expect(page2.diff).not.toBeNull();

    // The same changes as Word tracked changes, audited; the first generation has none to give.
    const changes = (await changesLoader({
      request: request(legal, `/documents/${secondId}/changes.docx`),
      params: { generationId: secondId },
      context,
    } as never)) as Response;
    expect(changes.status).toBe(200);
    const redline = Buffer.from(await changes.arrayBuffer());
    expect(await docxPart(redline, "word/document.xml")).toMatch(/<w:ins [^>]*>.*?4 hours/);
    const audited = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "document.changes.download"), eq(auditEvents.objectId, secondId)));
    expect(audited).toHaveLength(1);
    expect(
      (
        await thrownStatus(
          changesLoader({
            request: request(legal, `/documents/${firstId}/changes.docx`),
            params: { generationId: firstId },
            context,
          } as never),
        )
      ).status,
    ).toBe(404);
  });

  it("refuses to alter the locked Security Addendum clause, and keeps it when the form leaves it out", async () => {
    const form = await formFor(legal, "cjis-addendum", contractId, {
      "v.governingLaw": "Virginia",
      "w.cjis-security-addendum": "summary",
    });
    const refused = await generate(legal, "cjis-addendum", form);
    expect((refused as { data: { errors: Record<string, string> } }).data.errors["w.cjis-security-addendum"]).toContain(
      "is locked",
    );
    delete form["w.cjis-security-addendum"];
    form.include = [];
    const id = await generated(legal, "cjis-addendum", form);
    const view = await as(handle.db, legal, clock.now, (ctx) => getGeneration(ctx, id));
    const ids = view.generation.model.blocks.filter((b) => b.t === "clause").map((b) => (b as { id: string }).id);
    expect(ids).toContain("cjis-security-addendum");
    expect(ids).not.toContain("separable-storage");
  });

  it("cannot be seen or downloaded by another agency", async () => {
    const [any] = await handle.db.select({ id: documentGenerations.id }).from(documentGenerations).limit(1);
    expect(
      (
        await thrownStatus(
          documentLoader({
            request: request(stranger, `/documents/${any!.id}`),
            params: { generationId: any!.id },
            context,
          } as never),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await thrownStatus(
          downloadLoader({
            request: request(stranger, `/documents/${any!.id}/download/pdf`),
            params: { generationId: any!.id, format: "pdf" },
            context,
          } as never),
        )
      ).status,
    ).toBe(404);
    // An auditor of the agency reads and downloads, but may not generate.
    expect((await downloaded(auditor, any!.id, "pdf")).subarray(0, 5).toString()).toBe("%PDF-");
    expect(
      (
        await thrownStatus(
          formLoader({
            request: request(auditor, "/documents/new/cjis-addendum"),
            params: { templateId: "cjis-addendum" },
            context,
          } as never),
        )
      ).status,
    ).toBe(403);
  });

  it("the database refuses to change or delete a generation or its files", async () => {
    const refusal = (query: Promise<unknown>) =>
      query.then(
        () => "allowed",
        (error: { cause?: { message?: string }; message: string }) => error.cause?.message ?? error.message,
      );
    expect(await refusal(handle.db.execute(sql`update document_generations set final = true`))).toContain(
      "cannot be changed or deleted",
    );
    expect(await refusal(handle.db.execute(sql`delete from document_outputs`))).toContain("cannot be changed or deleted");
  });
});

describe("a template that fails templates:check", () => {
  it("is listed with its problem and cannot be generated from", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "custody-broken-templates-"));
    cpSync(path.join(projectRoot, "templates"), dir, { recursive: true });
    const clause = path.join(dir, "clauses", "portability.md");
    writeFileSync(clause, readFileSync(clause, "utf8").replace(":var[exportFormats]", ":var[formats]"));
    replaceLibrary(loadLibrary(dir));
    try {
      const listed = await as(handle.db, legal, clock.now, async (ctx) =>
        listTemplates(ctx).find((t) => t.id === "cjis-addendum")!,
      );
      expect(listed).toMatchObject({ usable: false, problems: ["undefined variable “formats”: the schema has no such field"] });
      const page = await as(handle.db, legal, clock.now, (ctx) =>
        generationForm(ctx, "cjis-addendum", contractId, { publicUrl: context.publicUrl }),
      );
      expect(page.form).toBeNull();
      const before = await generationCount();
      const refused = await generate(legal, "cjis-addendum", { subject: contractId, "v.governingLaw": "Virginia" });
      expect((refused as { data: { errors: Record<string, string> } }).data.errors.template).toContain(
        "failed its check and cannot be used",
      );
      expect(await generationCount()).toBe(before);
    } finally {
      replaceLibrary(null);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the documents a CJIS officer produces for an audit", () => {
  it("offers legal staff only the documents whose data they may read", async () => {
    const forLegal = await as(handle.db, legal, clock.now, async (ctx) => listTemplates(ctx).map((t) => t.id));
    expect(forLegal.sort()).toEqual([
      "cjis-addendum",
      "gap-memo",
      "management-control-agreement",
      "sla-schedule",
      "tco-worksheet",
    ]);
    const forOfficer = await as(handle.db, officer, clock.now, async (ctx) => listTemplates(ctx).map((t) => t.id));
    expect(forOfficer).toHaveLength(10);
    expect(
      (
        await thrownStatus(
          formLoader({
            request: request(legal, "/documents/new/audit-binder"),
            params: { templateId: "audit-binder" },
            context,
          } as never),
        )
      ).status,
    ).toBe(404);
  });

  const cases: {
    template: string;
    subject: () => string;
    typed?: Record<string, string>;
    expect: string[];
    formats: ("docx" | "pdf")[];
  }[] = [
    {
      template: "sla-schedule",
      subject: () => contractId,
      expect: [
        "Service-Level Schedule",
        "Table 1. Service-level targets by criticality",
        "Critical",
        "99.95%",
        "15 minutes",
        "1 hour",
        "Essential",
        "Service credits",
      ],
      formats: ["docx", "pdf"],
    },
    {
      template: "compliance-report",
      subject: () => contractId,
      expect: [
        "Vendor Compliance Report",
        "Coverage by framework",
        "Coverage matrix",
        "IACP principle 1",
        "Evidence status",
        "FIPS 140-3 validation certificate",
        "Accepted",
      ],
      formats: ["docx", "pdf"],
    },
    {
      template: "gap-memo",
      subject: () => contractId,
      expect: ["Gap Analysis Memo", "Requirements the contract does not yet meet", "Proposed wording"],
      formats: ["docx", "pdf"],
    },
    {
      template: "evidence-request-letter",
      subject: () => vendorId,
      typed: { "v.recipient": "Casey Duncan" },
      expect: [
        "Request for Compliance Evidence",
        "Dear Casey Duncan",
        "What is due",
        "Cyber-liability insurance certificate",
        "2026-12-14",
        "http://custody.test/portal",
        "Do not send documents by",
      ],
      formats: ["docx", "pdf"],
    },
    {
      template: "roster-certification",
      subject: () => vendorId,
      expect: ["Vendor Personnel Roster Certification", "Fingerprint check", "Security Addendum signed", "I certify"],
      formats: ["docx", "pdf"],
    },
    {
      template: "access-governance-report",
      subject: () => officer.organisationId,
      expect: [
        "Access Governance Report",
        "Access list",
        "Sam Okafor",
        "Access from outside the agency",
        "Casey Duncan",
        "Vendor portal",
        "Taylor Brooks",
        "Reads the shared contract",
        "Stale and expiring accounts",
        "Deprovisioning records",
        "Access reviews",
      ],
      formats: ["docx", "pdf"],
    },
    {
      template: "tco-worksheet",
      subject: () => officer.organisationId,
      typed: {
        "v.systemName": "Body-worn camera video storage",
        "v.cloudSetup": "40000",
        "v.cloudAnnual": "120000",
        "v.cloudComplianceAnnual": "15000",
        "v.onPremCapital": "650000",
        "v.onPremAnnualUpkeep": "60000",
        "v.onPremStaffAnnual": "90000",
        "v.onPremComplianceAnnual": "25000",
        "v.onPremRefreshCost": "300000",
      },
      expect: [
        "Total Cost of Ownership Worksheet",
        "Body-worn camera video storage",
        "over 7 years",
        "refreshed every 5 years",
        "Total over 7 years",
        "Cloud costs",
        "Cumulative cost by year",
        "Cost by year",
      ],
      formats: ["docx", "pdf"],
    },
  ];

  for (const c of cases) {
    it(`generates the ${c.template} from the demo records, in ${c.formats.join(" and ")}`, async () => {
      const id = await generated(officer, c.template, await formFor(officer, c.template, c.subject(), c.typed));
      for (const format of c.formats) {
        const bytes = await downloaded(officer, id, format);
        const text = format === "pdf" ? (await pdfPages(bytes)).join(" ") : await docxText(bytes);
        expect(expectInOrder(text, c.expect), `${c.template} as ${format}`).toEqual([]);
      }
    }, 30_000);
  }

  it("opens the gap memo and the compliance report of each demo contract with how much was assessed, and never calls an unassessed contract clean", async () => {
    const contracts = (await as(handle.db, officer, clock.now, (ctx) => listContracts(ctx))).filter(
      (c) => c.kind === "master-agreement" || c.kind === "addendum",
    );
    const demo = contracts.filter((c) => /Northwind|EvidenceCloud/.test(c.vendorName));
    expect(demo.length).toBeGreaterThanOrEqual(2);
    for (const c of demo) {
      for (const template of ["gap-memo", "compliance-report"]) {
        const id = await generated(officer, template, await formFor(officer, template, c.id));
        const text = (await docxText(await downloaded(officer, id, "docx"))).replace(/\s+/g, " ");
        const opening = text.match(
          /(No requirement of this contract has been assessed yet|The assessment is not complete|Every one of the \d+ requirements)[^.]*\./,
        )?.[0];
        expect(opening, `${template} for ${c.title}`).toBeDefined();
        const first = template === "gap-memo" ? text.indexOf("Subject:") : text.indexOf("Prepared by");
        const table = text.search(/Requirements the contract does not yet meet|Coverage by framework/);
        expect(text.indexOf(opening!)).toBeGreaterThan(first);
        expect(text.indexOf(opening!)).toBeLessThan(table);
        if (template === "gap-memo" && c.vendorName === "EvidenceCloud Inc.") {
          // The address keeps its lines, and the vendor's name is written once.
          const pdfText = (await pdfPages(await downloaded(officer, id, "pdf"))).join(" ").replace(/\s+/g, " ");
          expect(pdfText).toContain("To: Counsel for EvidenceCloud Inc. Legal Department 1800 Example Parkway Reston, VA 20190");
          const xml = (await docxPart(await downloaded(officer, id, "docx"), "word/document.xml"))!;
          expect(xml).toMatch(
            /Counsel for EvidenceCloud Inc\.<\/w:t>.*?<w:br\/>.*?Legal Department<\/w:t>.*?<w:br\/>.*?1800 Example Parkway/s,
          );
        }
        // The CJIS requirements are cited by control identifier, and their audit priority is not claimed.
        expect(text).toMatch(/CJIS requirements are cited by their control identifiers/);
        expect(text).toMatch(/The priority of none of the 54 CJIS requirements is recorded/);
        if (!opening!.startsWith("Every one")) {
          expect(text).not.toContain("The contract has no missing or partially addressed requirement.");
          expect(text).toContain("Requirements not yet assessed");
        }
      }
    }
  }, 120_000);

  it("refuses to certify the roster of a vendor whose only contract with the agency is terminated, saying why", async () => {
    const contracts = await as(handle.db, officer, clock.now, (ctx) => listContracts(ctx));
    const dispatch = contracts.find((c) => c.title === "Computer-aided dispatch hosting")!;
    await handle.db
      .update(contractsTable)
      .set({ stage: "terminated", terminatedOn: "2026-11-01", terminationReason: "Procurement cancelled" })
      .where(eq(contractsTable.id, dispatch.id));
    const before = await generationCount();
    const refused = await generate(
      officer,
      "roster-certification",
      await formFor(officer, "roster-certification", dispatch.vendorId),
    );
    expect((refused as { data: { errors: Record<string, string> }; init: { status: number } }).init.status).toBe(400);
    expect((refused as { data: { errors: Record<string, string> } }).data.errors.subject).toBe(
      `${dispatch.vendorName} has no contract with your agency that is not terminated, so its personnel roster is not yours to certify.`,
    );
    expect(await generationCount()).toBe(before);
  });

  it("works out the TCO from the figures entered: year by year and in total", async () => {
    const [row] = await handle.db.select().from(documentGenerations).where(eq(documentGenerations.templateId, "tco-worksheet"));
    const tables = (row!.inputs as { sources: Record<string, { rows: string[][] }> }).sources;
    // Cloud: 40,000 + 7 years of 135,000 rising 3% a year; on-premises: 650,000 + 175,000 rising 3% + one refresh of 300,000 in year 6.
    // Each year is rounded to the dollar, and the totals add up the years as the table shows them.
    const rising = (base: number) =>
      Array.from({ length: 7 }, (_, i) => Math.round(base * 1.03 ** i + (i === 0 ? 40_000 : 0))).reduce((a, b) => a + b, 0);
    const usd = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;
    expect(tables.totals!.rows[0]).toEqual(["Cloud", usd(rising(135_000))]);
    expect(tables.yearly!.rows).toHaveLength(7);
    expect(tables.yearly!.rows[5]![2]).toBe(usd(300_000 + 175_000 * 1.03 ** 5));
  });

  it("assembles the audit binder: cover, contents and register, then each accepted PDF stamped with its SHA-256 and acceptance date", async () => {
    const id = await generated(officer, "audit-binder", await formFor(officer, "audit-binder", vendorId));
    const outputs = await handle.db.select().from(documentOutputs).where(eq(documentOutputs.generationId, id));
    expect(outputs.map((o) => o.format)).toEqual(["pdf"]);
    const pages = await pdfPages(await downloaded(officer, id, "pdf"));
    const front = pages.findIndex((p) => p.includes("EvidenceCloud Inc.") && p.includes("Cryptographic module validation"));
    expect(front).toBeGreaterThan(0);
    const [file] = await handle.db
      .execute<{ sha256: string }>(
        sql`select f.sha256 from evidence_files f join evidence_versions v on v.id = f.version_id where v.status = 'accepted'`,
      )
      .then((r: unknown) => (r as { rows?: { sha256: string }[] }).rows ?? (r as { sha256: string }[]));
    expect(pages[front]).toContain(`Exhibit 1 - accepted 2026-11-23 - SHA-256 ${file!.sha256}`);
    expect(pages[front]).toContain(`Binder page ${front + 1} of ${pages.length}`);
    expect(
      expectInOrder(pages.slice(0, front).join(" "), [
        "Audit Binder",
        // What it does not hold comes first: the demo vendor has requests not yet received.
        "This binder holds only accepted evidence",
        "not been received",
        "Contents",
        "Evidence register",
        "1",
        `Exhibit 1: FIPS 140-3 validation certificate`,
        String(front + 1),
        "Evidence register",
        "FIPS 140-3 validation certificate",
        "2026-11-23",
      ]),
    ).toEqual([]);
    // The register's hash column wraps the 64 hex digits over lines; unwrapped, it is the file's SHA-256.
    expect(pages.slice(0, front).join("").replace(/\s+/g, "")).toContain(file!.sha256);
  }, 30_000);

  it("notes on the binder's contents an exhibit whose fonts are not embedded, and stamps its pages in an embedded font", async () => {
    const id = await generated(officer, "audit-binder", await formFor(officer, "audit-binder", vendorId));
    const bytes = await downloaded(officer, id, "pdf");
    const pages = await pdfPages(bytes);
    const front = pages.findIndex((p) => p.includes("Binder page") && p.includes("Exhibit 1 - accepted"));
    // The demo's certificate was drawn in Helvetica, which a PDF may name without carrying.
    expect(pages.slice(0, front).join(" ")).toMatch(
      /Exhibit 1: FIPS 140-3 validation certificate .*Fonts not embedded in the file: Helvetica\. A reader draws them with a substitute/,
    );
    const binder = await PDFDocument.load(bytes);
    expect(unembeddedFonts(binder)).toEqual(["Helvetica"]);
    const exhibitFonts = binder.getPage(front).node.Resources()!.lookup(PDFName.of("Font"), PDFDict);
    const names = exhibitFonts.keys().map((k) => {
      const font = exhibitFonts.lookup(k, PDFDict);
      return (font.get(PDFName.of("BaseFont")) as PDFName).decodeText();
    });
    expect(names.some((n) => n.includes("DejaVuSans"))).toBe(true);
    // A file that carries its fonts gets no note.
    const carried = await PDFDocument.load(await renderPdf(addendumModel({})));
    expect(unembeddedFonts(carried)).toEqual([]);
  }, 30_000);

  it("attaches each exhibit's signed custody receipt to the binder, and the standalone checker verifies it against the installation's key", async () => {
    await new Sealer(handle.db, testSigner, []).sealNow();
    const id = await generated(officer, "audit-binder", await formFor(officer, "audit-binder", vendorId));
    const doc = await openPdf(await downloaded(officer, id, "pdf"));
    const attachments = ((await doc.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>;
    await doc.destroy();
    const files = Object.values(attachments);
    expect(files.map((f) => f.filename)).toEqual(["exhibit-1-custody-receipt.json"]);
    const receipt = JSON.parse(Buffer.from(files[0]!.content).toString("utf8")) as Receipt;
    expect(receipt.subject).toMatchObject({ kind: "evidence item", title: "FIPS 140-3 validation certificate" });
    expect(receipt.events.map((e) => (JSON.parse(e.entry) as { action: string }).action)).toEqual(
      expect.arrayContaining(["evidence.request", "evidence.submit", "evidence.accept"]),
    );
    const checked = checkReceipt(Buffer.from(files[0]!.content));
    expect(checked.stderr).toBe("");
    expect(checked.stdout).toContain('VERIFIED: Custody audit receipt for evidence item "FIPS 140-3 validation certificate"');
  }, 30_000);
});
