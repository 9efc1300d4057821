import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import JSZip from "jszip";
import mammoth from "mammoth";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { assemble, type Choices } from "../../app/modules/documents/assemble.server.ts";
import { loadLibrary } from "../../app/modules/documents/library.server.ts";
import type { DocumentModel } from "../../app/modules/documents/model.ts";
import { projectRoot } from "./server.ts";

/** Reading generated files back the way a person's software would: text of a DOCX (mammoth) and of a PDF (pdf.js). */

export async function docxText(bytes: Buffer) {
  return (await mammoth.extractRawText({ buffer: bytes })).value.replace(/\s+/g, " ");
}

export async function docxPart(bytes: Buffer, part: string) {
  return (await JSZip.loadAsync(bytes)).file(part)?.async("string") ?? null;
}

const standardFontDataUrl = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;

export async function openPdf(bytes: Buffer) {
  return getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, standardFontDataUrl }).promise;
}

/** The text of each page, words joined by single spaces. */
export async function pdfPages(bytes: Buffer) {
  const doc = await openPdf(bytes);
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i += 1) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((item) => ("str" in item ? item.str + (item.hasEOL ? " " : "") : ""))
        .join("")
        .replace(/\s+/g, " "),
    );
  }
  await doc.destroy();
  return pages;
}

/** The text of every line of every page, as pdf.js places it (items sharing a baseline form a line). */
export async function pdfLines(bytes: Buffer) {
  const doc = await openPdf(bytes);
  const lines: string[] = [];
  for (let i = 1; i <= doc.numPages; i += 1) {
    const content = await (await doc.getPage(i)).getTextContent();
    const byBaseline = new Map<number, string>();
    for (const item of content.items) {
      if (!("str" in item)) continue;
      const y = Math.round(item.transform[5] as number);
      byBaseline.set(y, (byBaseline.get(y) ?? "") + item.str);
    }
    lines.push(...[...byBaseline.values()].map((l) => l.trim()).filter((l) => l.length > 0));
  }
  await doc.destroy();
  return lines;
}

/** Each needle found in the text, in the order given. */
export function expectInOrder(text: string, needles: string[]) {
  let from = 0;
  const missing: string[] = [];
  for (const needle of needles) {
    const at = text.indexOf(needle, from);
    if (at < 0) missing.push(needle);
    else from = at + needle.length;
  }
  return missing;
}

/** LibreOffice, when installed: converts the DOCX to PDF (so Word files can be shown to open in a real office suite). */
export const sofficePath = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((p) => {
  try {
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
});

export async function convertWithLibreOffice(docx: Buffer) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "custody-soffice-"));
  try {
    const input = path.join(dir, "document.docx");
    writeFileSync(input, docx);
    await promisify(execFile)(
      sofficePath!,
      ["--headless", `-env:UserInstallation=file://${dir}/profile`, "--convert-to", "pdf", "--outdir", dir, input],
      { timeout: 120_000 },
    );
    return readFileSync(path.join(dir, "document.pdf"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CJIS addendum filled as a legal officer would fill it for the demo contract. */
export const addendumValues = {
  agencyName: "Riverside Police Department",
  providerName: "EvidenceCloud Inc.",
  contractTitle: "Digital evidence storage agreement (RPD-2026-14)",
  effectiveDate: "2027-01-01",
  cjisPolicyVersion: "6.0",
  cjisPolicyDate: "2024-12-27",
  breachNoticeHours: 1,
  legalProcessNoticeHours: 72,
  auditIntervalMonths: 12,
  insuranceMinimum: 5_000_000,
  dataCategories: ["Body-worn camera video", "RMS records"],
  storageLocations: ["United States — Virginia", "United States — Ohio"],
  keyCustody: "provider",
  personnelRoster: true,
  personnelChangeHours: 24,
  availabilityCritical: 99.99,
  availabilityEssential: 99.9,
  availabilityStandard: 99.5,
  availabilityArchive: 99,
  exportFormats: "CSV, JSON and the original media formats",
  deletionDays: 30,
  locationChangeNoticeDays: 45,
  businessChangeNoticeDays: 60,
  governingLaw: "the Commonwealth of Virginia",
};

let shippedLibrary: ReturnType<typeof loadLibrary> | null = null;

export function addendumModel(
  choices: Partial<Choices> = {},
  values: Record<string, unknown> = {},
  final = false,
): DocumentModel {
  // Read once, as the server does: the shipped templates do not change while tests run.
  shippedLibrary ??= loadLibrary(path.join(projectRoot, "templates"));
  const library = shippedLibrary;
  return assemble({
    library,
    template: library.templates.get("cjis-addendum")!,
    values: { ...addendumValues, ...values },
    choices: { excluded: [], wordings: {}, agencyClauses: [], ...choices },
    sources: {},
    final,
    inputsSha256: "0".repeat(64),
    generatedAt: new Date("2026-11-23T15:00:00Z"),
  });
}
