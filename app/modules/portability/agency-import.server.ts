import { createHash, createPublicKey } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { eq, sql } from "drizzle-orm";
import yauzl from "yauzl";
import { queryRows, type Database, type Queryable } from "../../../db/client.ts";
import { memberships, organisations, people } from "../../../db/schema/access.ts";
import { evidenceKinds, frameworks, requirements } from "../../../db/schema/catalog.ts";
import { vendors } from "../../../db/schema/vendors.ts";
import type { Secrets } from "../access/secrets.server.ts";
import { inviteExistingRecord } from "../access/accounts.server.ts";
import { newToken } from "../access/secrets.server.ts";
import { appendEvents, type AuditActor } from "../audit/audit.server.ts";
import { keyIdOf, verifyNoteSignature } from "../audit/signing.server.ts";
import { sealStream } from "../blobs/sealed-files.server.ts";
import type { BlobStore } from "../blobs/store.server.ts";
import type { SpooledUpload } from "../blobs/content.server.ts";
import { InvalidInput, requirePermission, type ModuleContext } from "../context.server.ts";
import { EXPORT_FORMAT, type Manifest, type ManifestSignature } from "./agency-export.server.ts";
import { fromRecord, RECORD_TYPES, recordType, referencesOf, type RecordType } from "./records.server.ts";

/**
 * Loading an agency export into an installation. Nothing is written until the whole file has been
 * checked: the manifest's signature against the exporting installation's public key, then every entry's
 * SHA-256 and size. Then the files go to the store (content-addressed: a failed import leaves only blobs
 * the orphan sweep removes) and every record is written in one transaction: all or nothing. Ids are kept,
 * so links and provenance hold; people are matched by e-mail; catalog rows are mapped to this
 * installation's own by their natural key; no credential travels, so each member is invited afresh.
 * Decision 0027.
 */

export class ImportRefused extends Error {
  override name = "ImportRefused";
}

export type ImportDeps = { db: Database; blobs: BlobStore; secrets: Secrets; now: Date; actor: AuditActor };
export type ImportResult = {
  agency: { id: string; name: string };
  records: Record<string, number>;
  files: number;
  invitations: { email: string; role: string; token: string }[];
  matchedPeople: number;
};

/** Check an export file whole (signature, every entry's hash and size); refuses with the entry named. */
export async function verifyExport(zipPath: string, trustedPublicKeyPem: string): Promise<Manifest> {
  const zip = await openZip(zipPath);
  try {
    const names = new Set(zip.entries.keys());
    for (const needed of ["manifest.json", "manifest.sig.json"])
      if (!names.has(needed))
        throw new ImportRefused(`The file holds no ${needed}: it is truncated or not a Custody agency export.`);
    const manifestText = (await zip.read("manifest.json")).toString("utf8");
    let signature: ManifestSignature;
    let manifest: Manifest;
    try {
      signature = JSON.parse((await zip.read("manifest.sig.json")).toString("utf8")) as ManifestSignature;
      manifest = JSON.parse(manifestText) as Manifest;
    } catch {
      throw new ImportRefused("The manifest is not readable JSON: the file is damaged.");
    }
    if (manifest.format !== EXPORT_FORMAT) throw new ImportRefused("The file is not a Custody agency export.");
    const trustedKeyId = keyIdOf(trustedPublicKeyPem.trim() + "\n");
    if (keyIdOf(signature.publicKeyPem) !== trustedKeyId && signature.keyId !== trustedKeyId)
      throw new ImportRefused(
        `The export was signed by key ${signature.keyId}, not by the key you trust (${trustedKeyId}). Check you have the exporting installation's key.`,
      );
    if (!verifyNoteSignature(trustedPublicKeyPem, manifestText, signature.signature))
      throw new ImportRefused("The manifest's signature does not match its text: manifest.json was changed after the export.");
    const listed = new Set(manifest.entries.map((e) => e.path));
    for (const name of names) {
      if (name.endsWith("/") || name === "manifest.json" || name === "manifest.sig.json") continue;
      if (!listed.has(name))
        throw new ImportRefused(`The entry ${name} is not in the manifest: something was added to the file.`);
    }
    for (const entry of manifest.entries) {
      if (!names.has(entry.path))
        throw new ImportRefused(`The entry ${entry.path} is missing: the file is truncated or was changed.`);
      const { sha256, bytes } = await zip.hash(entry.path);
      if (sha256 !== entry.sha256 || bytes !== entry.bytes)
        throw new ImportRefused(
          `The entry ${entry.path} does not match the manifest (SHA-256 ${sha256}, ${bytes} bytes): it was changed.`,
        );
    }
    return manifest;
  } finally {
    zip.close();
  }
}

/** Verify, then load an export into this installation. */
export async function importExport(deps: ImportDeps, zipPath: string, trustedPublicKeyPem: string): Promise<ImportResult> {
  const manifest = await verifyExport(zipPath, trustedPublicKeyPem);
  const zip = await openZip(zipPath);
  try {
    const [present] = await deps.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.id, manifest.agency.id));
    if (present)
      throw new ImportRefused(
        `${manifest.agency.name} (${manifest.agency.id}) is already in this installation; an import does not merge into an agency.`,
      );
    const records = new Map<string, Record<string, unknown>[]>();
    for (const name of manifest.recordTypes) {
      if (!recordType(name)) throw new ImportRefused(`The export holds records of a kind this version does not know (${name}).`);
      records.set(name, zip.entries.has(`records/${name}.jsonl`) ? await zip.jsonLines(`records/${name}.jsonl`) : []);
    }
    // Another agency here with the same ORI is a different record of the same agency (or a mistake): refuse, never merge.
    const agencyRecord = (records.get("organisations") ?? []).find((o) => o.id === manifest.agency.id);
    if (typeof agencyRecord?.ori === "string") {
      const [sameOri] = await deps.db
        .select({ name: organisations.name })
        .from(organisations)
        .where(eq(organisations.ori, agencyRecord.ori));
      if (sameOri)
        throw new ImportRefused(
          `${sameOri.name} in this installation already has the ORI ${agencyRecord.ori}; an import does not merge into an agency.`,
        );
    }
    // The files first, each sealed with this installation's key; the records then name the new sealing.
    const sealed = new Map<string, Awaited<ReturnType<typeof sealStream>>>();
    for (const type of RECORD_TYPES.filter((t) => t.file === "sealed")) {
      for (const row of records.get(type.name) ?? []) {
        const sha256 = String(row.sha256);
        if (sealed.has(sha256)) continue;
        const result = await sealStream(deps.blobs, deps.secrets, await zip.stream(`files/${sha256}`));
        if (result.sha256 !== sha256)
          throw new ImportRefused(`The file files/${sha256} does not hold the bytes its records name.`);
        sealed.set(sha256, result);
      }
    }
    const plainFiles = new Set<string>();
    for (const type of RECORD_TYPES.filter((t) => t.file === "plain")) {
      for (const row of records.get(type.name) ?? []) {
        const sha256 = String(row.sha256);
        if (plainFiles.has(sha256) || (await deps.blobs.has(sha256))) continue;
        await mkdir(deps.blobs.spoolDir, { recursive: true, mode: 0o700 });
        const spool = path.join(deps.blobs.spoolDir, `${newToken().slice(0, 16)}.import`);
        try {
          await pipeline(await zip.stream(`files/${sha256}`), createWriteStream(spool, { mode: 0o600 }));
          await deps.blobs.putFile(
            sha256,
            spool,
            Number(row.sizeBytes ?? 0),
            String(row.mediaType ?? "application/octet-stream"),
          );
        } finally {
          await rm(spool, { force: true });
        }
        plainFiles.add(sha256);
      }
    }
    const writeRecords = () =>
      deps.db.transaction(async (tx) => {
        const map = new Map<string, Map<string, string>>();
        const remap = (type: string, from: string, to: string) => {
          if (from === to) return;
          let m = map.get(type);
          if (!m) map.set(type, (m = new Map()));
          m.set(from, to);
        };
        await mapCatalog(tx, records, remap);
        const counts: Record<string, number> = {};
        let matchedPeople = 0;
        for (const name of manifest.recordTypes) {
          const type = recordType(name)!;
          if (type.catalog) continue;
          const rows = records.get(name) ?? [];
          counts[name] = rows.length;
          if (name === "audit_events") {
            await importAuditEvents(tx, rows, map);
            continue;
          }
          for (const record of rows) {
            const row = fromRecord(type, record);
            for (const ref of referencesOf(type)) {
              const to = map.get(ref.target)?.get(String(row[ref.key]));
              if (to) row[ref.key] = to;
            }
            if (name === "people") {
              const [same] = await tx
                .select({ id: people.id })
                .from(people)
                .where(sql`lower(${people.email}) = lower(${String(row.email)})`);
              if (same) {
                remap("people", String(row.id), same.id);
                matchedPeople += 1;
                continue;
              }
            }
            if (name === "vendors") {
              const [same] = await tx
                .select({ id: vendors.id })
                .from(vendors)
                .where(sql`lower(${vendors.legalName}) = lower(${String(row.legalName)})`);
              if (same) {
                remap("vendors", String(row.id), same.id);
                continue;
              }
            }
            if (type.file === "sealed") {
              const s = sealed.get(String(row.sha256))!;
              Object.assign(row, { blobSha256: s.blobSha256, keyId: s.keyId, nonce: s.nonce, authTag: s.authTag });
            }
            await tx.insert(type.table).values(row).onConflictDoNothing();
          }
        }
        // No credential travels: every member still active is invited afresh, to the same record.
        const active = await tx
          .select({
            personId: people.id,
            email: people.email,
            role: memberships.role,
            endsAt: memberships.endsAt,
            passwordHash: people.passwordHash,
          })
          .from(memberships)
          .innerJoin(people, eq(people.id, memberships.personId))
          .where(
            sql`${memberships.organisationId} = ${manifest.agency.id} and ${memberships.endedAt} is null and ${people.disabledAt} is null`,
          );
        const invited: ImportResult["invitations"] = [];
        for (const m of active.filter((a) => a.passwordHash === null)) {
          const { token } = await inviteExistingRecord(tx, {
            personId: m.personId,
            email: m.email,
            organisationId: manifest.agency.id,
            role: m.role,
            membershipEndsAt: m.endsAt,
            now: deps.now,
          });
          invited.push({ email: m.email, role: m.role, token });
        }
        await appendEvents(tx, [
          {
            id: crypto.randomUUID(),
            occurredAt: deps.now,
            actorPersonId: deps.actor.personId,
            actorSessionId: deps.actor.sessionId,
            actorTokenId: deps.actor.tokenId,
            actorLabel: deps.actor.label,
            organisationId: manifest.agency.id,
            ip: deps.actor.ip,
            userAgent: deps.actor.userAgent,
            action: "agency.import",
            objectType: "organisation",
            objectId: manifest.agency.id,
            outcome: "success",
            details: {
              exportedAt: manifest.exportedAt,
              exportedBy: manifest.exportedBy,
              signedBy: manifest.installation.keyId,
              records: counts,
              files: sealed.size + plainFiles.size,
              invitations: invited.length,
              matchedPeople,
            },
          },
        ]);
        return {
          agency: manifest.agency,
          records: counts,
          files: sealed.size + plainFiles.size,
          invitations: invited,
          matchedPeople,
        };
      });
    return await writeRecords().catch((error: unknown) => {
      if (error instanceof ImportRefused) throw error;
      // A record this installation's database refuses (a constraint, a value out of range): nothing was written.
      const e = error as {
        code?: string;
        detail?: string;
        message?: string;
        cause?: { code?: string; detail?: string; message?: string };
      };
      const db = e.code ? e : e.cause?.code ? e.cause : null;
      if (!db) throw error;
      throw new ImportRefused(`This installation's database refused a record (${db.detail ?? db.message}); nothing was written.`);
    });
  } finally {
    zip.close();
  }
}

/** Map the export's catalog rows to this installation's by natural key; refuse where this one lacks them. */
async function mapCatalog(
  tx: Queryable,
  records: Map<string, Record<string, unknown>[]>,
  remap: (type: string, from: string, to: string) => void,
) {
  const exported = new Map<string, Record<string, unknown>>();
  for (const name of ["catalog_frameworks", "catalog_requirements", "catalog_evidence_kinds"])
    for (const r of records.get(name) ?? []) exported.set(`${name}:${String(r.id)}`, r);
  const lookup = (type: string, id: string) => exported.get(`${type}:${id}`);
  const here = {
    frameworks: await tx.select().from(frameworks),
    requirements: await tx
      .select({ id: requirements.id, frameworkId: requirements.frameworkId, code: requirements.code })
      .from(requirements),
    kinds: await tx.select({ id: evidenceKinds.id, key: evidenceKinds.key }).from(evidenceKinds),
  };
  const frameworkKey = (f: { key: unknown; version: unknown; revision: unknown }) => `${f.key}@${f.version}#${f.revision}`;
  const frameworksHere = new Map(here.frameworks.map((f) => [frameworkKey(f), f.id]));
  const frameworkById = new Map(here.frameworks.map((f) => [f.id, f]));
  const requirementsHere = new Map(
    here.requirements.map((r) => [`${frameworkKey(frameworkById.get(r.frameworkId)!)}:${r.code}`, r.id]),
  );
  const kindsHere = new Map(here.kinds.map((k) => [k.key, k.id]));
  const missing: string[] = [];
  const check = (type: RecordType, row: Record<string, unknown>, found: Map<string, string>) => {
    const key = type.catalog!(row, lookup);
    const id = found.get(key);
    if (!id) missing.push(key);
    else remap(type.name, String(row.id), id);
  };
  for (const r of records.get("catalog_frameworks") ?? []) check(recordType("catalog_frameworks")!, r, frameworksHere);
  for (const r of records.get("catalog_requirements") ?? []) check(recordType("catalog_requirements")!, r, requirementsHere);
  for (const r of records.get("catalog_evidence_kinds") ?? []) check(recordType("catalog_evidence_kinds")!, r, kindsHere);
  if (missing.length > 0)
    throw new ImportRefused(
      `This installation's catalog lacks what the export's records cite: ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""}. Load the same catalog first (npm run db:seed).`,
    );
}

/** The agency's audit events join this installation's log as new entries, their fields unchanged. */
async function importAuditEvents(tx: Queryable, rows: Record<string, unknown>[], map: Map<string, Map<string, string>>) {
  const person = (id: unknown) => (typeof id === "string" ? (map.get("people")?.get(id) ?? id) : null);
  if (rows.length === 0) return;
  const existing = new Set(
    (
      await queryRows<{ id: string }>(
        tx,
        sql`select id::text as id from audit_events where id = any(string_to_array(${rows.map((r) => String(r.id)).join(",")}, ',')::uuid[])`,
      )
    ).map((r) => r.id),
  );
  const events = rows
    .filter((r) => !existing.has(String(r.id)))
    .map((r) => ({
      id: String(r.id),
      occurredAt: new Date(String(r.occurredAt)),
      actorPersonId: person(r.actorPersonId),
      actorSessionId: (r.actorSessionId as string | null) ?? null,
      actorTokenId: (r.actorTokenId as string | null) ?? null,
      actorLabel: (r.actorLabel as string | null) ?? null,
      organisationId: (r.organisationId as string | null) ?? null,
      actorOrganisationId: (r.actorOrganisationId as string | null) ?? null,
      audience: (r.audience as string[] | null) ?? null,
      ip: (r.ip as string | null) ?? null,
      userAgent: (r.userAgent as string | null) ?? null,
      action: String(r.action),
      objectType: (r.objectType as string | null) ?? null,
      objectId: (r.objectId as string | null) ?? null,
      outcome: r.outcome as "success",
      details: (r.details as Record<string, unknown>) ?? {},
    }));
  await appendEvents(tx, events);
}

type OpenZip = {
  entries: Map<string, yauzl.Entry>;
  read(name: string): Promise<Buffer>;
  stream(name: string): Promise<Readable>;
  hash(name: string): Promise<{ sha256: string; bytes: number }>;
  jsonLines(name: string): Promise<Record<string, unknown>[]>;
  close(): void;
};

/** Open a ZIP for random access (its central directory); a truncated file is refused here. */
async function openZip(zipPath: string): Promise<OpenZip> {
  const file = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (error, zip) =>
      error
        ? reject(new ImportRefused(`The file is not a complete ZIP (${error.message}): it is truncated or damaged.`))
        : resolve(zip),
    ),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    file.on("entry", (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      file.readEntry();
    });
    file.once("end", resolve);
    file.once("error", (error: Error) => reject(new ImportRefused(`The ZIP's directory is damaged (${error.message}).`)));
    file.readEntry();
  });
  const stream = (name: string) =>
    new Promise<Readable>((resolve, reject) => {
      const entry = entries.get(name);
      if (!entry) return reject(new ImportRefused(`The entry ${name} is missing: the file is truncated or was changed.`));
      file.openReadStream(entry, (error, s) =>
        error ? reject(new ImportRefused(`The entry ${name} cannot be read (${error.message}).`)) : resolve(s),
      );
    });
  const read = async (name: string) => {
    const chunks: Buffer[] = [];
    for await (const chunk of await stream(name)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  return {
    entries,
    stream,
    read,
    async hash(name) {
      const hash = createHash("sha256");
      let bytes = 0;
      try {
        await pipeline(
          await stream(name),
          new Transform({
            transform(chunk: Buffer, _e, done) {
              hash.update(chunk);
              bytes += chunk.length;
              done();
            },
          }),
        );
      } catch (error) {
        if (error instanceof ImportRefused) throw error;
        throw new ImportRefused(`The entry ${name} cannot be read whole (${(error as Error).message}): the file is damaged.`);
      }
      return { sha256: hash.digest("hex"), bytes };
    },
    async jsonLines(name) {
      const text = (await read(name)).toString("utf8");
      return text
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line, i) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            throw new ImportRefused(`Line ${i + 1} of ${name} is not JSON.`);
          }
        });
    },
    close: () => file.close(),
  };
}

/** The platform administrator's import from the page: the same checks, refusals as messages for the form's fields. */
export async function importAgencyExport(ctx: ModuleContext, blobs: BlobStore, upload: SpooledUpload, publicKeyPem: string) {
  requirePermission(ctx, "platform:organisations");
  const key = publicKeyPem.trim();
  try {
    if (!key.startsWith("-----BEGIN PUBLIC KEY-----")) throw new Error("not a PEM public key");
    createPublicKey(key);
  } catch {
    throw new InvalidInput({
      key: "Paste the exporting installation's public key: the text of its /.well-known/custody-audit-key.pem, from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----.",
    });
  }
  try {
    return await importExport(
      { db: ctx.db as Database, blobs, secrets: ctx.secrets, now: ctx.now, actor: ctx.actor },
      upload.spoolPath,
      key + "\n",
    );
  } catch (error) {
    if (error instanceof ImportRefused) throw new InvalidInput({ file: `Import refused; nothing was written. ${error.message}` });
    throw error;
  }
}
