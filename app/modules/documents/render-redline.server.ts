import { diffWords } from "diff";
import {
  Bookmark,
  DeletedTextRun,
  HeadingLevel,
  InsertedTextRun,
  Packer,
  Paragraph,
  type ParagraphChild,
  type Table,
  TextRun,
} from "docx";
import { type Block, type DocumentModel, inlineText } from "./model.ts";
import { blocks, bookmarkOf, NUMBERING, wordDocument } from "./render-docx.server.ts";

/**
 * A regenerated document as Word tracked changes against the generation
 * before it: clauses matched by id, words inserted and deleted as Word
 * revisions (so a lawyer can accept or reject each), removed clauses shown
 * struck through where they stood. What did not change is drawn as usual.
 */

type Clause = Extract<Block, { t: "clause" }>;
type Revisions = { author: string; date: string; id: number };

const inserted = (r: Revisions, text: string) => new InsertedTextRun({ text, id: r.id++, author: r.author, date: r.date });
const deleted = (r: Revisions, text: string) => new DeletedTextRun({ text, id: r.id++, author: r.author, date: r.date });

function diffRuns(r: Revisions, before: string, after: string): ParagraphChild[] {
  return diffWords(before, after).map((part) =>
    part.added ? inserted(r, part.value) : part.removed ? deleted(r, part.value) : new TextRun(part.value),
  );
}

/** A block's text as lines: a paragraph is one, a list one per item (with its label). */
function linesOf(block: Block): { text: string; item: boolean }[] {
  if (block.t === "para") return [{ text: inlineText(block.inlines), item: false }];
  if (block.t === "list")
    return block.items.map((i) => ({ text: inlineText(i.inlines), item: block.ordered && /^\([a-z]+\)$/.test(i.label) }));
  return [];
}

const line = (children: ParagraphChild[], item: boolean) =>
  new Paragraph({ children, numbering: item ? { reference: NUMBERING, level: 2 } : undefined });

/** The body of a clause that exists in both generations, paragraph by paragraph and list item by list item. */
function changedBody(r: Revisions, before: Clause, after: Clause) {
  const was = before.blocks.flatMap(linesOf);
  const now = after.blocks.flatMap(linesOf);
  const out: Paragraph[] = [];
  for (let i = 0; i < Math.max(was.length, now.length); i += 1) {
    const a = was[i];
    const b = now[i];
    if (a && b) out.push(line(a.text === b.text ? [new TextRun(b.text)] : diffRuns(r, a.text, b.text), b.item));
    else if (b) out.push(line([inserted(r, b.text)], b.item));
    else if (a) out.push(line([deleted(r, a.text)], false));
  }
  return out;
}

function clauseHeading(children: ParagraphChild[], id: string) {
  return new Paragraph({
    heading: HeadingLevel.HEADING_2,
    numbering: { reference: NUMBERING, level: 1 },
    keepNext: true,
    children: [new Bookmark({ id: bookmarkOf(id), children })],
  });
}

function removedClause(r: Revisions, clause: Clause) {
  return [
    new Paragraph({ keepNext: true, children: [deleted(r, `${clause.number} ${clause.title}`)] }),
    ...clause.blocks.flatMap(linesOf).map((l) => new Paragraph({ children: [deleted(r, l.text)] })),
  ];
}

export async function renderRedlineDocx(previous: DocumentModel, current: DocumentModel, author: string) {
  const r: Revisions = { author, date: current.generatedAt, id: 1 };
  const before = new Map(previous.blocks.filter((b): b is Clause => b.t === "clause").map((c) => [c.id, c]));
  const nowIds = new Set(current.blocks.filter((b): b is Clause => b.t === "clause").map((c) => c.id));
  // A removed clause is shown just before the clause that followed it last time (or at the end).
  const order = [...before.keys()];
  const removedBefore = new Map<string, Clause[]>();
  const removedAtEnd: Clause[] = [];
  order.forEach((id, i) => {
    if (nowIds.has(id)) return;
    const next = order.slice(i + 1).find((n) => nowIds.has(n));
    if (next) removedBefore.set(next, [...(removedBefore.get(next) ?? []), before.get(id)!]);
    else removedAtEnd.push(before.get(id)!);
  });
  const previousParagraphs = previous.blocks.filter((b) => b.t === "para");
  let paragraphIndex = 0;
  const children: (Paragraph | Table)[] = [];
  for (const block of current.blocks) {
    if (block.t === "signatures") children.push(...removedAtEnd.splice(0).flatMap((c) => removedClause(r, c)));
    if (block.t === "para") {
      // Paragraphs outside clauses (the opening words) are compared in order.
      const was = previousParagraphs[paragraphIndex++];
      const a = was?.t === "para" ? inlineText(was.inlines) : "";
      const b = inlineText(block.inlines);
      children.push(a === b ? blocks([block])[0]! : new Paragraph({ children: diffRuns(r, a, b) }));
      continue;
    }
    if (block.t !== "clause") {
      children.push(...blocks([block], current.subtitle));
      continue;
    }
    children.push(...(removedBefore.get(block.id) ?? []).flatMap((c) => removedClause(r, c)));
    const was = before.get(block.id);
    if (!was) {
      children.push(
        clauseHeading([inserted(r, block.title)], block.id),
        ...block.blocks.flatMap(linesOf).map((l) => line([inserted(r, l.text)], l.item)),
      );
    } else if (was.title === block.title && JSON.stringify(was.blocks) === JSON.stringify(block.blocks)) {
      children.push(...blocks([block]));
    } else {
      children.push(
        clauseHeading(was.title === block.title ? [new TextRun(block.title)] : diffRuns(r, was.title, block.title), block.id),
        ...changedBody(r, was, block),
      );
    }
  }
  children.push(...removedAtEnd.flatMap((c) => removedClause(r, c)));
  return Packer.toBuffer(
    wordDocument(current, children, { trackRevisions: true, note: "changes since the previous generation" }),
  );
}
