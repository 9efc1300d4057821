import path from "node:path";
import { describeSeed } from "../db/prepare.ts";
import { projectRoot } from "../db/client.ts";
import { buildDatabaseImage } from "../db/image.ts";

// Part of `npm run build`: the prepared embedded database a new installation starts from (db/image.ts).
const outDir = path.join(projectRoot, "build");
const started = performance.now();
const meta = await buildDatabaseImage(outDir);
console.log(
  `Prepared database image in build/ (${((performance.now() - started) / 1000).toFixed(1)} s): ${describeSeed(meta.catalog)}`,
);
