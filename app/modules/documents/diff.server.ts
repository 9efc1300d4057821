import { diffWords } from "diff";
import { type ClauseChange, clausesOf, type DocumentModel } from "./model.ts";

/**
 * What changed between two generations, clause by clause (matched by clause
 * id, so a clause that moved is "renumbered", not removed and added): the
 * wording chosen, the version of the library clause, and the words.
 */

export function clauseDiff(before: DocumentModel, after: DocumentModel) {
  const old = new Map(clausesOf(before).map((c) => [c.id, c]));
  const now = clausesOf(after);
  const changes: ClauseChange[] = [];
  const meta = (c: { number: string; title: string; version: string; wording: string | null }) => ({
    number: c.number,
    title: c.title,
    version: c.version,
    wording: c.wording,
  });
  for (const c of now) {
    const was = old.get(c.id);
    if (!was) {
      changes.push({ id: c.id, status: "added", before: null, after: meta(c), words: [{ text: c.text, change: "added" }] });
      continue;
    }
    old.delete(c.id);
    const same = was.text === c.text && was.title === c.title && was.version === c.version && was.wording === c.wording;
    const status = same ? (was.number === c.number ? "unchanged" : "renumbered") : "changed";
    const words = same
      ? []
      : diffWords(`${was.title}\n${was.text}`, `${c.title}\n${c.text}`).map((part) => ({
          text: part.value,
          change: part.added ? ("added" as const) : part.removed ? ("removed" as const) : null,
        }));
    changes.push({ id: c.id, status, before: meta(was), after: meta(c), words });
  }
  for (const was of old.values())
    changes.push({
      id: was.id,
      status: "removed",
      before: meta(was),
      after: null,
      words: [{ text: was.text, change: "removed" }],
    });
  const count = (s: ClauseChange["status"]) => changes.filter((c) => c.status === s).length;
  return {
    inputsChanged: before.inputsSha256 !== after.inputsSha256,
    templateChanged: before.templateVersion !== after.templateVersion,
    summary: {
      added: count("added"),
      removed: count("removed"),
      changed: count("changed"),
      renumbered: count("renumbered"),
      unchanged: count("unchanged"),
    },
    changes,
  };
}
