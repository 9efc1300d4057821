import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layout rules of docs/decisions/0017: one folder per capability under app/modules, each
 * writing only the tables of its own db/schema file. Reading another capability's table in a
 * join is fine; changing it goes through that capability's exported functions. The demo writes
 * nothing itself. (Import circles are refused by `npm run lint`, with madge.)
 */
const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    return statSync(path.join(root, rel)).isDirectory() ? filesUnder(rel) : /\.tsx?$/.test(name) ? [rel] : [];
  });
}

/** Table variable → the capability whose schema file declares it. */
const owners = new Map<string, string>();
for (const file of readdirSync(path.join(root, "db/schema"))) {
  if (file === "index.ts") continue;
  for (const [, name] of read(`db/schema/${file}`).matchAll(/export const (\w+) = pgTable\(/g))
    owners.set(name!, file.replace(/\.ts$/, ""));
}

/** Writes in a file: `.insert(table)`, `.update(table)`, `.delete(table)` on a declared table. */
const writesIn = (file: string) =>
  [...read(file).matchAll(/\.(insert|update|delete)\(\s*(\w+)\s*\)/g)]
    .filter(([, , table]) => owners.has(table!))
    .map(([, verb, table]) => ({ verb: verb!, table: table!, owner: owners.get(table!)! }));

describe("the layout", () => {
  it("gives every schema file a module folder of the same name, and every module folder one concern", () => {
    const modules = readdirSync(path.join(root, "app/modules")).filter((n) =>
      statSync(path.join(root, "app/modules", n)).isDirectory(),
    );
    for (const owner of new Set(owners.values())) expect(modules).toContain(owner);
    expect(owners.size).toBeGreaterThan(30);
  });

  it("lets a module change only its own capability's tables", () => {
    const foreign: string[] = [];
    for (const file of filesUnder("app/modules")) {
      const capability = file.split(path.sep)[2]!;
      for (const w of writesIn(file))
        if (w.owner !== capability) foreign.push(`${file}: ${w.verb} ${w.table} (owned by ${w.owner})`);
    }
    expect(foreign).toEqual([]);
  });

  it("builds the demo only through the modules' functions, never by writing a table", () => {
    const writes = filesUnder("app/demo").flatMap((file) => writesIn(file).map((w) => `${file}: ${w.verb} ${w.table}`));
    expect(writes).toEqual([]);
  });

  it("keeps db/ to data and schema: nothing under it imports the application", () => {
    const importers = filesUnder("db").filter((file) => /from "(\.\.\/)+app\//.test(read(file)));
    expect(importers).toEqual([]);
  });
});
