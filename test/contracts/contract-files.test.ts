import JSZip from "jszip";
import { createHash } from "node:crypto";
import { readdir, utimes } from "node:fs/promises";
import path from "node:path";
import { Document, Packer, Paragraph } from "docx";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { sweepOrphanBlobs } from "../../app/modules/blobs/sweep.server.ts";
import type { FileSystemBlobStore } from "../../app/modules/blobs/store.server.ts";
import { createContract } from "../../app/modules/contracts/contracts.server.ts";
import { registerVendor } from "../../app/modules/vendors/vendors.server.ts";
import { action as uploadAction } from "../../app/routes/contracts.files.tsx";
import { loader as downloadLoader } from "../../app/routes/contracts.file.tsx";
import { loader as movedLoader } from "../../app/routes/contracts.files-moved.tsx";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { contractFiles } from "../../db/schema/contracts.ts";
import { appContext, makeAccount, seedOrganisations, signIn } from "../support/accounts.ts";
import { as, contractInput, pdfBytes, uploadRequest, vendorInput } from "../support/contracts.ts";
import { createTestDatabase } from "../support/database.ts";
import { loaderArgs, thrownStatus } from "../support/routes.ts";

let handle: DatabaseHandle;
let context: AppContext;
const clock = { now: new Date("2026-11-23T15:00:00.000Z") };
let buyer: ProvisionedAccount;
let buyerCookie: string;
let otherBuyerCookie: string;
let sharedCjisCookie: string;
let sharedCjis: ProvisionedAccount;
let contractId: string;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const blobs = () => context.blobs as FileSystemBlobStore;
const stored = async () => {
  const found: string[] = [];
  for await (const b of blobs().list()) found.push(b.sha256);
  return found.sort();
};

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadCatalog(handle.db, catalogData);
  context = appContext(handle.db, clock);
  const orgs = await seedOrganisations(handle.db);
  buyer = await makeAccount(handle.db, orgs.agencyA.id, "procurement-officer", clock.now);
  const otherBuyer = await makeAccount(handle.db, orgs.agencyB.id, "procurement-officer", clock.now);
  sharedCjis = await makeAccount(handle.db, orgs.agencyB.id, "cjis-officer", clock.now);
  buyerCookie = (await signIn(handle.db, buyer, clock.now)).cookie;
  otherBuyerCookie = (await signIn(handle.db, otherBuyer, clock.now)).cookie;
  sharedCjisCookie = (await signIn(handle.db, sharedCjis, clock.now)).cookie;
  const vendor = await as(handle.db, buyer, clock.now, (ctx) => registerVendor(ctx, vendorInput()));
  contractId = (
    await as(handle.db, buyer, clock.now, (ctx) =>
      createContract(ctx, contractInput(vendor.id, { sharedWith: [orgs.agencyB.id] })),
    )
  ).id;
});
afterAll(async () => {
  await handle?.close();
});

const upload = (cookie: string, file: { name: string; type: string; bytes: Uint8Array }, fields?: Record<string, string>) =>
  uploadAction({
    request: uploadRequest(`/contracts/${contractId}/files`, cookie, file, fields),
    params: { contractId },
    context,
  } as never);
const contractFileRows = () =>
  handle.db.select().from(contractFiles).where(eq(contractFiles.contractId, contractId)).orderBy(contractFiles.version);

describe("contract files", () => {
  it("keep each upload as a new version with its SHA-256, size and uploader, in the content-addressed store", async () => {
    const pdf = pdfBytes("draft one");
    const first = (await upload(buyerCookie, { name: "Draft agreement.pdf", type: "application/pdf", bytes: pdf })) as Response;
    expect(first.status).toBe(302);
    const docx = new Uint8Array(
      await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("Signed agreement")] }] })),
    );
    const second = (await upload(
      buyerCookie,
      { name: "Signed agreement.docx", type: "application/octet-stream", bytes: docx },
      { stage: "signed", note: "Countersigned copy" },
    )) as Response;
    expect(second.status).toBe(302);
    const rows = await contractFileRows();
    expect(rows.map((r) => [r.version, r.stage, r.filename, r.mediaType, r.sizeBytes, r.sha256, r.uploadedBy])).toEqual([
      [1, "draft", "Draft agreement.pdf", "application/pdf", pdf.length, sha256(pdf), buyer.personId],
      [
        2,
        "signed",
        "Signed agreement.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        docx.length,
        sha256(docx),
        buyer.personId,
      ],
    ]);
    expect(await stored()).toEqual([sha256(pdf), sha256(docx)].sort());
    expect(await readdir(blobs().spoolDir)).toEqual([]);
  });

  it("refuse a text file renamed .pdf, by its content, and keep nothing of it", async () => {
    const before = await contractFileRows();
    const blobsBefore = await stored();
    const text = new TextEncoder().encode("This is not a PDF, whatever its name says.\n");
    const result = (await upload(buyerCookie, { name: "contract.pdf", type: "application/pdf", bytes: text })) as {
      data: { errors: Record<string, string> };
      init: { status: number };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.errors.file).toBe(
      "“contract.pdf” is not a PDF or a Word document (DOCX), whatever its name says. Upload the contract as PDF or DOCX.",
    );
    expect(await contractFileRows()).toEqual(before);
    expect(await stored()).toEqual(blobsBefore);
    expect(await readdir(blobs().spoolDir)).toEqual([]);
  });

  it("refuse a PDF that is also a ZIP archive, as every upload does, and keep nothing of it", async () => {
    const before = await contractFileRows();
    const blobsBefore = await stored();
    const archive = new JSZip();
    archive.file("payload.js", "alert(1)");
    const polyglot = new Uint8Array([...pdfBytes(), ...(await archive.generateAsync({ type: "uint8array" }))]);
    const result = (await upload(buyerCookie, { name: "contract.pdf", type: "application/pdf", bytes: polyglot })) as {
      data: { errors: Record<string, string> };
      init: { status: number };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.errors.file).toMatch(/^This PDF carries other data after its end/);
    expect(await contractFileRows()).toEqual(before);
    expect(await stored()).toEqual(blobsBefore);
  });

  it("refuse a 60 MB upload while it streams in, with the limit in the message, and keep nothing of it", async () => {
    const before = await contractFileRows();
    const big = new Uint8Array(60 * 1024 * 1024);
    big.set(pdfBytes());
    const result = (await upload(buyerCookie, { name: "huge.pdf", type: "application/pdf", bytes: big })) as {
      data: { errors: Record<string, string> };
      init: { status: number };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.errors.file).toBe("The file is larger than the 50 MB limit.");
    expect(await contractFileRows()).toEqual(before);
    expect(await readdir(blobs().spoolDir)).toEqual([]);
  });

  it("refuse an upload whose declared size is over the limit only after reading the rest, so the browser sees the message, not a reset", async () => {
    const before = await contractFileRows();
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    const chunks = 60;
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled === chunks) return controller.close();
        pulled += 1;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(`http://localhost/contracts/${contractId}/files`, {
      method: "POST",
      headers: {
        Cookie: buyerCookie,
        "Content-Type": "multipart/form-data; boundary=----declared-too-large",
        "Content-Length": String(chunks * chunk.length),
      },
      body,
      duplex: "half",
    } as RequestInit);
    const result = (await uploadAction({ request, params: { contractId }, context } as never)) as {
      data: { errors: Record<string, string> };
      init: { status: number };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.errors.file).toBe("The file is larger than the 50 MB limit.");
    expect(pulled).toBe(chunks);
    expect(await contractFileRows()).toEqual(before);
  });

  it("refuse an upload without a file or without saying what it is", async () => {
    const missingStage = (await upload(buyerCookie, { name: "a.pdf", type: "application/pdf", bytes: pdfBytes() }, {})) as {
      data: { errors: Record<string, string> };
    };
    expect(missingStage.data.errors.stage).toContain("draft, the signed version");
    const empty = (await upload(buyerCookie, { name: "empty.pdf", type: "application/pdf", bytes: new Uint8Array(0) })) as {
      data: { errors: Record<string, string> };
    };
    expect(empty.data.errors.file).toBe("The file is empty.");
    expect((await contractFileRows()).length).toBe(2);
  });

  it("can be added only by the owning agency: a participating agency's procurement officer gets 404", async () => {
    const outcome = await thrownStatus(upload(otherBuyerCookie, { name: "x.pdf", type: "application/pdf", bytes: pdfBytes() }));
    expect(outcome.status).toBe(404);
    expect((await contractFileRows()).length).toBe(2);
  });

  it("download whole to a participating agency, and each download is audited with the bytes sent", async () => {
    const [first] = await contractFileRows();
    const response = (await downloadLoader(
      loaderArgs(
        context,
        `/contracts/${contractId}/files/${first!.id}`,
        { contractId, contractFileId: first!.id },
        { cookie: sharedCjisCookie },
      ),
    )) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toContain('filename="Draft agreement.pdf"');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(sha256(bytes)).toBe(first!.sha256);
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "contract.file.download"), eq(auditEvents.objectId, first!.id)));
    expect(event).toMatchObject({
      actorPersonId: sharedCjis.personId,
      details: expect.objectContaining({ bytes: first!.sizeBytes, sha256: first!.sha256 }),
    });
  });

  it("are found from an old link to the contract's documents, which now leads to its files", () => {
    const list = movedLoader({ params: { contractId } } as never) as Response;
    expect(list.status).toBe(301);
    expect(list.headers.get("Location")).toBe(`/contracts/${contractId}/files`);
    const one = movedLoader({ params: { contractId, documentId: "f0e1d2c3-0000-4000-8000-000000000000" } } as never) as Response;
    expect(one.headers.get("Location")).toBe(`/contracts/${contractId}/files/f0e1d2c3-0000-4000-8000-000000000000`);
  });

  it("cannot be altered or deleted once recorded", async () => {
    await expect(handle.db.execute(sql`update contract_files set filename = 'forged.pdf'`)).rejects.toThrow();
    await expect(handle.db.execute(sql`delete from contract_files`)).rejects.toThrow();
    expect((await contractFileRows()).length).toBe(2);
  });
});

describe("the orphan-blob sweep", () => {
  it("removes files no record points to once the grace period has passed, and keeps every referenced one", async () => {
    const orphan = new TextEncoder().encode("left behind by an upload whose record never committed");
    const spooled = path.join(blobs().spoolDir, "orphan.part");
    const { writeFile, mkdir } = await import("node:fs/promises");
    await mkdir(blobs().spoolDir, { recursive: true });
    await writeFile(spooled, orphan);
    await blobs().putFile(sha256(orphan), spooled, orphan.length, "text/plain");
    const referenced = (await contractFileRows()).map((d) => d.sha256).sort();

    const young = await sweepOrphanBlobs(handle.db, blobs(), new Date());
    expect(young).toMatchObject({ ran: true, removed: 0 });
    // Age every blob past the grace period.
    for await (const b of blobs().list()) {
      const file = path.join((blobs() as unknown as { dir: string }).dir, b.sha256.slice(0, 2), b.sha256.slice(2, 4), b.sha256);
      await utimes(file, new Date("2020-01-01"), new Date("2020-01-01"));
    }
    const old = await sweepOrphanBlobs(handle.db, blobs(), new Date());
    expect(old).toMatchObject({ ran: true, removed: 1 });
    expect(await stored()).toEqual(referenced);
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "sweep.orphan-blobs"))
      .orderBy(auditEvents.seq);
    expect(events.at(-1)!.details).toMatchObject({ removed: 1, hashes: [sha256(orphan)] });
  });
});

describe("a contract file whose bytes have vanished from the store", () => {
  it("answers 410 with a message naming the version and its hash, and the failed download is audited", async () => {
    const response = (await upload(buyerCookie, {
      name: "Lost.pdf",
      type: "application/pdf",
      bytes: pdfBytes("soon lost"),
    })) as Response;
    expect(response.status).toBe(302);
    const lost = (await contractFileRows()).at(-1)!;
    await blobs().delete(lost.sha256);
    const outcome = await thrownStatus(
      downloadLoader(
        loaderArgs(
          context,
          `/contracts/${contractId}/files/${lost.id}`,
          { contractId, contractFileId: lost.id },
          { cookie: sharedCjisCookie },
        ),
      ),
    );
    expect(outcome.status).toBe(410);
    expect(String(outcome.body)).toContain(`version ${lost.version}`);
    expect(String(outcome.body)).toContain(lost.sha256);
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, lost.id), eq(auditEvents.action, "contract.file.download")));
    expect(events.map((e) => [e.outcome, e.actorPersonId])).toEqual([["failed", sharedCjis.personId]]);
  });
});
