import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash, generateKeyPairSync } from "node:crypto";
import { count, eq } from "drizzle-orm";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../../app/context.ts";
import { seedDemo } from "../../app/demo/seed.server.ts";
import { systemActor } from "../../app/modules/audit/audit.server.ts";
import { createSigner } from "../../app/modules/audit/signing.server.ts";
import { FileSystemBlobStore } from "../../app/modules/blobs/store.server.ts";
import { writeAgencyExport, type Manifest } from "../../app/modules/portability/agency-export.server.ts";
import { importExport, ImportRefused, verifyExport } from "../../app/modules/portability/agency-import.server.ts";
import { recordSchema, RECORD_TYPES } from "../../app/modules/portability/records.server.ts";
import { catalogData } from "../../db/catalog/index.ts";
import { loadCatalog } from "../../db/catalog/load.ts";
import { openDatabase, type DatabaseHandle } from "../../db/client.ts";
import { memberships, organisations, people } from "../../db/schema/access.ts";
import { addOrganisation, appContext, makeAccount, signIn, testClient, testSecrets } from "../support/accounts.ts";
import { acceptInvitation, openInvitation, platformOrganisation } from "../../app/modules/access/accounts.server.ts";
import { totpCode } from "../../app/modules/access/totp.server.ts";
import { action as importAction } from "../../app/routes/admin/import.tsx";
import { testSigner } from "../support/audit.ts";
import { createPostgresDatabase, createTestDatabase } from "../support/database.ts";
import { Ajv2020 } from "ajv/dist/2020.js";
import { pipeline } from "node:stream/promises";
import { and } from "drizzle-orm";
import type { ProvisionedAccount } from "../../app/demo/accounts.server.ts";
import { NotFound } from "../../app/modules/context.server.ts";
import { sweepOrphanBlobs } from "../../app/modules/blobs/sweep.server.ts";
import {
  EXPORT_LINK_HOURS,
  listAgencyExports,
  openAgencyExport,
  requestAgencyExport,
  runNextExport,
} from "../../app/modules/portability/export-jobs.server.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { agencyExports } from "../../db/schema/portability.ts";
import { as, uploadRequest } from "../support/contracts.ts";
import addFormatsModule from "ajv-formats";

/**
 * An agency taken out whole and brought back whole: the demo's Riverside Police Department exported,
 * checked entry by entry, imported into a fresh installation on the other database, and exported again;
 * the two exports hold the same records. A tampered, truncated or foreign file is refused with the
 * entry named, and nothing is written.
 */

const clock = { now: new Date("2026-11-23T15:00:00.000Z") };
const dir = mkdtempSync(path.join(os.tmpdir(), "custody-export-"));
let source: DatabaseHandle;
let context: AppContext;
let agencyId: string;
let firstZip: string;
let manifest: Manifest;
let accounts: ProvisionedAccount[];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  source = await createTestDatabase();
  await loadCatalog(source.db, catalogData);
  context = appContext(source.db, clock);
  accounts = await seedDemo(source.db, testSecrets, clock.now, context.blobs);
  const [riverside] = await source.db.select().from(organisations).where(eq(organisations.name, "Riverside Police Department"));
  agencyId = riverside!.id;
  firstZip = path.join(dir, "first.zip");
  manifest = await exportTo(source, context.blobs, firstZip);
}, 120_000);
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await source?.close();
});

async function exportTo(handle: DatabaseHandle, blobs: FileSystemBlobStore | AppContext["blobs"], file: string) {
  return writeAgencyExport(
    { db: handle.db, blobs, secrets: testSecrets, signer: testSigner, now: clock.now },
    { agencyId, exportedBy: "test" },
    createWriteStream(file),
  );
}

/** A fresh installation: migrated, the same catalog, no demo. On the other kind of database than the source. */
async function freshInstallation(kind: "embedded" | "postgres") {
  let handle: DatabaseHandle;
  if (kind === "embedded") {
    handle = await openDatabase({ inMemory: true });
  } else {
    const { url, drop } = await createPostgresDatabase(process.env.DATABASE_URL!, "custody_import");
    const opened = await openDatabase({ databaseUrl: url, maxConnections: 2 });
    handle = { ...opened, close: async () => (await opened.close(), await drop()) };
  }
  await handle.migrate();
  await loadCatalog(handle.db, catalogData);
  closers.push(() => handle.close());
  const blobs = new FileSystemBlobStore(mkdtempSync(path.join(os.tmpdir(), "custody-import-blobs-")));
  return { handle, blobs };
}

async function importInto(target: Awaited<ReturnType<typeof freshInstallation>>, zip: string) {
  return importExport(
    { db: target.handle.db, blobs: target.blobs, secrets: testSecrets, now: clock.now, actor: systemActor("import test") },
    zip,
    testSigner.publicKeyPem,
  );
}

/** Every record of an export, per type, with what belongs to the installation rather than the agency set aside. */
async function recordsOf(zipPath: string) {
  const zip = await JSZip.loadAsync(readFileSync(zipPath));
  const raw = new Map<string, Record<string, unknown>[]>();
  for (const t of RECORD_TYPES) {
    const text = (await zip.file(`records/${t.name}.jsonl`)?.async("string")) ?? "";
    raw.set(
      t.name,
      text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
  }
  // Catalog ids are each installation's own: name catalog rows by their natural key instead.
  const natural = new Map<string, string>();
  const fw = new Map(raw.get("catalog_frameworks")!.map((f) => [f.id as string, `${f.key}@${f.version}#${f.revision}`]));
  for (const [id, key] of fw) natural.set(id, key);
  for (const r of raw.get("catalog_requirements")!) natural.set(r.id as string, `${fw.get(r.frameworkId as string)}:${r.code}`);
  for (const k of raw.get("catalog_evidence_kinds")!) natural.set(k.id as string, String(k.key));
  // What the importing installation sets for itself: the sealing of files under its own key, and an
  // event's place and hash in its own log.
  const own = new Set(["blobSha256", "keyId", "nonce", "authTag", "seq", "hash", "prevHash"]);
  const normal = new Map<string, string[]>();
  for (const [name, rows] of raw) {
    if (name.startsWith("catalog_")) {
      // Catalog rows are this installation's own load of the same catalog: compared by natural key.
      normal.set(name, rows.map((r) => natural.get(r.id as string)!).sort());
      continue;
    }
    normal.set(
      name,
      rows
        .filter((r) => !(name === "audit_events" && String(r.action) === "agency.import"))
        .map((r) =>
          JSON.stringify(
            Object.fromEntries(
              Object.entries(r)
                .filter(([k]) => !own.has(k))
                .map(([k, v]) => [k, typeof v === "string" && natural.has(v) ? natural.get(v) : v]),
            ),
          ),
        )
        .sort(),
    );
  }
  return normal;
}

describe("the agency export", () => {
  it("holds every record type with its JSON Schema, CSV twins of the main tables, every file under its SHA-256, and a signed manifest", async () => {
    const zip = await JSZip.loadAsync(readFileSync(firstZip));
    const names = Object.keys(zip.files);
    for (const t of RECORD_TYPES) {
      expect(names).toContain(`records/${t.name}.jsonl`);
      expect(names).toContain(`schemas/${t.name}.schema.json`);
    }
    expect(names).toEqual(
      expect.arrayContaining([
        "csv/contracts.csv",
        "csv/coverage_entries.csv",
        "csv/evidence_items.csv",
        "manifest.json",
        "manifest.sig.json",
      ]),
    );
    // The manifest lists every other entry with its SHA-256 and size.
    const listed = new Map(manifest.entries.map((e) => [e.path, e]));
    for (const name of names.filter((n) => !n.startsWith("manifest"))) {
      const bytes = await zip.file(name)!.async("nodebuffer");
      expect(listed.get(name)?.sha256, name).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(listed.get(name)?.bytes, name).toBe(bytes.length);
    }
    // Files are decrypted, and named by the hash the records carry.
    const evidenceFiles = manifest.entries.find((e) => e.path === "records/evidence_files.jsonl")!;
    expect(evidenceFiles.records).toBeGreaterThan(0);
    const files = names.filter((n) => /^files\/[0-9a-f]{64}$/.test(n));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = await zip.file(f)!.async("nodebuffer");
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(f.slice(6));
    }
    // No credential leaves: no password hash, TOTP secret, token or recovery code.
    const peopleText = await zip.file("records/people.jsonl")!.async("string");
    expect(peopleText).not.toMatch(/passwordHash|totpSecret|\$argon2/);
    expect(names.some((n) => /token|recovery|session|invitation/.test(n))).toBe(false);
    // Only Riverside's own: no other agency's memberships or vendor records.
    for (const m of peopleLines(await zip.file("records/memberships.jsonl")!.async("string")))
      expect(m.organisationId).toBe(agencyId);
    for (const p of peopleLines(await zip.file("records/vendor_profiles.jsonl")!.async("string")))
      expect(p.agencyId).toBe(agencyId);
  });

  it("validates every record line against its own JSON Schema", async () => {
    const zip = await JSZip.loadAsync(readFileSync(firstZip));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    (
      (addFormatsModule as unknown as { default?: (a: unknown) => void }).default ??
      (addFormatsModule as unknown as (a: unknown) => void)
    )(ajv);
    for (const t of RECORD_TYPES) {
      const schema = JSON.parse(await zip.file(`schemas/${t.name}.schema.json`)!.async("string"));
      expect(schema).toEqual(JSON.parse(JSON.stringify(recordSchema(t))));
      const validate = ajv.compile(schema);
      for (const line of peopleLines(await zip.file(`records/${t.name}.jsonl`)!.async("string")))
        expect(validate(line) ? [] : validate.errors, `${t.name} ${JSON.stringify(line).slice(0, 80)}`).toEqual([]);
    }
  });

  it("signs the manifest with the installation's key, so a check with that key passes", async () => {
    const checked = await verifyExport(firstZip, testSigner.publicKeyPem);
    expect(checked.agency).toEqual({ id: agencyId, name: "Riverside Police Department" });
  });
});

describe("importing an export", () => {
  it("brings the agency into a fresh installation on the other database, and exporting it there gives the same records", async () => {
    // On PostgreSQL (CI's second run) the source is PostgreSQL and the target embedded; then back below.
    const target = await freshInstallation("embedded");
    const result = await importInto(target, firstZip);
    expect(result.agency.id).toBe(agencyId);
    expect(result.files).toBeGreaterThan(0);
    // Every active member is invited afresh to the same record; no credential came across.
    expect(result.invitations.length).toBeGreaterThan(0);
    const secondZip = path.join(dir, "second.zip");
    await exportTo(target.handle, target.blobs, secondZip);
    const [a, b] = [await recordsOf(firstZip), await recordsOf(secondZip)];
    for (const t of RECORD_TYPES) expect(b.get(t.name), t.name).toEqual(a.get(t.name));
    // Accepting the link sets up the imported record itself: same id, so what the person did before stays theirs.
    const invited = result.invitations[0]!;
    const [record] = await target.handle.db.select().from(people).where(eq(people.email, invited.email));
    expect(record!.passwordHash).toBeNull();
    const view = await openInvitation(target.handle.db, testSecrets, invited.token, clock.now);
    expect(view).toMatchObject({ usable: true, existingAccount: false });
    const secret = view.usable ? view.enrolment.manualKey.replace(/\s/g, "") : "";
    const accepted = await acceptInvitation(
      target.handle.db,
      testSecrets,
      invited.token,
      { name: record!.name, password: "a long and unusual pass phrase", code: totpCode(secret, clock.now) },
      testClient,
      clock.now,
    );
    expect(accepted.personId).toBe(record!.id);
    const held = await target.handle.db.select().from(memberships).where(eq(memberships.personId, record!.id));
    expect(held.filter((m) => m.endedAt === null)).toHaveLength(1);
    if (process.env.DATABASE_URL) {
      // PostgreSQL → embedded above; now embedded → PostgreSQL, and the records hold again.
      const back = await freshInstallation("postgres");
      await importInto(back, secondZip);
      const thirdZip = path.join(dir, "third.zip");
      await exportTo(back.handle, back.blobs, thirdZip);
      const c = await recordsOf(thirdZip);
      for (const t of RECORD_TYPES) expect(c.get(t.name), t.name).toEqual(a.get(t.name));
    }
  }, 120_000);

  it("refuses an export whose entry was changed, naming it, and writes nothing", async () => {
    const zip = await JSZip.loadAsync(readFileSync(firstZip));
    const text = await zip.file("records/coverage_entries.jsonl")!.async("string");
    zip.file("records/coverage_entries.jsonl", text.replace("addressed", "missing"));
    const tampered = path.join(dir, "tampered.zip");
    writeFileSync(tampered, await zip.generateAsync({ type: "nodebuffer" }));
    const target = await freshInstallation("embedded");
    await expect(importInto(target, tampered)).rejects.toThrow(/records\/coverage_entries\.jsonl does not match the manifest/);
    const [n] = await target.handle.db.select({ n: count() }).from(people);
    expect(n!.n).toBe(0);
  });

  it("refuses a manifest changed after signing, an added entry, a truncated file and another installation's key", async () => {
    const target = await freshInstallation("embedded");
    const write = async (name: string, change: (zip: JSZip) => Promise<void>) => {
      const zip = await JSZip.loadAsync(readFileSync(firstZip));
      await change(zip);
      const file = path.join(dir, name);
      writeFileSync(file, await zip.generateAsync({ type: "nodebuffer" }));
      return file;
    };
    const manifestChanged = await write("manifest.zip", async (zip) => {
      const m = JSON.parse(await zip.file("manifest.json")!.async("string")) as Manifest;
      m.entries = m.entries.filter((e) => e.path !== "records/audit_events.jsonl");
      zip.file("manifest.json", JSON.stringify(m, null, 2) + "\n");
    });
    await expect(importInto(target, manifestChanged)).rejects.toThrow(/signature does not match its text/);
    const added = await write("added.zip", async (zip) => void zip.file("records/extra.jsonl", "{}\n"));
    await expect(importInto(target, added)).rejects.toThrow(/records\/extra\.jsonl is not in the manifest/);
    const truncated = path.join(dir, "truncated.zip");
    const whole = readFileSync(firstZip);
    writeFileSync(truncated, whole.subarray(0, whole.length - 2000));
    await expect(importInto(target, truncated)).rejects.toBeInstanceOf(ImportRefused);
    const stranger = createSigner(generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    await expect(
      importExport(
        { db: target.handle.db, blobs: target.blobs, secrets: testSecrets, now: clock.now, actor: systemActor("import test") },
        firstZip,
        stranger.publicKeyPem,
      ),
    ).rejects.toThrow(/not by the key you trust/);
    const [n] = await target.handle.db.select({ n: count() }).from(people);
    expect(n!.n).toBe(0);
  });

  it("lets a platform administrator import from the page, with the invitation links shown once, and refuses a wrong key by the field", async () => {
    const target = await freshInstallation("embedded");
    const platform = await platformOrganisation(target.handle.db);
    const admin = await makeAccount(target.handle.db, platform.id, "platform-admin", clock.now);
    const { cookie } = await signIn(target.handle.db, admin, clock.now);
    const targetContext = { ...appContext(target.handle.db, clock), blobs: target.blobs };
    const bytes = readFileSync(firstZip);
    const post = (key: string) =>
      importAction({
        request: uploadRequest("/admin/import", cookie, { name: "riverside.zip", type: "application/zip", bytes }, { key }),
        params: {},
        context: targetContext,
      } as never) as Promise<unknown>;
    const refused = (await post("not a key")) as { data: { errors: Record<string, string> }; init: { status: number } };
    expect(refused.init.status).toBe(400);
    expect(refused.data.errors.key).toMatch(/^Paste the exporting installation's public key/);
    const [before] = await target.handle.db.select({ n: count() }).from(organisations);
    const imported = (await post(testSigner.publicKeyPem)) as { imported: { agency: string; invitations: { link: string }[] } };
    expect(imported.imported.agency).toBe("Riverside Police Department");
    expect(imported.imported.invitations[0]!.link).toMatch(/^http:\/\/custody\.test\/invitations\/[A-Za-z0-9_-]+$/);
    const [after] = await target.handle.db.select({ n: count() }).from(organisations);
    expect(after!.n).toBeGreaterThan(before!.n);
    const again = (await post(testSigner.publicKeyPem)) as { data: { errors: Record<string, string> } };
    expect(again.data.errors.file).toMatch(
      /^Import refused; nothing was written\. Riverside Police Department .* is already in this installation/,
    );
  }, 60_000);

  it("refuses an agency whose ORI another agency here already holds, and writes nothing", async () => {
    const target = await freshInstallation("embedded");
    const [riverside] = await source.db.select().from(organisations).where(eq(organisations.id, agencyId));
    await addOrganisation(target.handle.db, {
      kind: "agency",
      name: "Riverside PD (set up by hand)",
      state: riverside!.state ?? "VA",
      ori: riverside!.ori!,
    });
    const [before] = await target.handle.db.select({ n: count() }).from(people);
    await expect(importInto(target, firstZip)).rejects.toThrow(/already has the ORI .*; an import does not merge/);
    const [after] = await target.handle.db.select({ n: count() }).from(people);
    expect(after!.n).toBe(before!.n);
  });

  it("refuses to import an agency the installation already holds", async () => {
    await expect(
      importExport(
        { db: source.db, blobs: context.blobs, secrets: testSecrets, now: clock.now, actor: systemActor("import test") },
        firstZip,
        testSigner.publicKeyPem,
      ),
    ).rejects.toThrow(/already in this installation/);
  });
});

describe("export jobs", () => {
  const admin = () => accounts.find((a) => a.role === "agency-admin" && a.organisation === "Riverside Police Department")!;
  const worker = () => ({ db: source.db, blobs: context.blobs, secrets: testSecrets, signer: testSigner, now: () => clock.now });

  it("writes an asked-for export in the background, offers it to the agency's administrator until the link expires, and records the download", async () => {
    const asked = await as(source.db, admin(), clock.now, (ctx) => requestAgencyExport(ctx));
    expect(asked.job.status).toBe("queued");
    // Asking again while it waits does not start a second one.
    const again = await as(source.db, admin(), clock.now, (ctx) => requestAgencyExport(ctx));
    expect(again).toMatchObject({ already: true, job: { id: asked.job.id } });
    await expect(as(source.db, admin(), clock.now, (ctx) => openAgencyExport(ctx, context.blobs, asked.job.id))).rejects.toThrow(
      /not finished/,
    );
    expect(await runNextExport(worker())).toBe(true);
    const [listed] = await as(source.db, admin(), clock.now, (ctx) => listAgencyExports(ctx));
    expect(listed).toMatchObject({ id: asked.job.id, status: "complete", percent: 100 });
    expect(listed!.itemsDone).toBe(listed!.itemsTotal);
    const file = await as(source.db, admin(), clock.now, (ctx) => openAgencyExport(ctx, context.blobs, asked.job.id));
    const downloaded = path.join(dir, "downloaded.zip");
    await pipeline(file.stream, createWriteStream(downloaded));
    expect(createHash("sha256").update(readFileSync(downloaded)).digest("hex")).toBe(listed!.sha256);
    expect((await verifyExport(downloaded, testSigner.publicKeyPem)).agency.id).toBe(agencyId);
    const [event] = await source.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "agency.export.download"), eq(auditEvents.objectId, asked.job.id)));
    expect(event!.details).toMatchObject({ sha256: listed!.sha256 });
    // Past its link's lifetime the file is refused, and the orphan sweep may remove it.
    const later = new Date(clock.now.getTime() + (EXPORT_LINK_HOURS + 1) * 3_600_000);
    await expect(as(source.db, admin(), later, (ctx) => openAgencyExport(ctx, context.blobs, asked.job.id))).rejects.toThrow(
      /link has expired/,
    );
    // The sweep keeps the file while its link lasts, and removes it after (it holds decrypted records).
    const [stored] = await source.db.select().from(agencyExports).where(eq(agencyExports.id, asked.job.id));
    const wellAfterUpload = new Date(Date.now() + 2 * 3_600_000);
    await source.db
      .update(agencyExports)
      .set({ expiresAt: new Date(wellAfterUpload.getTime() + 3_600_000) })
      .where(eq(agencyExports.id, asked.job.id));
    await sweepOrphanBlobs(source.db, context.blobs, wellAfterUpload);
    expect(await context.blobs.has(stored!.blobSha256!)).toBe(true);
    await source.db.update(agencyExports).set({ expiresAt: later }).where(eq(agencyExports.id, asked.job.id));
    await sweepOrphanBlobs(source.db, context.blobs, wellAfterUpload);
    expect(await context.blobs.has(stored!.blobSha256!)).toBe(false);
  }, 60_000);

  it("starts again from the beginning a job a stopped server left half-written, and offers nothing until it is whole", async () => {
    const asked = await as(source.db, admin(), clock.now, (ctx) => requestAgencyExport(ctx));
    // A server took it and stopped: running, its heartbeat old, no file.
    await source.db
      .update(agencyExports)
      .set({
        status: "running",
        attempts: 1,
        startedAt: clock.now,
        heartbeatAt: new Date(clock.now.getTime() - 60_000),
        itemsDone: 40,
      })
      .where(eq(agencyExports.id, asked.job.id));
    await expect(as(source.db, admin(), clock.now, (ctx) => openAgencyExport(ctx, context.blobs, asked.job.id))).rejects.toThrow(
      /not finished/,
    );
    expect(await runNextExport(worker())).toBe(true);
    const [job] = await source.db.select().from(agencyExports).where(eq(agencyExports.id, asked.job.id));
    expect(job).toMatchObject({ status: "complete", attempts: 2 });
    const restarts = await source.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "agency.export.restart"), eq(auditEvents.objectId, asked.job.id)));
    expect(restarts).toHaveLength(1);
    // A job still beating is another copy's: left alone.
    const busy = await as(source.db, admin(), clock.now, (ctx) => requestAgencyExport(ctx));
    await source.db
      .update(agencyExports)
      .set({ status: "running", attempts: 1, heartbeatAt: clock.now })
      .where(eq(agencyExports.id, busy.job.id));
    expect(await runNextExport(worker())).toBe(false);
  }, 60_000);

  it("does not let another agency's administrator see or take the file (404)", async () => {
    const stranger = accounts.find((a) => a.role === "agency-admin" && a.organisation !== "Riverside Police Department")!;
    const [riversideJob] = await source.db.select().from(agencyExports).where(eq(agencyExports.agencyId, agencyId));
    await expect(
      as(source.db, stranger, clock.now, (ctx) => openAgencyExport(ctx, context.blobs, riversideJob!.id)),
    ).rejects.toBeInstanceOf(NotFound);
    expect((await as(source.db, stranger, clock.now, (ctx) => listAgencyExports(ctx))).some((e) => e.agencyId === agencyId)).toBe(
      false,
    );
  });
});

function peopleLines(text: string) {
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
