/**
 * US English in everything a person reads (Developers' guide, non-negotiable 9). The patterns below are
 * the British spellings that crept into our drafting; the template check and the catalog test refuse
 * them, naming the US form to use.
 */
const BRITISH: [RegExp, (word: string) => string][] = [
  [
    /\b(?:un)?(?:authoris|organis|recognis|summaris|prioritis|minimis|utilis|realis|standardis|optimis|emphasis|apologis|criticis|customis|sanitis|memoris|characteris|finalis|normalis|categoris|itemis|maximis|centralis|visualis)(?:e|ed|es|ing|ation|ations|ational)\b/gi,
    (w) => w.replace(/is(e|ed|es|ing|ation|ations|ational)$/i, "iz$1"),
  ],
  [/\banalys(?:e|ed|ing)\b/gi, (w) => w.replace(/ys/i, "yz")],
  [/\b(?:behav|col|fav|hon|lab|neighb)our(?:s|ed|ing|able)?\b/gi, (w) => w.replace(/our/i, "or")],
  [/\blicences?\b/gi, (w) => w.replace(/licence/i, "license")],
  [/\bdefences?\b/gi, (w) => w.replace(/defence/i, "defense")],
  [/\bprogrammes?\b/gi, (w) => w.replace(/programme/i, "program")],
  [/\bcatalogues?\b/gi, (w) => w.replace(/catalogue/i, "catalog")],
  [/\bcentres?\b/gi, (w) => w.replace(/centre/i, "center")],
  [/\b(?:model|travel|label)l(?:ing|ed)\b/gi, (w) => w.replace(/ll/i, "l")],
  [/\benrolments?\b/gi, (w) => w.replace(/enrolment/i, "enrollment")],
];

/** The British spellings in a text, each with the US form to use instead. */
export function britishSpellings(text: string): { found: string; use: string }[] {
  const out: { found: string; use: string }[] = [];
  for (const [pattern, us] of BRITISH) for (const m of text.matchAll(pattern)) out.push({ found: m[0], use: us(m[0]) });
  return out;
}
