import { generateKeyPairSync, randomUUID } from "node:crypto";
import { asc, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  appendEvents,
  AuditRecorder,
  chainHash,
  eventLeafHash,
  recordNow,
  systemActor,
} from "../../app/modules/audit/audit.server.ts";
import { Frontier, verifyConsistency } from "../../app/modules/audit/merkle.server.ts";
import { proveConsistency, proveEvents } from "../../app/modules/audit/proofs.server.ts";
import { sealBatch, Sealer } from "../../app/modules/audit/sealer.server.ts";
import { checkpointNote, createSigner, type CheckpointSigner } from "../../app/modules/audit/signing.server.ts";
import type { CheckpointSink } from "../../app/modules/audit/sinks.server.ts";
import { verifyAuditLog, type VerifyReport } from "../../app/modules/audit/verify.server.ts";
import { queryRows, type DatabaseHandle } from "../../db/client.ts";
import { auditEvents, auditLog } from "../../db/schema/audit.ts";
import { testSigner, tempCheckpointFile } from "../support/audit.ts";
import { createTestDatabase } from "../support/database.ts";

let handle: DatabaseHandle;
let sink: CheckpointSink;
let sealer: Sealer;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

/** Only a superuser can do this: switch triggers off for the session, as an attacker with the database would. */
async function asSuperuserWithoutTriggers(...statements: ReturnType<typeof sql>[]) {
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (const statement of statements) await tx.execute(statement);
  });
}

/** Empty the trail, its queue, log, tree and checkpoints, as only a superuser could. */
const wipeTrail = () =>
  asSuperuserWithoutTriggers(
    sql`delete from audit_events`,
    sql`delete from audit_pending`,
    sql`delete from audit_log`,
    sql`delete from audit_tree_nodes`,
    sql`delete from audit_checkpoints`,
  );

beforeEach(async () => {
  await wipeTrail();
  sink = tempCheckpointFile().sink;
  sealer = new Sealer(handle.db, testSigner, [sink]);
});

async function writeEvents(n: number, label = "test") {
  await recordNow(
    handle.db,
    systemActor(label),
    Array.from({ length: n }, (_, i) => ({
      action: "test.event",
      objectType: "thing",
      objectId: String(i),
      details: { i, nested: { b: 2, a: 1 } },
    })),
  );
}

const verify = async (signer: CheckpointSigner = testSigner, batchSize?: number): Promise<VerifyReport> =>
  verifyAuditLog(handle.db, {
    publicKeyPem: signer.publicKeyPem,
    external: [{ source: "the checkpoint file", checkpoints: await sink.readAll!() }],
    batchSize,
  });

const problemOf = (report: VerifyReport) => (report.ok ? "(none: the log verified)" : report.problem);

describe("writing the audit trail", () => {
  it("writes an event with a plain insert that queues it for the sealer, and the sealer gives it the next position", async () => {
    await writeEvents(3);
    await writeEvents(2);
    const [queued] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from audit_pending`);
    expect(queued!.n).toBe(5);
    expect(await sealer.sealNow()).toEqual({ sealed: 5, treeSize: 5 });
    const log = await handle.db.select().from(auditLog).orderBy(asc(auditLog.position));
    const events = await handle.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(log.map((l) => l.position)).toEqual([0, 1, 2, 3, 4]);
    expect(log.map((l) => l.eventId)).toEqual(events.map((e) => e.id));
    for (const [i, event] of events.entries()) expect(Buffer.from(log[i]!.leafHash).equals(eventLeafHash(event))).toBe(true);
    const report = await verify();
    expect(problemOf(report)).toBe("(none: the log verified)");
    expect(report).toMatchObject({ ok: true, checked: 5, checkpoints: 1, waiting: 0, external: { treeSize: 5 } });
  });

  it("records time in UTC to the millisecond", async () => {
    const at = new Date("2026-11-23T10:11:12.345Z");
    await recordNow(handle.db, systemActor(), [{ action: "test.time" }], at);
    const [row] = await handle.db.select().from(auditEvents);
    expect(row!.occurredAt.toISOString()).toBe("2026-11-23T10:11:12.345Z");
  });

  it("writes an event only when its transaction commits: a failed change leaves no event and nothing queued", async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        const audit = new AuditRecorder(systemActor());
        audit.record({ action: "test.change" });
        await audit.flush(tx);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await handle.db.select().from(auditEvents)).toEqual([]);
    expect(await sealer.sealNow()).toEqual({ sealed: 0, treeSize: 0 });
  });

  it("is refused by the database itself: no update, no delete, no truncate of events, log, tree or checkpoints", async () => {
    await writeEvents(2);
    await sealer.sealNow();
    for (const [table, statements] of [
      [
        "audit_events",
        [sql`update audit_events set action = 'forged'`, sql`delete from audit_events`, sql`truncate audit_events`],
      ],
      ["audit_log", [sql`update audit_log set position = 7`, sql`delete from audit_log`, sql`truncate audit_log`]],
      [
        "audit_tree_nodes",
        [sql`update audit_tree_nodes set level = 9`, sql`delete from audit_tree_nodes`, sql`truncate audit_tree_nodes`],
      ],
      [
        "audit_checkpoints",
        [sql`update audit_checkpoints set tree_size = 1`, sql`delete from audit_checkpoints`, sql`truncate audit_checkpoints`],
      ],
    ] as const) {
      for (const statement of statements) {
        const error = await handle.db.execute(statement).then(
          () => null,
          (e: Error) => e,
        );
        // drizzle wraps the database's own error; the trigger's message is its cause.
        expect(String((error?.cause as Error | undefined)?.message ?? error?.message), table).toMatch(
          /audit events cannot be changed or deleted|the audit log cannot be changed or deleted/,
        );
      }
    }
    expect(await verify()).toMatchObject({ ok: true, checked: 2 });
  });

  it("seals in batches and keeps one tree across seals, with a signed checkpoint at the end of each", async () => {
    await writeEvents(7);
    expect(await sealBatch(handle.db, testSigner, { batch: 3 })).toMatchObject({ sealed: 3, treeSize: 3 });
    expect(await sealBatch(handle.db, testSigner, { batch: 3 })).toMatchObject({ sealed: 3, treeSize: 6 });
    await writeEvents(4);
    expect(await sealBatch(handle.db, testSigner, { batch: 100 })).toMatchObject({ sealed: 5, treeSize: 11 });
    const events = await handle.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    const frontier = Frontier.empty();
    for (const event of events) frontier.append(eventLeafHash(event));
    const [checkpoint] = await queryRows<{ root: Buffer }>(
      handle.db,
      sql`select root_hash as root from audit_checkpoints where tree_size = 11`,
    );
    expect(Buffer.from(checkpoint!.root).equals(frontier.root())).toBe(true);
    expect(await verify(testSigner, 4)).toMatchObject({ ok: true, checked: 11, checkpoints: 3 });
  });

  it("proves to a third party holding an older checkpoint that the newer one only added to the log (RFC 9162 consistency)", async () => {
    await writeEvents(5);
    await sealer.sealNow();
    await writeEvents(9);
    await sealer.sealNow();
    const checkpoints = await queryRows<{ size: number; root: Buffer }>(
      handle.db,
      sql`select tree_size::int as size, root_hash as root from audit_checkpoints order by tree_size`,
    );
    expect(checkpoints.map((c) => c.size)).toEqual([5, 14]);
    const [older, newer] = checkpoints.map((c) => ({ size: c.size, root: Buffer.from(c.root) }));
    const proof = (await proveConsistency(handle.db, older!.size, newer!.size)).map((h) => Buffer.from(h, "hex"));
    expect(verifyConsistency(older!.size, newer!.size, older!.root, newer!.root, proof)).toBe(true);
    expect(verifyConsistency(older!.size, newer!.size, Buffer.alloc(32), newer!.root, proof)).toBe(false);
  });

  it("makes the hash-chained events of before the first leaves of the log, unchanged, and still checks their chain", async () => {
    // Events as the writer of decision 0010 left them: numbered 1, 2, 3 and chained.
    let prevHash = "0".repeat(64);
    const chained = [];
    for (let seq = 1; seq <= 3; seq++) {
      const event = {
        seq,
        id: randomUUID(),
        occurredAt: new Date(`2026-11-0${seq}T12:00:00.000Z`),
        actorPersonId: null,
        actorSessionId: null,
        actorTokenId: null,
        actorLabel: "before",
        organisationId: null,
        actorOrganisationId: null,
        audience: null,
        ip: null,
        userAgent: null,
        action: "test.chained",
        objectType: null,
        objectId: null,
        outcome: "success" as const,
        details: { seq },
        prevHash,
      };
      const hash = chainHash(event);
      chained.push({ ...event, hash });
      prevHash = hash;
    }
    await handle.db.insert(auditEvents).values(chained);
    await writeEvents(2, "after");
    await sealer.sealNow();
    const log = await handle.db.select().from(auditLog).orderBy(asc(auditLog.position));
    expect(log.slice(0, 3).map((l) => l.eventId)).toEqual(chained.map((e) => e.id));
    const stored = await handle.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(stored.slice(0, 3).map((e) => [e.seq, e.hash, e.prevHash])).toEqual(chained.map((e) => [e.seq, e.hash, e.prevHash]));
    expect(await verify()).toMatchObject({ ok: true, checked: 5 });

    await asSuperuserWithoutTriggers(sql`update audit_events set prev_hash = ${"f".repeat(64)} where seq = 2`);
    expect(problemOf(await verify())).toMatch(/at position 1 .* was altered/);
  });
});

/** A transaction that has written its event and stays open until commit() is called. */
async function writeAndHoldOpen(action: string) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const done = handle.db.transaction(async (tx) => {
    const audit = new AuditRecorder(systemActor(action));
    audit.record({ action });
    await audit.flush(tx);
    wrote();
    await held;
  });
  await written;
  return {
    commit: async () => {
      release();
      await done;
    },
  };
}

describe("concurrent writers", () => {
  it.runIf(process.env.DATABASE_URL)(
    "lets two transactions write events at once: neither waits for the other (no lock, no read of earlier events)",
    async () => {
      const first = await writeAndHoldOpen("test.first"); // its event written, not committed
      const second = handle.db.transaction(async (tx) => {
        const audit = new AuditRecorder(systemActor("second"));
        audit.record({ action: "test.second" });
        await audit.flush(tx);
      });
      // The second commits while the first is still open; with one global lock it would wait forever here.
      const outcome = await Promise.race([
        second.then(() => "committed"),
        new Promise((r) => setTimeout(() => r("waited"), 3_000)),
      ]);
      await first.commit();
      expect(outcome).toBe("committed");
    },
  );

  it.runIf(process.env.DATABASE_URL)(
    "never passes over an event that commits late with an earlier number than events already sealed",
    async () => {
      const late = await writeAndHoldOpen("test.late");
      await writeEvents(3, "early");
      expect(await sealer.sealNow()).toEqual({ sealed: 3, treeSize: 3 });
      await late.commit();
      expect(await sealer.sealNow()).toEqual({ sealed: 1, treeSize: 4 });
      const [lateEvent] = await queryRows<{ seq: number; position: number }>(
        handle.db,
        sql`select e.seq::int, l.position::int from audit_events e join audit_log l on l.event_id = e.id where e.action = 'test.late'`,
      );
      const [minSeq] = await queryRows<{ n: number }>(handle.db, sql`select min(seq)::int as n from audit_events`);
      expect(lateEvent).toEqual({ seq: minSeq!.n, position: 3 });
      expect(await verify()).toMatchObject({ ok: true, checked: 4 });
    },
  );

  it("seals every event exactly once while many transactions write and the sealer runs between them", async () => {
    const writers = Array.from({ length: 24 }, (_, w) =>
      (async () => {
        for (let round = 0; round < 5; round++) await writeEvents(1 + ((w + round) % 4), `writer ${w}`);
      })(),
    );
    let sealing = true;
    const sealing$ = (async () => {
      while (sealing) {
        await sealer.sealNow();
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await Promise.all(writers);
    sealing = false;
    await sealing$;
    await sealer.sealNow();
    const [counts] = await queryRows<{ events: number; log: number; distinct: number; pending: number }>(
      handle.db,
      sql`select (select count(*)::int from audit_events) as events, (select count(*)::int from audit_log) as log,
                 (select count(distinct event_id)::int from audit_log) as distinct, (select count(*)::int from audit_pending) as pending`,
    );
    expect(counts!.events).toBe(24 * 5 * 2.5);
    expect(counts).toEqual({ events: counts!.events, log: counts!.events, distinct: counts!.events, pending: 0 });
    expect(await verify()).toMatchObject({ ok: true, checked: counts!.events });
  });
});

describe("audit:verify finds tampering by whoever controls the database", () => {
  beforeEach(async () => {
    await writeEvents(6);
    await sealer.sealNow();
    await writeEvents(4);
    await sealer.sealNow();
    expect(await verify()).toMatchObject({ ok: true, checked: 10 });
  });

  it("names the event whose details were altered behind the trigger's back", async () => {
    const [third] = await queryRows<{ id: string }>(handle.db, sql`select event_id as id from audit_log where position = 2`);
    await asSuperuserWithoutTriggers(sql`update audit_events set details = '{"i": 99}' where id = ${third!.id}`);
    const report = await verify();
    expect(report).toMatchObject({ ok: false, position: 2, eventId: third!.id, checked: 2 });
    expect(problemOf(report)).toMatch(/^the event at position 2 \(#\d+, id [0-9a-f-]+\) was altered/);
  });

  it("finds an event deleted from the middle, with or without its place in the log", async () => {
    const [fourth] = await queryRows<{ id: string }>(handle.db, sql`select event_id as id from audit_log where position = 4`);
    await asSuperuserWithoutTriggers(sql`delete from audit_events where id = ${fourth!.id}`);
    expect(problemOf(await verify())).toBe(
      `the event at position 4 (id ${fourth!.id}) is missing from the events: it was deleted`,
    );
    await asSuperuserWithoutTriggers(sql`delete from audit_log where position = 4`);
    expect(problemOf(await verify())).toBe("position 4 of the log is missing (the next is 5): events were deleted");
  });

  it("finds a deleted tail, even when the tail's log, tree nodes and checkpoints were deleted with it", async () => {
    await asSuperuserWithoutTriggers(
      sql`delete from audit_events where id in (select event_id from audit_log where position >= 6)`,
      sql`delete from audit_log where position >= 6`,
      sql`delete from audit_tree_nodes where (index + 1) * power(2, level) > 6`,
      sql`delete from audit_checkpoints where tree_size > 6`,
    );
    // The database alone now tells a consistent, shorter story; the checkpoint kept outside it does not.
    const report = await verify();
    expect(problemOf(report)).toMatch(
      /^the log holds 6 events, but a checkpoint kept in the checkpoint file \(signed .*\) covers 10: the last 4 events were deleted$/,
    );
  });

  it("finds events reordered in the log", async () => {
    const rows = await queryRows<{ id: string; leaf: Buffer }>(
      handle.db,
      sql`select event_id as id, leaf_hash as leaf from audit_log where position in (1, 2) order by position`,
    );
    await asSuperuserWithoutTriggers(
      sql`delete from audit_log where position in (1, 2)`,
      sql`insert into audit_log (position, event_id, leaf_hash) values (1, ${rows[1]!.id}, ${Buffer.from(rows[1]!.leaf)}), (2, ${rows[0]!.id}, ${Buffer.from(rows[0]!.leaf)})`,
    );
    expect(problemOf(await verify())).toMatch(
      /^the log's first 6 events do not hash to the root in its signed checkpoint: events before that point were altered, reordered, removed or replaced$/,
    );
  });

  it("finds a whole log replaced by a self-consistent fake: re-signed with another key, or with the stolen key", async () => {
    const forge = async (signer: CheckpointSigner) => {
      await wipeTrail();
      await writeEvents(12, "forger");
      await new Sealer(handle.db, signer, []).sealNow();
    };
    const otherKey = createSigner(generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    await forge(otherKey);
    expect(problemOf(await verify())).toBe(
      `the checkpoint at size 12 was signed by key ${otherKey.keyId}, not this installation's key ${testSigner.keyId} (in the database)`,
    );
    await forge(testSigner);
    expect(problemOf(await verify())).toMatch(
      /^the log's first 6 events do not hash to the root in the checkpoint kept in the checkpoint file \(signed .*\)/,
    );
  });

  it("refuses a checkpoint whose signature does not match its note", async () => {
    const [cp] = await queryRows<{ root: Buffer; at: Date; note: string }>(
      handle.db,
      sql`select root_hash as root, issued_at as at, note from audit_checkpoints where tree_size = 10`,
    );
    const forgedNote = checkpointNote({
      treeSize: 10,
      rootHash: Buffer.alloc(32, 7),
      issuedAt: new Date(cp!.at),
      keyId: testSigner.keyId,
    });
    await asSuperuserWithoutTriggers(
      sql`update audit_checkpoints set note = ${forgedNote}, root_hash = ${Buffer.alloc(32, 7)} where tree_size = 10`,
    );
    expect(problemOf(await verify())).toBe("the checkpoint at size 10 does not carry a valid signature (in the database)");
  });

  it("finds an event slipped in behind the triggers, which never reached the log", async () => {
    await asSuperuserWithoutTriggers(
      sql`insert into audit_events (id, occurred_at, action, outcome, details, hash) values (${randomUUID()}, now(), 'test.slipped', 'success', '{}', ${"0".repeat(64)})`,
    );
    expect(problemOf(await verify())).toBe(
      "1 event(s) are neither in the log nor waiting for the sealer: they were written behind the database's triggers",
    );
  });
});

describe("large batches", () => {
  it("proves the events of a record read for years: more ids than a statement may carry parameters", async () => {
    await writeEvents(3);
    await sealer.sealNow();
    const sealed = (await handle.db.select({ id: auditLog.eventId }).from(auditLog)).map((r) => r.id);
    const unknown = Array.from({ length: 70_000 }, () => randomUUID());
    const { proven, notYetSealed } = await proveEvents(handle.db, [...sealed, ...unknown]);
    expect(proven.map((p) => p.position)).toEqual([0, 1, 2]);
    expect(notYetSealed).toHaveLength(70_000);
  });

  it("writes and seals large batches in one go", async () => {
    const events = Array.from({ length: 1200 }, (_, i) => ({
      id: randomUUID(),
      occurredAt: new Date(),
      actorPersonId: null,
      actorSessionId: null,
      actorTokenId: null,
      actorLabel: "bulk",
      organisationId: null,
      ip: null,
      userAgent: null,
      action: "test.bulk",
      objectType: null,
      objectId: String(i),
      outcome: "success" as const,
      details: {},
    }));
    await handle.db.transaction((tx) => appendEvents(tx, events));
    expect(await sealer.sealNow()).toEqual({ sealed: 1200, treeSize: 1200 });
    expect(await verify(testSigner, 500)).toMatchObject({ ok: true, checked: 1200 });
  });
});
