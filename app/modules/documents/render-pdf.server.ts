import { createRequire } from "node:module";
import path from "node:path";
import { readFileSync } from "node:fs";
import * as fontkit from "fontkit";
import PDFDocument from "pdfkit";
import { formatUsd } from "../format.ts";
import {
  type Block,
  type ChartBlock,
  type DocumentModel,
  type Inline,
  type ListItem,
  type SignatureParty,
  type TableBlock,
} from "./model.ts";

/**
 * The document model as a tagged PDF (PDF/UA-1 identification): a structure
 * tree (Document › H1/H2/Sect/H3/P/L/Table/Figure), the document language,
 * the title shown in the window, running header and footer marked as
 * pagination artifacts, and an embedded open-licensed font (DejaVu, which
 * covers the whole of Latin, Greek and Cyrillic and common symbols). A
 * signature block is moved whole to the next page rather than split.
 */

type Struct = PDFKit.PDFStructureElement;
/** pdfkit's tagging API as pdfkit 0.17+ has it (its DefinitelyTyped types lag behind: closures as content, bbox, tables with a structure parent). */
type Doc = Omit<PDFKit.PDFDocument, "struct" | "table"> & {
  struct(type: string, content: () => unknown): Struct;
  struct(type: string, options?: Record<string, unknown>, content?: () => unknown): Struct;
  table(options: Record<string, unknown>): unknown;
};

const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
export const FONT_FILES = {
  regular: path.join(fontDir, "DejaVuSans.ttf"),
  bold: path.join(fontDir, "DejaVuSans-Bold.ttf"),
  italic: path.join(fontDir, "DejaVuSans-Oblique.ttf"),
};
type FontName = keyof typeof FONT_FILES;
/**
 * Each font is parsed once per process and the parsed font given to every
 * document: fontkit decodes glyphs lazily and keeps them, so the second
 * document onwards reuses the work (each document still embeds its own subset).
 */
let parsed: Record<FontName, fontkit.Font> | null = null;
function fonts() {
  parsed ??= Object.fromEntries(
    Object.entries(FONT_FILES).map(([name, file]) => [name, fontkit.create(readFileSync(file)) as fontkit.Font]),
  ) as Record<FontName, fontkit.Font>;
  return parsed;
}
const INK = "#1b1b1b";
const MUTED = "#565c65";
const MARGIN = 72;
const BODY = 10;
const TABLE_SIZE = 8.5;

type PdfOptions = {
  /** The page count the footers give, when these pages open a longer document (the audit binder). */
  totalPages?: number;
};

export async function renderPdf(model: DocumentModel, options: PdfOptions = {}): Promise<Buffer> {
  return (await renderPdfWithLayout(model, options)).bytes;
}

/** The PDF, its page count, and the page (from 1) each top-level block starts on. */
export function renderPdfWithLayout(
  model: DocumentModel,
  options: PdfOptions = {},
): Promise<{ bytes: Buffer; pageCount: number; blockPages: number[] }> {
  const doc = new PDFDocument({
    size: "LETTER",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    pdfVersion: "1.7",
    subset: "PDF/UA" as PDFKit.PDFDocumentOptions["subset"],
    tagged: true,
    lang: model.language,
    displayTitle: true,
    bufferPages: true,
    // No default font: pdfkit would otherwise open Helvetica, which a PDF/UA file may not use.
    font: null as unknown as string,
    info: {
      Title: model.title,
      Author: "Custody",
      Subject: model.subtitle || model.title,
      Keywords: `${model.templateId} ${model.templateVersion} inputs-sha256:${model.inputsSha256}`,
      Creator: `Custody template ${model.templateId} ${model.templateVersion}`,
      CreationDate: new Date(model.generatedAt),
    },
  });
  // The family names the registered font, so a table restoring "the current font" finds it again.
  for (const [name, font] of Object.entries(fonts())) doc.registerFont(name, font as unknown as string, name);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const root = doc.struct("Document");
  doc.addStructure(root);
  const w = new Writer(doc as unknown as Doc, model);
  const blockPages = model.blocks.map((block) => {
    const page = w.pageNumber();
    w.blockStart = null;
    w.blocks(root, [block]);
    // A block that did not fit at the foot of a page starts on the next.
    return w.blockStart ?? page;
  });
  root.end();
  const pageCount = doc.bufferedPageRange().count;
  w.runningHeads(options.totalPages ?? pageCount);
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.end();
  return done.then((bytes) => ({ bytes, pageCount, blockPages }));
}

/** Punctuation that closes what comes before it ("section 2.2" then "."). */
const CLOSING = /^[.,;:!?)\]}%\u2019\u201d'"]+/;

/**
 * pdfkit wraps each continued fragment on its own, so a fragment that begins with a
 * full stop can start a line by itself when the one before it (a cross-reference, a
 * filled value) ends at the margin. The closing punctuation travels with the fragment
 * before it, so it breaks with its word.
 */
export function gluePunctuation(parts: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const part of parts) {
    const previous = out[out.length - 1];
    const closing = previous && /\S$/.test(previous.text) ? part.text.match(CLOSING)?.[0] : undefined;
    if (previous && closing) {
      out[out.length - 1] = { ...previous, text: previous.text + closing };
      const rest = part.text.slice(closing.length);
      if (rest.length > 0) out.push({ ...part, text: rest });
    } else out.push(part);
  }
  return out;
}

class Writer {
  readonly width: number;
  constructor(
    private readonly doc: Doc,
    private readonly model: DocumentModel,
  ) {
    this.width = doc.page.width - MARGIN * 2;
  }

  /** The page the current top-level block settled on at its first `ensure` (it may move to the next page before it starts). */
  blockStart: number | null = null;

  private get bottom() {
    return this.doc.page.height - MARGIN;
  }

  pageNumber() {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count;
  }

  /** Start a new page unless `height` points still fit on this one. */
  private ensure(height: number) {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
    this.blockStart ??= this.pageNumber();
  }

  blocks(parent: Struct, blocks: Block[]) {
    for (const b of blocks) this.block(parent, b);
  }

  private block(parent: Struct, b: Block) {
    const doc = this.doc;
    switch (b.t) {
      case "heading": {
        if (b.level === 1) {
          parent.add(
            doc.struct("H1", () =>
              doc.font("bold").fontSize(18).fillColor(INK).text(b.text, MARGIN, doc.y, { width: this.width }),
            ),
          );
          if (this.model.subtitle)
            parent.add(
              doc.struct("P", () =>
                doc.font("regular").fontSize(BODY).fillColor(MUTED).text(this.model.subtitle, { width: this.width }),
              ),
            );
          doc.moveDown(0.8);
          return;
        }
        this.ensure(60);
        doc.moveDown(0.6);
        const text = b.number ? `${b.number}. ${b.text}` : b.text;
        parent.add(
          doc.struct(b.level === 2 ? "H2" : "H3", () =>
            doc
              .font("bold")
              .fontSize(b.level === 2 ? 13 : 11)
              .fillColor(INK)
              .text(text, MARGIN, doc.y, { width: this.width }),
          ),
        );
        doc.moveDown(0.3);
        return;
      }
      case "para":
        parent.add(doc.struct("P", () => this.inlines(b.inlines, MARGIN, this.width)));
        doc.moveDown(0.5);
        return;
      case "list":
        this.list(parent, b.items, b.ordered);
        return;
      case "clause": {
        this.ensure(50);
        const sect = doc.struct("Sect", { title: `${b.number} ${b.title}` });
        parent.add(sect);
        sect.add(
          doc.struct("H3", () =>
            doc.font("bold").fontSize(11).fillColor(INK).text(`${b.number}  ${b.title}`, MARGIN, doc.y, { width: this.width }),
          ),
        );
        doc.moveDown(0.3);
        this.blocks(sect, b.blocks);
        sect.end();
        return;
      }
      case "table":
        this.table(parent, b);
        return;
      case "chart":
        this.chart(parent, b);
        return;
      case "signatures":
        this.signatures(parent, b.parties);
        return;
    }
  }

  private inlines(inlines: Inline[], x: number, width: number) {
    const doc = this.doc;
    const parts = gluePunctuation(
      inlines
        .filter((i) => i.text.length > 0)
        .map((i): Inline => (i.t === "dfn" ? { t: "text", strong: true, text: `“${i.text}”` } : i)),
    );
    if (parts.length === 0) return;
    doc.fontSize(BODY).fillColor(INK);
    parts.forEach((i, index) => {
      const continued = index < parts.length - 1;
      const font = i.t === "text" && i.strong ? "bold" : i.t === "text" && i.em ? "italic" : "regular";
      const text = i.text;
      doc.font(font);
      const opts: PDFKit.Mixins.TextOptions = { width, continued, lineGap: 2 };
      if (i.t === "link") Object.assign(opts, { link: i.href, underline: true });
      if (index === 0) doc.text(text, x, doc.y, opts);
      else doc.text(text, opts);
    });
  }

  private list(parent: Struct, items: ListItem[], ordered: boolean) {
    const doc = this.doc;
    const list = doc.struct("L");
    parent.add(list);
    for (const item of items) {
      const depth = ordered ? Math.max(0, item.label.split("(").length - 2) : 0;
      const indent = 24 + depth * 24;
      const li = doc.struct("LI");
      list.add(li);
      this.ensure(BODY * 2);
      const y = doc.y;
      const label = ordered ? (item.label.match(/\([^)]*\)$/)?.[0] ?? item.label) : "•";
      li.add(
        doc.struct("Lbl", () =>
          doc
            .font("regular")
            .fontSize(BODY)
            .fillColor(INK)
            .text(label, MARGIN + indent - 22, y, { width: 22, lineGap: 2 }),
        ),
      );
      doc.y = y;
      li.add(doc.struct("LBody", () => this.inlines(item.inlines, MARGIN + indent, this.width - indent)));
      li.end();
      doc.moveDown(0.3);
    }
    list.end();
    doc.x = MARGIN;
    doc.moveDown(0.3);
  }

  private caption(parent: Struct, text: string) {
    this.ensure(60);
    parent.add(
      this.doc.struct("P", () =>
        this.doc.font("bold").fontSize(BODY).fillColor(INK).text(text, MARGIN, this.doc.y, { width: this.width }),
      ),
    );
    this.doc.moveDown(0.3);
  }

  private table(parent: Struct, b: TableBlock) {
    const doc = this.doc;
    this.caption(parent, b.caption);
    if (b.rows.length === 0) {
      parent.add(
        doc.struct("P", () =>
          doc.font("italic").fontSize(BODY).fillColor(MUTED).text(b.empty, MARGIN, doc.y, { width: this.width }),
        ),
      );
      doc.moveDown(0.8);
      return;
    }
    doc.font("regular").fontSize(TABLE_SIZE).fillColor(INK);
    const widths = this.columnWidths(b);
    doc.table({
      position: { x: MARGIN, y: doc.y },
      maxWidth: this.width,
      columnStyles: (i: number) => ({ width: widths[i] }),
      structParent: parent,
      defaultStyle: { border: 0.5, borderColor: "#a9aeb1", padding: 3 },
      rowStyles: (i: number) =>
        i === 0 ? { type: "TH", scope: "column", font: { src: "bold" }, backgroundColor: "#e7ecf2" } : {},
      data: [b.columns, ...b.rows],
    });
    doc.x = MARGIN;
    doc.moveDown(0.8);
  }

  /**
   * Column widths that keep words whole where they can: each column at least as
   * wide as its longest word (a hash or a long file name takes at most a fifth of the page and
   * wraps), the rest shared in proportion to how much text each column holds.
   */
  private columnWidths(b: TableBlock) {
    const doc = this.doc;
    const padding = 7;
    const measure = (text: string, font: "regular" | "bold") => {
      doc.font(font).fontSize(TABLE_SIZE);
      return { longest: Math.max(0, ...text.split(/\s+/).map((w) => doc.widthOfString(w))), total: doc.widthOfString(text) };
    };
    const columns = b.columns.map((heading, i) => {
      const cells = [measure(heading, "bold"), ...b.rows.map((r) => measure(r[i] ?? "", "regular"))];
      return {
        min: Math.min(this.width * 0.2, Math.max(...cells.map((c) => c.longest)) + padding),
        text: cells.reduce((n, c) => n + c.total, 0) / cells.length,
      };
    });
    const minimum = columns.reduce((n, c) => n + c.min, 0);
    if (minimum >= this.width) return columns.map((c) => (c.min * this.width) / minimum);
    const spare = this.width - minimum;
    const weight = columns.reduce((n, c) => n + c.text, 0) || 1;
    return columns.map((c) => c.min + (spare * c.text) / weight);
  }

  private chart(parent: Struct, b: ChartBlock) {
    const doc = this.doc;
    const height = 200;
    this.caption(parent, b.caption);
    this.ensure(height + 30);
    const top = doc.y;
    const plot = { x: MARGIN + 70, y: top + 10, w: this.width - 80, h: height - 50 };
    const max = Math.max(1, ...b.series.flatMap((s) => s.values));
    const colours = ["#005ea2", "#c05600", "#538200"];
    parent.add(
      doc.struct("Figure", { alt: b.alt, bbox: [MARGIN, top, MARGIN + this.width, top + height] }, () => {
        doc.save().lineWidth(0.5).strokeColor("#71767a");
        doc
          .moveTo(plot.x, plot.y)
          .lineTo(plot.x, plot.y + plot.h)
          .lineTo(plot.x + plot.w, plot.y + plot.h)
          .stroke();
        for (let step = 0; step <= 4; step += 1) {
          const y = plot.y + plot.h - (plot.h * step) / 4;
          doc
            .font("regular")
            .fontSize(7)
            .fillColor(MUTED)
            .text(formatUsd((max * step) / 4), MARGIN, y - 4, { width: 66, align: "right" });
        }
        const group = plot.w / Math.max(1, b.categories.length);
        const bar = Math.min(18, (group * 0.7) / Math.max(1, b.series.length));
        b.categories.forEach((category, ci) => {
          b.series.forEach((s, si) => {
            const value = s.values[ci] ?? 0;
            const h = (value / max) * plot.h;
            doc
              .rect(plot.x + ci * group + group * 0.15 + si * bar, plot.y + plot.h - h, bar - 1, h)
              .fill(colours[si % colours.length]!);
          });
          doc
            .font("regular")
            .fontSize(7)
            .fillColor(INK)
            .text(category, plot.x + ci * group, plot.y + plot.h + 4, { width: group, align: "center" });
        });
        b.series.forEach((s, si) => {
          const x = plot.x + si * 150;
          doc.rect(x, top + height - 18, 8, 8).fill(colours[si % colours.length]!);
          doc
            .font("regular")
            .fontSize(8)
            .fillColor(INK)
            .text(s.name, x + 12, top + height - 19, { width: 136 });
        });
        doc.restore();
      }),
    );
    doc.x = MARGIN;
    doc.y = top + height + 10;
  }

  /** Each party's block is drawn side by side and moved whole to the next page when it does not fit. */
  private signatures(parent: Struct, parties: SignatureParty[]) {
    const doc = this.doc;
    const lines = ["Signature", "Name", "Title", "Date"];
    const height = 40 + lines.length * 30 + 20;
    this.ensure(height);
    const sect = doc.struct("Sect", { title: "Signatures" });
    parent.add(sect);
    sect.add(
      doc.struct("H3", () =>
        doc.font("bold").fontSize(11).fillColor(INK).text("Signatures", MARGIN, doc.y, { width: this.width }),
      ),
    );
    doc.moveDown(0.5);
    const top = doc.y;
    const column = this.width / Math.max(1, parties.length);
    parties.forEach((party, i) => {
      const x = MARGIN + i * column;
      const div = doc.struct("Div");
      sect.add(div);
      doc.y = top;
      div.add(
        doc.struct("P", () =>
          doc
            .font("bold")
            .fontSize(BODY)
            .fillColor(INK)
            .text(party.role, x, top, { width: column - 16 }),
        ),
      );
      div.add(
        doc.struct("P", () =>
          doc
            .font("regular")
            .fontSize(BODY)
            .text(party.organisation, x, doc.y, { width: column - 16 }),
        ),
      );
      let y = doc.y + 14;
      for (const label of lines) {
        div.add(
          doc.struct("P", () =>
            doc
              .font("regular")
              .fontSize(BODY)
              .fillColor(INK)
              .text(`${label}:`, x, y + 10, { width: 60 }),
          ),
        );
        doc.save().lineWidth(0.5).strokeColor(INK);
        doc.markContent("Artifact", { type: "Layout" });
        doc
          .moveTo(x + 62, y + 20)
          .lineTo(x + column - 20, y + 20)
          .stroke();
        doc.endMarkedContent();
        doc.restore();
        y += 30;
      }
      div.end();
    });
    sect.end();
    doc.x = MARGIN;
    doc.y = top + height - 40;
  }

  /** Header and footer on every page, as pagination artifacts (not read as content). */
  runningHeads(totalPages: number) {
    const doc = this.doc;
    const mark = `${this.model.title}${this.model.final ? "" : " — DRAFT"}`;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i += 1) {
      doc.switchToPage(i);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.markContent("Artifact", { type: "Pagination" });
      doc.font("regular").fontSize(7.5).fillColor(MUTED);
      doc.text(mark, MARGIN, MARGIN / 2, { width: this.width, align: "right", lineBreak: false });
      doc.text(`${this.model.title} — page ${i + 1} of ${totalPages}`, MARGIN, doc.page.height - MARGIN / 2 - 6, {
        width: this.width,
        align: "center",
        lineBreak: false,
      });
      doc.endMarkedContent();
      doc.page.margins.bottom = bottom;
    }
  }
}
