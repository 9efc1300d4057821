import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { concatTransformationMatrix, drawObject, PDFDocument, popGraphicsState, pushGraphicsState, StandardFonts } from "pdf-lib";
import { FileSystemBlobStore } from "../../app/modules/blobs/store.server.ts";
import type { ModuleContext } from "../../app/modules/context.server.ts";
import { assemble } from "../../app/modules/documents/assemble.server.ts";
import { renderBinder } from "../../app/modules/documents/binder.server.ts";
import { renderDocx } from "../../app/modules/documents/render-docx.server.ts";
import { renderPdf } from "../../app/modules/documents/render-pdf.server.ts";
import { loadLibrary } from "../../app/modules/documents/library.server.ts";
import type { TableBlock } from "../../app/modules/documents/model.ts";
import type { Attachment } from "../../app/modules/documents/sources/types.ts";
import { sealUpload } from "../../app/modules/blobs/sealed-files.server.ts";
import { testSecrets } from "../support/accounts.ts";
import { memoryOf } from "./measure.ts";

/**
 * Document figures measured in a fresh process, as a server would draw them:
 * `render <docx path>` draws the full CJIS addendum 20 times as DOCX and as PDF
 * (after three warm-up runs) and leaves the DOCX at the path for LibreOffice;
 * `binder` assembles the audit binder with 50 evidence PDFs, alone, so that the
 * peak resident memory read from /proc is the binder's: 50 sealed PDFs of 12
 * text pages each, the last with a 1 MiB scanned image, the front part drawn and
 * the exhibits appended and stamped, three times. Each prints one JSON line.
 */
const FILES = 50;
const PAGES_EACH = 12;
const RUNS = 20;
const IMAGE_SIDE = 1024;

if (process.argv[2] === "render") await renderFigures(process.argv[3]!);
else if (process.argv[2] === "binder-files") await binderFiles(process.argv[3]!);
else await binderFigures(process.argv[3]!);

async function renderFigures(docxPath: string) {
  // Imported here, not above: the binder's process should not carry the test readers (pdf.js, mammoth).
  const { addendumModel } = await import("../support/documents.ts");
  const agencyClauses = [
    {
      title: "Retention of video",
      text: "The Provider keeps body-worn camera video for the retention periods the Agency sets in writing.",
    },
    {
      title: "Public records requests",
      text: "The Provider helps the Agency answer public records requests within the times the law sets.",
    },
  ];
  const build = () => addendumModel({ agencyClauses });
  for (let i = 0; i < 3; i++) {
    await renderDocx(build());
    await renderPdf(build());
  }
  const docx: number[] = [];
  const pdf: number[] = [];
  let docxBytes: Buffer = Buffer.alloc(0);
  let pdfBytes: Buffer = Buffer.alloc(0);
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    docxBytes = await renderDocx(build());
    docx.push(performance.now() - t);
    t = performance.now();
    pdfBytes = await renderPdf(build());
    pdf.push(performance.now() - t);
  }
  writeFileSync(docxPath, docxBytes);
  const pages = (await PDFDocument.load(pdfBytes)).getPageCount();
  console.log(JSON.stringify({ docx, pdf, docxKiB: docxBytes.length / 1024, pdfKiB: pdfBytes.length / 1024, pages }));
}

/** The 50 sealed evidence PDFs, written to a blob store in `dir` with a list of them, by a process of their own. */
async function binderFiles(dir: string) {
  const blobs = new FileSystemBlobStore(path.join(dir, "blobs"));
  const attachments: Attachment[] = [];
  let sourceBytes = 0;
  for (let i = 0; i < FILES; i++) {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    // A scanned signature page: a 1 MiB greyscale image of noise (it does not compress), as real reports carry scans.
    const scan = pdf.context.register(
      pdf.context.stream(randomBytes(IMAGE_SIDE * IMAGE_SIDE), {
        Type: "XObject",
        Subtype: "Image",
        Width: IMAGE_SIDE,
        Height: IMAGE_SIDE,
        ColorSpace: "DeviceGray",
        BitsPerComponent: 8,
      }),
    );
    for (let p = 0; p < PAGES_EACH; p++) {
      const page = pdf.addPage([612, 792]);
      for (let line = 0; line < 45; line++)
        page.drawText(
          `Independent assessment ${i + 1}, page ${p + 1}, line ${line + 1}: controls tested, exceptions noted, management responses.`,
          { x: 50, y: 740 - line * 15, size: 9, font },
        );
      if (p === PAGES_EACH - 1) {
        const name = page.node.newXObject("Scan", scan);
        page.pushOperators(
          pushGraphicsState(),
          concatTransformationMatrix(300, 0, 0, 300, 150, 60),
          drawObject(name),
          popGraphicsState(),
        );
      }
    }
    const bytes = Buffer.from(await pdf.save());
    sourceBytes += bytes.length;
    const spoolPath = path.join(blobs.spoolDir, randomUUID());
    mkdirSync(blobs.spoolDir, { recursive: true });
    writeFileSync(spoolPath, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const sealed = await sealUpload(blobs, testSecrets, {
      spoolPath,
      filename: `assessment-${i + 1}.pdf`,
      size: bytes.length,
      sha256,
      declaredType: "application/pdf",
    });
    attachments.push({
      itemId: randomUUID(),
      title: `Independent assessment ${i + 1}`,
      kind: "Third-party audit report",
      acceptedOn: "2026-11-01",
      filename: `assessment-${i + 1}.pdf`,
      sha256,
      sealed,
    });
  }
  writeFileSync(path.join(dir, "attachments.json"), JSON.stringify({ attachments, sourceBytes }));
  console.log(JSON.stringify({ files: attachments.length }));
}

/** The binder drawn from those files, three times, in a process that did nothing else first. */
async function binderFigures(dir: string) {
  const blobs = new FileSystemBlobStore(path.join(dir, "blobs"));
  const { attachments, sourceBytes } = JSON.parse(readFileSync(path.join(dir, "attachments.json"), "utf8")) as {
    attachments: Attachment[];
    sourceBytes: number;
  };
  const library = loadLibrary();
  const register: TableBlock = {
    t: "table",
    caption: "Evidence register",
    columns: ["Exhibit", "Item", "Kind", "Accepted on", "Expires", "File", "SHA-256"],
    rows: attachments.map((a, i) => [String(i + 1), a.title, a.kind, a.acceptedOn, "2027-11-01", a.filename, a.sha256]),
    empty: "",
  };
  const contents: TableBlock = { t: "table", caption: "Contents", columns: ["Part", "Page"], rows: [], empty: "" };
  const model = assemble({
    library,
    template: library.templates.get("audit-binder")!,
    values: {
      agencyName: "Riverside Police Department",
      providerName: "EvidenceCloud Inc.",
      asOf: "2026-12-01",
      preparedFor: "State CJIS Systems Agency audit",
      preparedBy: "Sam Okafor",
    },
    choices: { excluded: [], wordings: {}, agencyClauses: [] },
    sources: { contents, register },
    final: true,
    inputsSha256: "0".repeat(64),
    generatedAt: new Date(),
  });
  const ctx = { secrets: testSecrets } as unknown as ModuleContext;
  global.gc?.();
  const baseline = memoryOf(process.pid).rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(process.pid).rss)), 10);
  const ms: number[] = [];
  let out: Buffer = Buffer.alloc(0);
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    out = (await renderBinder(ctx, blobs, model, attachments, { publicUrl: "http://custody.bench" })).bytes;
    ms.push(performance.now() - t);
  }
  clearInterval(sampler);
  peak = Math.max(peak, memoryOf(process.pid).peak);
  const pages = (await PDFDocument.load(out)).getPageCount();
  console.log(
    JSON.stringify({
      files: FILES,
      sourcePages: FILES * PAGES_EACH,
      sourceMiB: sourceBytes / 1048576,
      pages,
      mib: out.length / 1048576,
      ms,
      baselineMiB: baseline,
      peakMiB: peak,
    }),
  );
}
