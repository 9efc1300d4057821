import { createHash, randomUUID } from "node:crypto";
import canonicalize from "canonicalize";
import { asc, desc, gt, sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { auditEvents, type AuditEvent } from "../../../db/schema/audit.ts";

/**
 * The audit trail (CJIS Security Policy v6.0 AU-2, AU-3, AU-8, AU-9, AU-11).
 * Events are collected while a transaction runs and written, hash-chained, in
 * the same transaction just before it commits: no change without its event.
 */

export type AuditOutcome = "success" | "denied" | "failed";

/** Who is acting, as the audit trail records it. */
export type AuditActor = {
  personId: string | null;
  sessionId: string | null;
  tokenId: string | null;
  label: string | null;
  organisationId: string | null;
  ip: string | null;
  userAgent: string | null;
};

export const anonymousActor = (
  client: { ip: string | null; userAgent: string | null } = { ip: null, userAgent: null },
): AuditActor => ({
  personId: null,
  sessionId: null,
  tokenId: null,
  label: null,
  organisationId: null,
  ip: client.ip,
  userAgent: client.userAgent,
});

export const systemActor = (label = "system"): AuditActor => ({ ...anonymousActor(), label });

export type AuditInput = {
  /** "catalog.requirement.read", "auth.login.failed", "person.disable" … */
  action: string;
  objectType?: string;
  objectId?: string;
  outcome?: AuditOutcome;
  /** Before/after of changed fields, bytes of a download, reasons. JSON only. */
  details?: Record<string, unknown>;
  /** The organisation the event concerns, when it is not the actor's own. */
  organisationId?: string | null;
  /** Override who acted (e.g. a failed sign-in names the account tried). */
  actor?: Partial<AuditActor>;
  /** Further organisations whose auditors may read the event (a sign-in: every organisation the person belongs to). */
  audience?: string[];
};

type Pending = AuditInput & { id: string; occurredAt: Date };

const GENESIS = "0".repeat(64);
// A constant naming the audit chain among PostgreSQL advisory locks.
const AUDIT_LOCK_KEY = 72_122_002;

export class AuditRecorder {
  private pending: Pending[] = [];
  /** Organisations that may read every event this recorder writes, besides each event's own (see AuditInput.audience). */
  audience: string[] = [];
  constructor(
    readonly actor: AuditActor,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  record(input: AuditInput) {
    this.pending.push({ ...input, id: randomUUID(), occurredAt: this.clock() });
  }

  get size() {
    return this.pending.length;
  }

  /** Write the collected events in the caller's transaction. */
  async flush(tx: Queryable) {
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    await appendEvents(
      tx,
      events.map((e) => ({
        id: e.id,
        occurredAt: e.occurredAt,
        actorPersonId: e.actor?.personId ?? this.actor.personId,
        actorSessionId: e.actor?.sessionId ?? this.actor.sessionId,
        actorTokenId: e.actor?.tokenId ?? this.actor.tokenId,
        actorLabel: e.actor?.label ?? this.actor.label,
        organisationId: e.organisationId === undefined ? this.actor.organisationId : e.organisationId,
        actorOrganisationId: e.actor?.organisationId ?? this.actor.organisationId,
        audience: audienceList([...(e.audience ?? []), ...this.audience]),
        ip: this.actor.ip,
        userAgent: this.actor.userAgent,
        action: e.action,
        objectType: e.objectType ?? null,
        objectId: e.objectId ?? null,
        outcome: e.outcome ?? "success",
        details: jsonOnly(e.details ?? {}),
      })),
    );
  }
}

const audienceList = (ids: string[]) => (ids.length > 0 ? [...new Set(ids)].sort() : null);

type NewEvent = Omit<AuditEvent, "seq" | "prevHash" | "hash" | "actorOrganisationId" | "audience"> &
  Partial<Pick<AuditEvent, "actorOrganisationId" | "audience">>;

function jsonOnly(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/**
 * What the hash covers: every field of the event except the hash itself. The actor's organisation
 * and the audience (added in migration 0016) count only when present, so earlier events verify as written.
 */
export function hashEvent(event: Omit<AuditEvent, "hash" | "actorOrganisationId" | "audience"> & Partial<AuditEvent>): string {
  const content = canonicalize({
    seq: event.seq,
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actorPersonId: event.actorPersonId,
    actorSessionId: event.actorSessionId,
    actorTokenId: event.actorTokenId,
    actorLabel: event.actorLabel,
    organisationId: event.organisationId,
    ip: event.ip,
    userAgent: event.userAgent,
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId,
    outcome: event.outcome,
    details: event.details,
    prevHash: event.prevHash,
    ...(event.actorOrganisationId ? { actorOrganisationId: event.actorOrganisationId } : {}),
    ...(event.audience && event.audience.length > 0 ? { audience: event.audience } : {}),
  });
  return createHash("sha256").update(content!).digest("hex");
}

/** Append events to the chain. Serialised by a transaction-scoped advisory lock. */
export async function appendEvents(tx: Queryable, events: NewEvent[]) {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [last] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS;
  const rows: AuditEvent[] = [];
  for (const event of events) {
    seq += 1;
    const withChain = {
      ...event,
      actorOrganisationId: event.actorOrganisationId ?? null,
      audience: event.audience ?? null,
      seq,
      prevHash,
    };
    const hash = hashEvent(withChain);
    rows.push({ ...withChain, hash });
    prevHash = hash;
  }
  for (let i = 0; i < rows.length; i += 500) await tx.insert(auditEvents).values(rows.slice(i, i + 500));
}

/** Record events outside any other work (denials, sign-in failures), in their own transaction. */
export async function recordNow(db: Queryable, actor: AuditActor, inputs: AuditInput[], now = new Date()) {
  const recorder = new AuditRecorder(actor, () => now);
  for (const input of inputs) recorder.record(input);
  await db.transaction(async (tx) => recorder.flush(tx));
}

export type VerifyResult =
  | { ok: true; checked: number; first: Date | null; last: Date | null }
  | { ok: false; checked: number; seq: number; id: string | null; problem: string };

/**
 * Walk the whole chain in order and recompute every hash. Reports the first
 * event that does not match, or the first gap where an event was removed.
 */
export async function verifyAuditTrail(db: Queryable, batchSize = 10_000): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let checked = 0;
  let first: Date | null = null;
  let last: Date | null = null;
  for (;;) {
    const batch = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, expectedSeq - 1))
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize);
    if (batch.length === 0) break;
    for (const event of batch) {
      if (event.seq !== expectedSeq) {
        return {
          ok: false,
          checked,
          seq: expectedSeq,
          id: null,
          problem: `event #${expectedSeq} is missing (the next event is #${event.seq}): events were deleted`,
        };
      }
      if (event.prevHash !== prevHash) {
        return {
          ok: false,
          checked,
          seq: event.seq,
          id: event.id,
          problem: `event #${event.seq} does not follow the hash of event #${event.seq - 1}`,
        };
      }
      if (hashEvent(event) !== event.hash) {
        return {
          ok: false,
          checked,
          seq: event.seq,
          id: event.id,
          problem: `event #${event.seq} was altered: its content does not match its hash`,
        };
      }
      first ??= event.occurredAt;
      last = event.occurredAt;
      prevHash = event.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
  return { ok: true, checked, first, last };
}
