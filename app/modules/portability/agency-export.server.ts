import { createHash } from "node:crypto";
import { Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { ZipFile } from "yazl";
import type { Database } from "../../../db/client.ts";
import { organisations } from "../../../db/schema/access.ts";
import type { Secrets } from "../access/secrets.server.ts";
import type { CheckpointSigner } from "../audit/signing.server.ts";
import { openSealed } from "../blobs/sealed-files.server.ts";
import type { BlobStore } from "../blobs/store.server.ts";
import {
  exportedColumns,
  primaryKeyOf,
  RECORD_TYPES,
  recordSchema,
  referencesOf,
  toRecord,
  type RecordType,
} from "./records.server.ts";

/**
 * An agency's records as one ZIP, written as it is read: JSON Lines per record type with the JSON Schema
 * of each, CSV twins of the main tables for spreadsheets, every file (decrypted: it is the agency's data)
 * under its SHA-256, and last a manifest of every entry with its SHA-256, size and record count, signed
 * with the installation's Ed25519 key. Nothing is held whole in memory: rows are read a page at a time
 * and files streamed one after another (yazl asks for each entry's stream only when it writes it).
 * Decision 0027.
 */

export const EXPORT_FORMAT = "custody-agency-export";
export const EXPORT_FORMAT_VERSION = 1;
const PAGE = 500;
/** The tables a spreadsheet user opens first; each gets a CSV twin of its JSON Lines. */
const CSV_TWINS = [
  "people",
  "memberships",
  "contracts",
  "coverage_entries",
  "evidence_items",
  "notices",
  "roster_people",
  "audit_events",
];

export type ManifestEntry = { path: string; sha256: string; bytes: number; records?: number };
export type Manifest = {
  format: typeof EXPORT_FORMAT;
  formatVersion: number;
  agency: { id: string; name: string };
  exportedAt: string;
  exportedBy: string;
  installation: { keyId: string };
  /** The record types in the order an import inserts them. */
  recordTypes: string[];
  entries: ManifestEntry[];
};
export type ManifestSignature = { algorithm: "Ed25519"; keyId: string; publicKeyPem: string; signature: string };

export type ExportProgress = { itemsDone: number; bytesDone: number };
export type ExportDeps = { db: Database; blobs: BlobStore; secrets: Secrets; signer: CheckpointSigner; now: Date };

/** How much an export will hold: records and files, and the files' bytes (for the progress estimate). */
export async function exportSize(db: Database, agencyId: string) {
  let items = 0;
  let bytes = 0;
  for (const type of RECORD_TYPES) {
    if (type.scope.kind !== "agency") continue;
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(type.table)
      .where(type.scope.where(agencyId));
    items += row?.n ?? 0;
    if (type.file) {
      const size = (exportedColumns(type).find(([k]) => k === "sizeBytes") ?? [])[1];
      if (size) {
        const [s] = await db
          .select({ b: sql<number>`coalesce(sum(${size}), 0)::float8` })
          .from(type.table)
          .where(type.scope.where(agencyId));
        bytes += Number(s?.b ?? 0);
        items += row?.n ?? 0;
      }
    }
  }
  return { items, bytes };
}

/** Write the agency's export to out; resolves with the manifest once the last byte is written. */
export async function writeAgencyExport(
  deps: ExportDeps,
  input: { agencyId: string; exportedBy: string },
  out: Writable,
  onProgress: (p: ExportProgress) => void = () => {},
): Promise<Manifest> {
  const { db } = deps;
  const [agency] = await db.select().from(organisations).where(eq(organisations.id, input.agencyId));
  if (!agency || agency.kind !== "agency") throw new Error(`no agency ${input.agencyId}`);
  const zip = new ZipFile();
  const entries: ManifestEntry[] = [];
  const progress = { itemsDone: 0, bytesDone: 0 };
  let lastReport = 0;
  const report = (force = false) => {
    const t = Date.now();
    if (force || t - lastReport > 500) {
      lastReport = t;
      onProgress({ ...progress });
    }
  };
  /** Ids other records point at, per record type (people, organisations, vendors, catalog rows). */
  const referenced = new Map<string, Set<string>>();
  const refer = (typeName: string, id: unknown) => {
    if (typeof id !== "string") return;
    let set = referenced.get(typeName);
    if (!set) referenced.set(typeName, (set = new Set()));
    set.add(id);
  };
  refer("organisations", input.agencyId);
  const written = new Promise<void>((resolve, reject) => {
    pipeline(zip.outputStream, out).then(resolve, reject);
  });

  /** An entry whose bytes are produced when the ZIP reaches it, hashed and counted on the way. */
  const addEntry = (entryPath: string, produce: () => Readable | Promise<Readable>, records?: () => number) => {
    zip.addReadStreamLazy(entryPath, { compress: !entryPath.startsWith("files/") }, (cb) => {
      Promise.resolve()
        .then(produce)
        .then((source) => {
          const hash = createHash("sha256");
          let bytes = 0;
          const counted = new Transform({
            transform(chunk: Buffer, _encoding, done) {
              hash.update(chunk);
              bytes += chunk.length;
              if (entryPath.startsWith("files/")) {
                progress.bytesDone += chunk.length;
                report();
              }
              done(null, chunk);
            },
            flush(done) {
              entries.push({ path: entryPath, sha256: hash.digest("hex"), bytes, ...(records ? { records: records() } : {}) });
              done();
            },
          });
          source.once("error", (error) => counted.destroy(error));
          cb(null, source.pipe(counted));
        })
        .catch((error: unknown) => cb(error as Error, undefined as never));
    });
  };

  const rowsOf = (type: RecordType, where: SQL | undefined) => pagedRows(db, type, where);
  const scopeOf = (type: RecordType): SQL | undefined => {
    if (type.scope.kind === "agency") return type.scope.where(input.agencyId);
    const ids = [...(referenced.get(type.name) ?? [])];
    const [pk] = primaryKeyOf(type);
    // One parameter however many ids (a statement carries at most 65,535).
    const byId = ids.length > 0 ? sql`${pk!} = any(string_to_array(${ids.join(",")}, ',')::uuid[])` : sql`false`;
    return type.scope.also ? sql`(${byId} or ${type.scope.also(input.agencyId)})` : byId;
  };

  // Records: agency-scoped types first (they name what is referenced), then the referenced ones, each
  // after every type that points at it.
  const order = [...RECORD_TYPES.filter((t) => t.scope.kind === "agency"), ...referencedOrder()];
  for (const type of order) {
    let count = 0;
    const refs = referencesOf(type);
    addEntry(
      `records/${type.name}.jsonl`,
      () =>
        Readable.from(
          (async function* () {
            for await (const row of rowsOf(type, scopeOf(type))) {
              for (const r of refs) refer(r.target, row[r.key]);
              count += 1;
              progress.itemsDone += 1;
              report();
              yield JSON.stringify(toRecord(type, row)) + "\n";
            }
          })(),
        ),
      () => count,
    );
    addEntry(`schemas/${type.name}.schema.json`, () => Readable.from([JSON.stringify(recordSchema(type), null, 2) + "\n"]));
    if (CSV_TWINS.includes(type.name)) {
      addEntry(`csv/${type.name}.csv`, () => {
        const columns = exportedColumns(type).map(([key]) => key);
        const csv = stringify({ header: true, columns, cast: { date: (d) => d.toISOString(), boolean: (b) => String(b) } });
        void (async () => {
          try {
            for await (const row of rowsOf(type, scopeOf(type))) {
              const record = toRecord(type, row);
              const line = columns.map((k) =>
                record[k] !== null && typeof record[k] === "object" ? JSON.stringify(record[k]) : record[k],
              );
              if (!csv.write(line)) await new Promise((resolve) => csv.once("drain", resolve));
            }
            csv.end();
          } catch (error) {
            csv.destroy(error as Error);
          }
        })();
        return csv;
      });
    }
  }

  // Files, each once under its SHA-256, after every record (the manifest lists them with the rest).
  const fileTypes = RECORD_TYPES.filter((t) => t.file);
  const seen = new Set<string>();
  addEntry("files/README.txt", () =>
    Readable.from([
      "Each file is stored under the SHA-256 of its bytes (decrypted). The records that name a file carry the same hash in their sha256 field.\n",
    ]),
  );
  for (const type of fileTypes) {
    for await (const row of rowsOf(type, scopeOf(type))) {
      const sha256 = String(row.sha256);
      if (seen.has(sha256)) continue;
      seen.add(sha256);
      addEntry(`files/${sha256}`, async () => {
        const source =
          type.file === "sealed"
            ? await openSealed(deps.blobs, deps.secrets, {
                blobSha256: String(row.blobSha256),
                keyId: String(row.keyId),
                nonce: String(row.nonce),
                authTag: String(row.authTag),
              })
            : await deps.blobs.get(sha256);
        progress.itemsDone += 1;
        return checkHash(source, sha256);
      });
    }
  }

  // Last the manifest, then its signature: both are made when every other entry has been written.
  let manifest: Manifest | null = null;
  let manifestText = "";
  addEntry("manifest.json", () => {
    manifest = {
      format: EXPORT_FORMAT,
      formatVersion: EXPORT_FORMAT_VERSION,
      agency: { id: agency.id, name: agency.name },
      exportedAt: deps.now.toISOString(),
      exportedBy: input.exportedBy,
      installation: { keyId: deps.signer.keyId },
      recordTypes: RECORD_TYPES.map((t) => t.name),
      entries: [...entries],
    };
    manifestText = JSON.stringify(manifest, null, 2) + "\n";
    return Readable.from([manifestText]);
  });
  addEntry("manifest.sig.json", () => {
    const signature: ManifestSignature = {
      algorithm: "Ed25519",
      keyId: deps.signer.keyId,
      publicKeyPem: deps.signer.publicKeyPem,
      signature: deps.signer.sign(manifestText),
    };
    return Readable.from([JSON.stringify(signature, null, 2) + "\n"]);
  });
  zip.end();
  await written;
  report(true);
  return manifest!;
}

/** Referenced record types in an order where each comes after every type that points at it. */
function referencedOrder() {
  const names = ["vendors", "people", "catalog_requirements", "catalog_evidence_kinds", "catalog_frameworks", "organisations"];
  return names.map((n) => RECORD_TYPES.find((t) => t.name === n)!);
}

/** Rows of a record type a page at a time: by key where the table has one key column, else by offset. */
async function* pagedRows(db: Database, type: RecordType, where: SQL | undefined): AsyncGenerator<Record<string, unknown>> {
  const pk = primaryKeyOf(type);
  const columns = Object.fromEntries(exportedColumns(type)) as Record<string, PgColumn>;
  const keyOf = Object.entries(columns).find(([, col]) => col === pk[0])?.[0];
  if (pk.length === 1 && keyOf) {
    let last: unknown = null;
    for (;;) {
      const page = (await db
        .select(columns)
        .from(type.table)
        .where(and(where, last === null ? undefined : gt(pk[0]!, last)))
        .orderBy(asc(pk[0]!))
        .limit(PAGE)) as Record<string, unknown>[];
      for (const row of page) yield row;
      if (page.length < PAGE) return;
      last = page[page.length - 1]![keyOf];
    }
  }
  for (let offset = 0; ; offset += PAGE) {
    const page = (await db
      .select(columns)
      .from(type.table)
      .where(where)
      .orderBy(...pk.map((c) => asc(c)))
      .limit(PAGE)
      .offset(offset)) as Record<string, unknown>[];
    for (const row of page) yield row;
    if (page.length < PAGE) return;
  }
}

/** Pass a file's bytes through, failing the export if they are not the bytes the record names. */
function checkHash(source: Readable, expected: string) {
  const hash = createHash("sha256");
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const got = hash.digest("hex");
      done(got === expected ? null : new Error(`the stored file ${expected} reads back as ${got}`));
    },
  });
  source.once("error", (error) => check.destroy(error));
  return source.pipe(check);
}
