import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import JSZip from "jszip";
import mammoth from "mammoth";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** Reading generated files back the way a person's software would: text of a DOCX (mammoth) and of a PDF (pdf.js). */

export async function docxText(bytes: Buffer) {
  return (await mammoth.extractRawText({ buffer: bytes })).value.replace(/\s+/g, " ");
}

export async function docxPart(bytes: Buffer, part: string) {
  return (await JSZip.loadAsync(bytes)).file(part)?.async("string") ?? null;
}

export async function openPdf(bytes: Buffer) {
  return getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false }).promise;
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
    await promisify(execFile)(sofficePath!, ["--headless", `-env:UserInstallation=file://${dir}/profile`, "--convert-to", "pdf", "--outdir", dir, input], { timeout: 120_000 });
    return readFileSync(path.join(dir, "document.pdf"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
