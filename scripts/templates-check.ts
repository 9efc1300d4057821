/**
 * `npm run templates:check`: fails (exit 1) on any problem of the template
 * library — an undefined variable, an unknown clause, a broken cross-reference,
 * an undefined or unused defined term, a locked clause whose text changed.
 * `-- --fingerprint <clause id>` prints the fingerprint to record in
 * clauses/locked.json when a locked clause is deliberately revised.
 */
import { checkAll } from "../app/modules/documents/check.server.ts";
import { loadLibrary } from "../app/modules/documents/library.server.ts";

const dir = process.argv.find((a, i) => process.argv[i - 1] === "--dir");
const lib = loadLibrary(dir);
const wanted = process.argv.find((a, i) => process.argv[i - 1] === "--fingerprint");
if (wanted) {
  const clause = lib.clauses.get(wanted);
  if (!clause) {
    console.error(`no clause ${wanted}`);
    process.exit(1);
  }
  console.log(JSON.stringify({ [clause.id]: { version: clause.version, sha256: clause.textSha256 } }, null, 2));
  process.exit(0);
}
const { library, byTemplate } = checkAll(lib);
const problems = [
  ...library,
  ...[...byTemplate.values()].flat().filter((p) => !library.some((l) => l.file === p.file && l.message === p.message)),
];
for (const p of problems) console.log(`${p.file}: ${p.template ? `[${p.template}] ` : ""}${p.message}`);
console.log(
  `${lib.templates.size} templates, ${lib.clauses.size} clauses: ${problems.length === 0 ? "no problems" : `${problems.length} problem${problems.length === 1 ? "" : "s"}`}`,
);
process.exit(problems.length === 0 ? 0 : 1);
