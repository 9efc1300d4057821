import { ScrollTable } from "./scroll-table.tsx";
import type { Block, ChartBlock, DocumentModel, Inline, TableBlock } from "~/modules/documents/model.ts";

/**
 * The HTML preview of a generated document, drawn from the same model as its
 * DOCX and PDF: the same numbers, the same cross-references (here as links),
 * filled values marked so a reviewer sees what came from the inputs.
 */

function Inlines({ inlines }: { inlines: Inline[] }) {
  return (
    <>
      {inlines.map((i, n) => {
        switch (i.t) {
          case "text":
            return i.strong ? (
              <strong key={n}>{i.text}</strong>
            ) : i.em ? (
              <em key={n}>{i.text}</em>
            ) : (
              <span key={n}>{i.text}</span>
            );
          case "var":
            return (
              <mark key={n} className="custody-var custody-pre-line" title={`Filled from ${i.name}`}>
                {i.text}
              </mark>
            );
          case "dfn":
            return (
              <dfn key={n} className="text-bold">
                “{i.text}”
              </dfn>
            );
          case "term":
            return <span key={n}>{i.text}</span>;
          case "ref":
            return (
              <a key={n} href={`#clause-${i.target}`}>
                {i.text}
              </a>
            );
          case "link":
            return (
              <a key={n} href={i.href}>
                {i.text}
              </a>
            );
        }
      })}
    </>
  );
}

function Table({ block }: { block: TableBlock }) {
  if (block.rows.length === 0) {
    return (
      <>
        <p className="text-bold margin-bottom-05">{block.caption}</p>
        <p className="custody-muted">{block.empty}</p>
      </>
    );
  }
  return (
    <ScrollTable label={block.caption}>
      <table className="usa-table usa-table--striped usa-table--compact font-sans-2xs">
        <caption>{block.caption}</caption>
        <thead>
          <tr>
            {block.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {block.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) =>
                c === 0 ? (
                  <th key={c} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={c}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

function Chart({ block }: { block: ChartBlock }) {
  const max = Math.max(1, ...block.series.flatMap((s) => s.values));
  const colours = ["#005ea2", "#c05600", "#538200"];
  const group = 300 / Math.max(1, block.categories.length);
  const bar = Math.min(16, (group * 0.7) / Math.max(1, block.series.length));
  return (
    <figure className="margin-x-0">
      <svg viewBox="0 0 320 150" className="custody-doc-chart" role="img" aria-label={block.alt}>
        <line x1={10} y1={120} x2={315} y2={120} stroke="#71767a" strokeWidth={0.5} />
        {block.categories.map((category, ci) => (
          <g key={category}>
            {block.series.map((s, si) => {
              const h = ((s.values[ci] ?? 0) / max) * 105;
              return (
                <rect
                  key={s.name}
                  x={12 + ci * group + group * 0.15 + si * bar}
                  y={120 - h}
                  width={bar - 1}
                  height={h}
                  fill={colours[si % colours.length]}
                />
              );
            })}
            <text x={12 + ci * group + group / 2} y={130} fontSize={6} textAnchor="middle" fill="#1b1b1b">
              {category}
            </text>
          </g>
        ))}
        {block.series.map((s, si) => (
          <g key={s.name}>
            <rect x={12 + si * 90} y={140} width={6} height={6} fill={colours[si % colours.length]} />
            <text x={21 + si * 90} y={145.5} fontSize={6} fill="#1b1b1b">
              {s.name}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="text-bold">{block.caption}</figcaption>
      <p className="custody-muted">{block.alt}</p>
    </figure>
  );
}

function Blocks({ blocks }: { blocks: Block[] }) {
  return (
    <>
      {blocks.map((b, n) => {
        switch (b.t) {
          case "heading":
            if (b.level === 1) return <h2 key={n}>{b.text}</h2>;
            if (b.level === 2) return <h3 key={n}>{b.number ? `${b.number}. ${b.text}` : b.text}</h3>;
            return <h4 key={n}>{b.text}</h4>;
          case "para":
            return (
              <p key={n}>
                <Inlines inlines={b.inlines} />
              </p>
            );
          case "list":
            return (
              <ul key={n} className="usa-list usa-list--unstyled custody-doc-list">
                {b.items.map((item, i) => (
                  <li key={i}>
                    <span className="custody-doc-label">{item.label}</span> <Inlines inlines={item.inlines} />
                  </li>
                ))}
              </ul>
            );
          case "clause":
            return (
              <section key={n} id={`clause-${b.id}`} aria-labelledby={`clause-${b.id}-title`} className="custody-doc-clause">
                <h4 id={`clause-${b.id}-title`}>
                  {b.number} {b.title}
                  {b.locked ? <span className="usa-tag margin-left-1">Locked</span> : null}
                  {b.origin === "agency" ? <span className="usa-tag margin-left-1">Agency clause</span> : null}
                </h4>
                <Blocks blocks={b.blocks} />
              </section>
            );
          case "table":
            return <Table key={n} block={b} />;
          case "chart":
            return <Chart key={n} block={b} />;
          case "signatures":
            return (
              <div key={n} className="grid-row grid-gap margin-top-3">
                {b.parties.map((p) => (
                  <div key={p.role} className="grid-col">
                    <p className="text-bold margin-bottom-0">{p.role}</p>
                    <p className="margin-top-0">{p.organisation}</p>
                    {["Signature", "Name", "Title", "Date"].map((l) => (
                      <p key={l} className="custody-doc-signature">
                        {l}:
                      </p>
                    ))}
                  </div>
                ))}
              </div>
            );
        }
      })}
    </>
  );
}

export function DocumentPreview({ model }: { model: DocumentModel }) {
  return (
    <article className="custody-doc" aria-label={`Preview of ${model.title}`} lang={model.language}>
      <p className="custody-muted font-sans-2xs">
        {model.templateId} v{model.templateVersion}
        {model.final ? "" : " — DRAFT"}
      </p>
      <Blocks blocks={model.blocks} />
    </article>
  );
}
