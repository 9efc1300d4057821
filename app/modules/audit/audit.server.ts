import { createHash, randomUUID } from "node:crypto";
import canonicalize from "canonicalize";
import { type Column, getTableColumns } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { auditEvents, type AuditEvent } from "../../../db/schema/audit.ts";
import { leafHash } from "./merkle.server.ts";

/**
 * The audit trail (CJIS Security Policy v6.0 AU-2, AU-3, AU-8, AU-9, AU-11).
 * Events are collected while a transaction runs and written in the same transaction just before
 * it commits: no change without its event. The sealer (sealer.server.ts) then puts them in the
 * Merkle-tree log whose signed checkpoints are kept outside the database (decision 0026).
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

let writing = true;
/**
 * The benchmark's switch (CUSTODY_BENCH_SKIP_AUDIT=1, refused unless NODE_ENV=test): events are
 * collected but not written, so the bench can set a page's cost against the same page unaudited.
 */
export function skipAuditWritingForBenchmark() {
  writing = false;
}

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
    if (!writing) return void (this.pending = []);
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
 * The bytes an event is in the log: its canonical JSON (RFC 8785). A hash-chained event (written
 * before migration 0020) keeps the content its chain hash covered, seq and prevHash included, so
 * it verifies as written; a later event's entry is every field but seq (the log gives its place).
 */
export function eventEntry(event: Omit<AuditEvent, "seq" | "hash"> & { seq?: number | null }): string {
  if (event.prevHash != null) return chainedContent(event as Omit<AuditEvent, "hash">);
  // RFC 8785 by hand for this fixed shape (keys in UTF-16 order, values as JSON.stringify writes them),
  // canonicalize() only for the free-form details: verification reads a million of these (decision 0026).
  const j = JSON.stringify;
  const audience = event.audience && event.audience.length > 0 ? event.audience : null;
  return (
    `{"action":${j(event.action)},"actorLabel":${j(event.actorLabel)},"actorOrganisationId":${j(event.actorOrganisationId ?? null)}` +
    `,"actorPersonId":${j(event.actorPersonId)},"actorSessionId":${j(event.actorSessionId)},"actorTokenId":${j(event.actorTokenId)}` +
    `,"audience":${j(audience)},"details":${canonicalize(event.details)!},"id":${j(event.id)},"ip":${j(event.ip)}` +
    `,"objectId":${j(event.objectId)},"objectType":${j(event.objectType)},"occurredAt":${j(event.occurredAt.toISOString())}` +
    `,"organisationId":${j(event.organisationId)},"outcome":${j(event.outcome)},"userAgent":${j(event.userAgent)},"v":2}`
  );
}

/**
 * What a hash-chained event's hash covers: every field except the hash itself. The actor's
 * organisation and the audience (migration 0016) count only when present.
 */
function chainedContent(event: Omit<AuditEvent, "hash">): string {
  return canonicalize({
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
  })!;
}

/** A hash-chained event's own hash: SHA-256 of its content (it names the previous event's). */
export function chainHash(event: Omit<AuditEvent, "hash">): string {
  return createHash("sha256").update(chainedContent(event)).digest("hex");
}

/** The event's RFC 9162 leaf hash: SHA-256 over 0x00 and its entry. */
export function eventLeafHash(event: Omit<AuditEvent, "seq" | "hash"> & { seq?: number | null }): Buffer {
  return leafHash(eventEntry(event));
}

/**
 * Append events: a plain insert, with no lock and no read of earlier events. Each carries its own
 * leaf hash; the insert trigger queues it for the sealer, which gives it its place in the log.
 */
export async function appendEvents(tx: Queryable, events: NewEvent[]) {
  const rows = events.map((event) => {
    const row = {
      ...event,
      actorOrganisationId: event.actorOrganisationId ?? null,
      audience: event.audience ?? null,
      prevHash: null,
    };
    return { ...row, hash: eventLeafHash(row).toString("hex") };
  });
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const params = chunk.flatMap((row) =>
      EVENT_COLUMNS.map(([key, column]) => (row[key] == null ? null : column.mapToDriverValue(row[key]))),
    );
    // Named, so postgres.js also keeps it prepared on each connection (PGlite keeps its plan in db/pglite-statements.ts).
    await tx._.session
      .prepareQuery({ sql: insertEventsText(chunk.length), params }, undefined, "custody_audit_insert", false)
      .execute();
  }
}

/**
 * The insert every audited request runs, as fixed text with one placeholder per value: drizzle's query
 * builder is skipped (building it took 0.1–0.2 ms a request, decision 0036), and the same text each time
 * lets the embedded database keep its plan (db/pglite-statements.ts). The columns are
 * the table's own, in its order, but the sequence number (the database numbers the event); each value goes
 * to the driver as drizzle would send it (the column's own mapping: dates as ISO text, details as JSON).
 */
const EVENT_COLUMNS = Object.entries(getTableColumns(auditEvents)).filter(([key]) => key !== "seq") as [
  Exclude<keyof AuditEvent, "seq">,
  Column,
][];
const insertTexts = new Map<number, string>();
function insertEventsText(count: number) {
  let text = insertTexts.get(count);
  if (!text) {
    const width = EVENT_COLUMNS.length;
    const rows = Array.from({ length: count }, (_, r) => `(${EVENT_COLUMNS.map((_, c) => `$${r * width + c + 1}`).join(", ")})`);
    text = `insert into "audit_events" (${EVENT_COLUMNS.map(([, column]) => `"${column.name}"`).join(", ")}) values ${rows.join(", ")}`;
    if (insertTexts.size < 16) insertTexts.set(count, text);
  }
  return text;
}

/** Record events outside any other work (denials, sign-in failures), in their own transaction. */
export async function recordNow(db: Queryable, actor: AuditActor, inputs: AuditInput[], now = new Date()) {
  const recorder = new AuditRecorder(actor, () => now);
  for (const input of inputs) recorder.record(input);
  await db.transaction(async (tx) => recorder.flush(tx));
}
