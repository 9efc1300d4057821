import { asc, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appendEvents, AuditRecorder, recordNow, systemActor, verifyAuditTrail } from "../../app/modules/audit/audit.server.ts";
import type { DatabaseHandle } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/audit.ts";
import { createTestDatabase } from "../support/database.ts";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

/** Only a superuser can do this: switch triggers off for the session, as an attacker with the database would. */
async function asSuperuserWithoutTriggers(statement: ReturnType<typeof sql>) {
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

async function resetTrail() {
  await asSuperuserWithoutTriggers(sql`delete from audit_events`);
}

async function writeEvents(n: number) {
  await recordNow(
    handle.db,
    systemActor("test"),
    Array.from({ length: n }, (_, i) => ({
      action: "test.event",
      objectType: "thing",
      objectId: String(i),
      details: { i, nested: { b: 2, a: 1 } },
    })),
  );
}

beforeEach(resetTrail);

describe("the audit trail", () => {
  it("numbers events without gaps and chains each to the previous one's hash", async () => {
    await writeEvents(3);
    await writeEvents(2);
    const rows = await handle.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prevHash).toBe("0".repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(await verifyAuditTrail(handle.db)).toMatchObject({ ok: true, checked: 5 });
  });

  it("records time in UTC to the millisecond", async () => {
    const at = new Date("2026-11-23T10:11:12.345Z");
    await recordNow(handle.db, systemActor(), [{ action: "test.time" }], at);
    const [row] = await handle.db.select().from(auditEvents);
    expect(row!.occurredAt.toISOString()).toBe("2026-11-23T10:11:12.345Z");
  });

  it("writes an event only when its transaction commits: a failed change leaves no event", async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        const audit = new AuditRecorder(systemActor());
        audit.record({ action: "test.change" });
        await audit.flush(tx);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await handle.db.select().from(auditEvents)).toEqual([]);
  });

  it("is refused by the database itself: no update, no delete, no truncate", async () => {
    await writeEvents(1);
    for (const statement of [
      sql`update audit_events set action = 'forged'`,
      sql`delete from audit_events`,
      sql`truncate audit_events`,
    ]) {
      const error = await handle.db.execute(statement).then(
        () => null,
        (e: Error) => e,
      );
      // drizzle wraps the database's own error; the trigger's message is its cause.
      expect(String((error?.cause as Error | undefined)?.message ?? error?.message)).toMatch(
        /audit events cannot be changed or deleted/,
      );
    }
    expect(await handle.db.select().from(auditEvents)).toHaveLength(1);
  });

  it("names exactly the event whose details were altered behind the trigger's back", async () => {
    await writeEvents(5);
    await asSuperuserWithoutTriggers(sql`update audit_events set details = '{"i": 99}' where seq = 3`);
    const result = await verifyAuditTrail(handle.db);
    expect(result).toMatchObject({ ok: false, seq: 3, checked: 2 });
    expect(result.ok ? "" : result.problem).toBe("event #3 was altered: its content does not match its hash");
  });

  it("reports the gap where an event was deleted behind the trigger's back", async () => {
    await writeEvents(5);
    await asSuperuserWithoutTriggers(sql`delete from audit_events where seq = 4`);
    const result = await verifyAuditTrail(handle.db, 2);
    expect(result).toMatchObject({ ok: false, seq: 4, checked: 3 });
    expect(result.ok ? "" : result.problem).toBe("event #4 is missing (the next event is #5): events were deleted");
  });

  it("keeps the chain whole when many transactions write at once", async () => {
    await Promise.all(Array.from({ length: 10 }, () => writeEvents(3)));
    expect(await verifyAuditTrail(handle.db)).toMatchObject({ ok: true, checked: 30 });
  });

  it("writes large batches in one go", async () => {
    const events = Array.from({ length: 1200 }, (_, i) => ({
      id: crypto.randomUUID(),
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
    expect(await verifyAuditTrail(handle.db, 500)).toMatchObject({ ok: true, checked: 1200 });
  });
});
