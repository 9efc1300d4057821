import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { seedDemo } from "../../app/demo/seed.server.ts";
import { FileSystemBlobStore } from "../../app/modules/blobs/store.server.ts";
import { listContracts } from "../../app/modules/contracts/contracts.server.ts";
import { inTransaction, type ModuleContext } from "../../app/modules/context.server.ts";
import { generateDocument, generationForm } from "../../app/modules/documents/generations.server.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import { openDatabase } from "../../db/client.ts";
import { testSecrets } from "../support/accounts.ts";
import { actorOf } from "../support/contracts.ts";
import { sofficePath } from "../support/documents.ts";
import { projectRoot } from "../support/server.ts";
import { median, percentile } from "./measure.ts";

/**
 * Document figures: the full CJIS addendum (every optional clause, two agency
 * clauses) assembled and drawn 20 times as DOCX and as PDF in a fresh process;
 * LibreOffice converting the same DOCX to PDF, when installed, as a ratio; 20
 * stored generations through the module on the embedded database (both
 * formats, sealing, the record); and the audit binder with 50 evidence PDFs,
 * in a process of its own whose peak resident memory is read from /proc.
 */
const RUNS = 20;

const timeOf = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const figures = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `median ${median(times).toFixed(1)} ms (p95 ${percentile(sorted, 95).toFixed(1)} ms, min ${sorted[0]!.toFixed(1)} ms) over ${times.length} runs`;
};

export async function benchDocuments() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "custody-bench-soffice-"));
  try {
    const input = path.join(dir, "addendum.docx");
    const r = (await child(["render", input])) as {
      docx: number[];
      pdf: number[];
      docxKiB: number;
      pdfKiB: number;
      pages: number;
    };
    console.log(`Full CJIS addendum as DOCX (assemble + draw, fresh process): ${figures(r.docx)}; ${r.docxKiB.toFixed(0)} KB`);
    console.log(
      `Full CJIS addendum as tagged PDF (assemble + draw, fresh process): ${figures(r.pdf)}; ${r.pages} pages, ${r.pdfKiB.toFixed(0)} KB`,
    );
    if (sofficePath) {
      const convert = () =>
        promisify(execFile)(
          sofficePath!,
          ["--headless", `-env:UserInstallation=file://${dir}/profile`, "--convert-to", "pdf", "--outdir", dir, input],
          { timeout: 180_000 },
        );
      await convert(); // the first run creates LibreOffice's profile
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push(await timeOf(convert));
      console.log(
        `LibreOffice (soffice --headless --convert-to pdf) on the same DOCX: ${figures(times)}; our PDF is ${(median(times) / median(r.pdf)).toFixed(0)}x faster (goal: at least 10x)`,
      );
    } else {
      console.log(
        "LibreOffice is not installed: no soffice comparison (apt-get install libreoffice-writer-nogui to measure it).",
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await storedGenerations();
  const binderDir = mkdtempSync(path.join(os.tmpdir(), "custody-bench-binder-"));
  let b;
  try {
    await child(["binder-files", binderDir]);
    b = (await child(["binder", binderDir])) as {
      files: number;
      sourcePages: number;
      sourceMiB: number;
      pages: number;
      mib: number;
      ms: number[];
      baselineMiB: number;
      peakMiB: number;
    };
  } finally {
    rmSync(binderDir, { recursive: true, force: true });
  }
  console.log(
    `Audit binder with ${b.files} evidence PDFs (${b.sourcePages} pages, ${b.sourceMiB.toFixed(1)} MiB) -> ${b.pages} pages, ${b.mib.toFixed(1)} MiB: ` +
      `${figures(b.ms)}; peak resident memory ${b.peakMiB.toFixed(0)} MiB (the process at rest before it: ${b.baselineMiB.toFixed(0)} MiB)`,
  );
}

/** Run documents-child.ts with the arguments; its last line is its figures as JSON. */
async function child(args: string[]) {
  const proc = spawn(
    process.execPath,
    ["--expose-gc", "--import", "tsx", path.join(projectRoot, "test/bench/documents-child.ts"), ...args],
    { cwd: projectRoot, stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
  if (code !== 0) throw new Error(`documents-child ${args[0]} exited with ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as unknown;
}

/** generateDocument end to end: the form's values, validation, both formats, sealing into the blob store, the record and its audit event. */
async function storedGenerations() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "custody-bench-docs-"));
  const handle = await openDatabase({ inMemory: true });
  try {
    await handle.migrate();
    await loadCatalog(handle.db, catalogData);
    const blobs = new FileSystemBlobStore(path.join(dir, "blobs"));
    const now = new Date();
    const accounts = await seedDemo(handle.db, testSecrets, now, blobs);
    const legal = accounts.find((a) => a.role === "legal" && a.organisation === "Riverside Police Department")!;
    const run = <T>(fn: (ctx: ModuleContext) => Promise<T>) =>
      inTransaction(handle.db, { actor: actorOf(legal), now: new Date(), secrets: testSecrets }, fn);
    const contract = (await run((ctx) => listContracts(ctx))).find(
      (c) => c.vendorName === "EvidenceCloud Inc." && c.stage === "signed",
    )!;
    const env = { publicUrl: "http://localhost:3000" };
    const page = await run((ctx) => generationForm(ctx, "cjis-addendum", contract.id, env));
    const form: Record<string, string | string[]> = {
      subject: contract.id,
      clauses: "shown",
      include: page.form!.clauses.filter((c) => c.optional).map((c) => c.id),
      "v.governingLaw": "the Commonwealth of Virginia",
    };
    for (const f of page.form!.fields)
      if (f.input === "checkbox" ? f.checked : f.value) form[`v.${f.name}`] = f.input === "checkbox" ? "on" : f.value;
    form["v.governingLaw"] = "the Commonwealth of Virginia";
    for (let i = 0; i < 3; i++) await run((ctx) => generateDocument(ctx, blobs, "cjis-addendum", contract.id, form, env));
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++)
      times.push(await timeOf(() => run((ctx) => generateDocument(ctx, blobs, "cjis-addendum", contract.id, form, env))));
    console.log(
      `Stored generation of the CJIS addendum (DOCX + PDF, sealed, recorded) on the embedded database: ${figures(times)}`,
    );
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
