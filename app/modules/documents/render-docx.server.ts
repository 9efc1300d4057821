import {
  AlignmentType,
  BorderStyle,
  Bookmark,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  SimpleField,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import { type Block, type ChartBlock, type DocumentModel, type Inline, type TableBlock } from "./model.ts";
import { formatUsd } from "../format.ts";

/**
 * The document model as a Word file for redlining: Word's own heading styles
 * and a multi-level list (1 / 1.1 / (a)) so Word renumbers when a lawyer adds
 * a clause; cross-references as REF fields to bookmarks on the clause headings
 * (their cached text is the number we computed); header and footer with the
 * document's title, "DRAFT" until final, and page numbers; the template id, its version
 * and the SHA-256 of the inputs in the document properties.
 */

const FONT = "Arial";
export const NUMBERING = "custody-clauses";
const BULLETS = "custody-bullets";
export const bookmarkOf = (clauseId: string) => `c_${clauseId.replace(/[^A-Za-z0-9_]/g, "_")}`.slice(0, 40);

export function runs(inlines: Inline[]): ParagraphChild[] {
  return inlines.flatMap((i): ParagraphChild | ParagraphChild[] => {
    switch (i.t) {
      case "text":
        return new TextRun({ text: i.text, bold: i.strong, italics: i.em });
      case "var":
        // Line breaks in a value (an address) become breaks in the line, as Word writes them.
        return i.text.split("\n").map((line, n) => new TextRun({ text: line, break: n > 0 ? 1 : undefined }));
      case "dfn":
        return new TextRun({ text: `“${i.text}”`, bold: true });
      case "term":
        return new TextRun({ text: i.text });
      case "ref":
        // "section " + a REF field Word can update after redlining; its cached value is our number.
        return [new TextRun("section "), new SimpleField(`REF ${bookmarkOf(i.target)} \\r \\h`, i.text.replace(/^section /, ""))];
      case "link":
        return new ExternalHyperlink({ link: i.href, children: [new TextRun({ text: i.text, style: "Hyperlink" })] });
    }
  });
}

const cell = (text: string, header = false, width?: number) =>
  new TableCell({
    children: [new Paragraph({ children: [new TextRun({ text, bold: header })], style: header ? "TableHeading" : "TableText" })],
    shading: header ? { type: ShadingType.CLEAR, fill: "E7ECF2", color: "auto" } : undefined,
    width: width ? { size: width, type: WidthType.PERCENTAGE } : undefined,
  });

function table(block: TableBlock): (Paragraph | Table)[] {
  const caption = new Paragraph({ text: block.caption, style: "Caption", keepNext: true });
  if (block.rows.length === 0) return [caption, new Paragraph({ text: block.empty })];
  return [
    caption,
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, cantSplit: true, children: block.columns.map((c) => cell(c, true)) }),
        ...block.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v) => cell(v)) })),
      ],
    }),
    new Paragraph({ text: "" }),
  ];
}

/** A chart in Word: its figures as a table with a bar of block characters per value (the PDF draws the real chart). */
function chart(block: ChartBlock): (Paragraph | Table)[] {
  const max = Math.max(1, ...block.series.flatMap((s) => s.values));
  const bar = (v: number) => "█".repeat(Math.max(v > 0 ? 1 : 0, Math.round((v / max) * 20)));
  return [
    new Paragraph({ text: block.caption, style: "Caption", keepNext: true }),
    new Paragraph({ text: block.alt }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({
          tableHeader: true,
          children: [cell("", true), ...block.series.flatMap((s) => [cell(s.name, true), cell("", true)])],
        }),
        ...block.categories.map(
          (category, i) =>
            new TableRow({
              cantSplit: true,
              children: [
                cell(category),
                ...block.series.flatMap((s) => [cell(formatUsd(s.values[i] ?? 0)), cell(bar(s.values[i] ?? 0))]),
              ],
            }),
        ),
      ],
    }),
    new Paragraph({ text: "" }),
  ];
}

function signatures(parties: { role: string; organisation: string }[]): (Paragraph | Table)[] {
  const line = (label: string) =>
    new Paragraph({
      children: [new TextRun({ text: `${label}: ____________________________` })],
      spacing: { before: 240 },
      keepNext: true,
      keepLines: true,
    });
  return [
    new Paragraph({ text: "Signatures", heading: HeadingLevel.HEADING_3, keepNext: true }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: {
        top: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
        bottom: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
        left: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
        right: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
        insideHorizontal: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
        insideVertical: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
      },
      rows: [
        new TableRow({
          cantSplit: true,
          children: parties.map(
            (p) =>
              new TableCell({
                width: { size: Math.floor(100 / parties.length), type: WidthType.PERCENTAGE },
                children: [
                  new Paragraph({ children: [new TextRun({ text: p.role, bold: true })], keepNext: true }),
                  new Paragraph({ text: p.organisation, keepNext: true }),
                  line("Signature"),
                  line("Name"),
                  line("Title"),
                  line("Date"),
                ],
              }),
          ),
        }),
      ],
    }),
  ];
}

export function blocks(list: Block[], subtitle = ""): (Paragraph | Table)[] {
  return list.flatMap((b): (Paragraph | Table)[] => {
    switch (b.t) {
      case "heading":
        if (b.level === 1)
          return [
            new Paragraph({ text: b.text, heading: HeadingLevel.TITLE }),
            ...(subtitle ? [new Paragraph({ text: subtitle, style: "Caption" })] : []),
          ];
        if (b.level === 2 && b.number)
          return [
            new Paragraph({
              text: b.text,
              heading: HeadingLevel.HEADING_1,
              numbering: { reference: NUMBERING, level: 0 },
              keepNext: true,
            }),
          ];
        return [new Paragraph({ text: b.text, heading: HeadingLevel.HEADING_3, keepNext: true })];
      case "para":
        return [new Paragraph({ children: runs(b.inlines) })];
      case "list":
        return b.items.map((item) =>
          b.ordered && /^\([a-z]+\)$/.test(item.label)
            ? new Paragraph({ children: runs(item.inlines), numbering: { reference: NUMBERING, level: 2 } })
            : b.ordered
              ? new Paragraph({ children: [new TextRun(`${item.label} `), ...runs(item.inlines)], indent: { left: 1080 } })
              : new Paragraph({ children: runs(item.inlines), numbering: { reference: BULLETS, level: 0 } }),
        );
      case "clause":
        return [
          new Paragraph({
            heading: HeadingLevel.HEADING_2,
            numbering: { reference: NUMBERING, level: 1 },
            keepNext: true,
            children: [new Bookmark({ id: bookmarkOf(b.id), children: [new TextRun(b.title)] })],
          }),
          ...blocks(b.blocks),
        ];
      case "table":
        return table(b);
      case "chart":
        return chart(b);
      case "signatures":
        return signatures(b.parties);
    }
  });
}

export async function renderDocx(model: DocumentModel): Promise<Buffer> {
  return Packer.toBuffer(wordDocument(model, blocks(model.blocks, model.subtitle)));
}

/** A Word document with our styles, numbering, header, footer and properties around the given body. */
export function wordDocument(
  model: DocumentModel,
  children: (Paragraph | Table)[],
  options: { trackRevisions?: boolean; note?: string } = {},
) {
  const mark = `${model.title}${model.final ? "" : " — DRAFT"}${options.note ? ` — ${options.note}` : ""}`;
  return new Document({
    features: options.trackRevisions ? { trackRevisions: true } : undefined,
    creator: "Custody",
    title: model.title,
    subject: model.subtitle || model.title,
    description: `Generated by Custody from template ${model.templateId} version ${model.templateVersion}; inputs SHA-256 ${model.inputsSha256}.`,
    keywords: `${model.templateId} ${model.templateVersion}`,
    customProperties: [
      { name: "TemplateId", value: model.templateId },
      { name: "TemplateVersion", value: model.templateVersion },
      { name: "InputsSHA256", value: model.inputsSha256 },
      { name: "Status", value: model.final ? "final" : "draft" },
      { name: "GeneratedAt", value: model.generatedAt },
    ],
    styles: {
      default: {
        document: { run: { font: FONT, size: 21 }, paragraph: { spacing: { after: 120, line: 276 } } },
        title: { run: { font: FONT, size: 36, bold: true, color: "1B1B1B" }, paragraph: { spacing: { after: 240 } } },
        heading1: {
          run: { font: FONT, size: 26, bold: true, color: "1B1B1B" },
          paragraph: { spacing: { before: 360, after: 120 } },
        },
        heading2: {
          run: { font: FONT, size: 22, bold: true, color: "1B1B1B" },
          paragraph: { spacing: { before: 200, after: 80 } },
        },
        heading3: {
          run: { font: FONT, size: 22, bold: true, color: "1B1B1B" },
          paragraph: { spacing: { before: 200, after: 80 } },
        },
      },
      paragraphStyles: [
        {
          id: "Caption",
          name: "Caption",
          basedOn: "Normal",
          next: "Normal",
          quickFormat: true,
          run: { bold: true, size: 20 },
          paragraph: { spacing: { before: 200, after: 80 } },
        },
        {
          id: "TableHeading",
          name: "Table Heading",
          basedOn: "Normal",
          run: { bold: true, size: 18 },
          paragraph: { spacing: { after: 0 } },
        },
        { id: "TableText", name: "Table Text", basedOn: "Normal", run: { size: 18 }, paragraph: { spacing: { after: 0 } } },
      ],
    },
    numbering: {
      config: [
        {
          reference: NUMBERING,
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: "%1.",
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 540, hanging: 540 } } },
            },
            {
              level: 1,
              format: LevelFormat.DECIMAL,
              text: "%1.%2",
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 720, hanging: 720 } } },
            },
            {
              level: 2,
              format: LevelFormat.LOWER_LETTER,
              text: "(%3)",
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 1260, hanging: 540 } } },
            },
          ],
        },
        {
          reference: BULLETS,
          levels: [
            {
              level: 0,
              format: LevelFormat.BULLET,
              text: "•",
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 720, hanging: 360 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [new TextRun({ text: mark, size: 16, color: "565C65" })],
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    size: 16,
                    color: "565C65",
                    children: [`${mark} — page `, PageNumber.CURRENT, " of ", PageNumber.TOTAL_PAGES],
                  }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
}
