/**
 * The one typed document every renderer draws: DOCX, tagged PDF and the HTML
 * preview read the same blocks, with numbers and cross-references already
 * computed, so the three formats cannot disagree. Plain data (JSON), stored
 * with each generation so a preview or a diff never re-runs a template.
 */

export type Inline =
  | { t: "text"; text: string; strong?: boolean; em?: boolean }
  /** A value filled from the inputs. */
  | { t: "var"; name: string; text: string }
  /** The defining occurrence of a defined term. */
  | { t: "dfn"; text: string }
  /** A use of a defined term. */
  | { t: "term"; text: string }
  /** A cross-reference, already resolved to the target's number ("section 4.2"). */
  | { t: "ref"; target: string; text: string }
  | { t: "link"; href: string; text: string };

export type ListItem = { label: string; inlines: Inline[] };

export type TableBlock = { t: "table"; caption: string; columns: string[]; rows: string[][]; empty: string };

export type ChartBlock = {
  t: "chart";
  caption: string;
  /** What a screen reader hears instead of the picture. */
  alt: string;
  categories: string[];
  series: { name: string; values: number[] }[];
  unit: "usd";
};

export type SignatureParty = { role: string; organisation: string };

export type Block =
  | { t: "heading"; level: 1 | 2 | 3; number: string | null; text: string; anchor: string | null }
  | { t: "para"; inlines: Inline[] }
  | { t: "list"; ordered: boolean; items: ListItem[] }
  | {
      t: "clause";
      /** The library id ("agency:2" for a clause the agency added). */
      id: string;
      version: string;
      number: string;
      title: string;
      locked: boolean;
      requirements: string[];
      /** The alternative wording chosen, when the library has more than one. */
      wording: string | null;
      origin: "library" | "agency";
      blocks: Block[];
    }
  | TableBlock
  | ChartBlock
  | { t: "signatures"; parties: SignatureParty[] };

export type DocumentModel = {
  templateId: string;
  templateVersion: string;
  kind: "agreement" | "report";
  title: string;
  subtitle: string;
  language: string;
  /** False until legal staff mark it final: headers and footers say DRAFT. */
  final: boolean;
  /** SHA-256 of the canonical inputs (variables, clause choices, data tables). */
  inputsSha256: string;
  generatedAt: string;
  blocks: Block[];
};

export function inlineText(inlines: Inline[]) {
  return inlines.map((i) => i.text).join("");
}

/** The clauses of a document in reading order, with their plain text (for diffs and tests). */
export function clausesOf(model: Pick<DocumentModel, "blocks">) {
  const out: { id: string; number: string; title: string; version: string; wording: string | null; text: string }[] = [];
  const walk = (blocks: Block[]) => {
    for (const b of blocks)
      if (b.t === "clause")
        out.push({
          id: b.id,
          number: b.number,
          title: b.title,
          version: b.version,
          wording: b.wording,
          text: blocksText(b.blocks),
        });
  };
  walk(model.blocks);
  return out;
}

export function blocksText(blocks: Block[]): string {
  return blocks
    .map((b) => {
      switch (b.t) {
        case "heading":
          return [b.number, b.text].filter(Boolean).join(" ");
        case "para":
          return inlineText(b.inlines);
        case "list":
          return b.items.map((i) => `${i.label} ${inlineText(i.inlines)}`).join("\n");
        case "clause":
          return `${b.number} ${b.title}\n${blocksText(b.blocks)}`;
        case "table":
          return [b.caption, b.columns.join(" | "), ...b.rows.map((r) => r.join(" | "))].join("\n");
        case "chart":
          return `${b.caption}\n${b.alt}`;
        case "signatures":
          return b.parties.map((p) => `${p.organisation} — ${p.role}`).join("\n");
      }
    })
    .join("\n");
}

/** A variable of the generation form, as the form shows it. */
export type FormField = {
  name: string;
  label: string;
  hint?: string;
  input: "text" | "textarea" | "date" | "number" | "checkbox" | "select" | "lines";
  options?: { value: string; label: string }[];
  value: string;
  checked: boolean;
};

/** A clause of the template as the form offers it: left out (when optional), its wording chosen. */
export type ClauseChoice = {
  id: string;
  title: string;
  optional: boolean;
  locked: boolean;
  wordings: { name: string; label: string }[];
  wording: string;
  included: boolean;
  requirements: string[];
  /** For a clause inside a condition: whether the answers on the form include it (null when unconditional). */
  applies: boolean | null;
  /** Promised requirements only this optional clause addresses: leaving it out uncovers them. */
  soleCover: string[];
};

/** One clause's change between two generations (see diff.server.ts). */
export type ClauseChange = {
  id: string;
  status: "added" | "removed" | "changed" | "renumbered" | "unchanged";
  before: { number: string; title: string; version: string; wording: string | null } | null;
  after: { number: string; title: string; version: string; wording: string | null } | null;
  words: { text: string; change: "added" | "removed" | null }[];
};
