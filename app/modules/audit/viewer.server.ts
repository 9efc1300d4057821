import { and, arrayContains, asc, desc, eq, gt, gte, ilike, inArray, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "../../../db/client.ts";
import { organisations, people } from "../../../db/schema/access.ts";
import { auditEvents, type AuditEvent } from "../../../db/schema/audit.ts";
import { isUuid, NotFound, orgOf, requirePermission, type Actor, type ModuleContext } from "../context.server.ts";
import { buildReceipt, type Receipt } from "./proofs.server.ts";
import { labelEvents, type EventLabels } from "./labels.server.ts";
import { formatAddress } from "../format.ts";

/**
 * Reading the audit trail (for administrators and auditors). An agency's or
 * vendor's reader sees the events concerning their organisation and those whose
 * audience includes it (its people's sign-ins and sign-outs, and a vendor's
 * people's for the agencies it serves: see access/audience.server.ts); a platform
 * administrator sees all. Every read of the trail is itself recorded.
 */

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "Enter a real date: month, day and year." })
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), { message: "Enter a real date." });

export const AuditFilterSchema = z
  .object({
    person: z.string().trim().max(254).optional(),
    action: z
      .string()
      .trim()
      .max(100)
      .regex(/^[a-z0-9.:-]*$/, { message: "Use the action's name, like auth.login.failed." })
      .optional(),
    objectType: z.string().trim().max(50).optional(),
    objectId: z.string().trim().max(100).optional(),
    from: day.optional(),
    to: day.optional(),
    organisationId: z.string().uuid({ message: "Choose an organization from the list." }).optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "The start date must not be after the end date.", path: ["to"] });

export type AuditFilter = z.infer<typeof AuditFilterSchema>;

/** Parse query-string filters; empty fields are ignored. Returns the filter or field errors. */
export function parseAuditFilter(params: URLSearchParams): { filter: AuditFilter; errors: Record<string, string> } {
  const raw = Object.fromEntries([...params].filter(([k, v]) => v.trim() !== "" && k !== "before"));
  const result = AuditFilterSchema.safeParse(raw);
  if (result.success) return { filter: result.data, errors: {} };
  return { filter: {}, errors: Object.fromEntries(result.error.issues.map((i) => [String(i.path[0] ?? "form"), i.message])) };
}

function conditions(ctx: ModuleContext, filter: AuditFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  parts.push(readerScope(ctx.actor));
  if (ctx.actor.organisationKind === "platform" && filter.organisationId)
    parts.push(eq(auditEvents.organisationId, filter.organisationId));
  if (filter.person) {
    const like = `%${filter.person.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // By id, or by the label the event was written with, or by the name or e-mail of the person who acted
    // (an idle timeout is written before the person is signed in again, under no label of theirs).
    parts.push(
      /^[0-9a-f-]{36}$/i.test(filter.person)
        ? eq(auditEvents.actorPersonId, filter.person)
        : or(
            ilike(auditEvents.actorLabel, like),
            inArray(
              auditEvents.actorPersonId,
              ctx.db
                .select({ id: people.id })
                .from(people)
                .where(or(ilike(people.email, like), ilike(people.name, like))),
            ),
          ),
    );
  }
  if (filter.action) parts.push(or(eq(auditEvents.action, filter.action), ilike(auditEvents.action, `${filter.action}.%`)));
  if (filter.objectType) parts.push(eq(auditEvents.objectType, filter.objectType));
  if (filter.objectId) parts.push(eq(auditEvents.objectId, filter.objectId));
  if (filter.from) parts.push(gte(auditEvents.occurredAt, new Date(`${filter.from}T00:00:00.000Z`)));
  if (filter.to) parts.push(lt(auditEvents.occurredAt, new Date(Date.parse(`${filter.to}T00:00:00.000Z`) + 86_400_000)));
  return and(...parts);
}

/** What a reader may see: everything for the platform, else events concerning their organisation or addressed to it. */
function readerScope(actor: Actor): SQL | undefined {
  if (actor.organisationKind === "platform") return undefined;
  const own = orgOf({ actor });
  return or(eq(auditEvents.organisationId, own), arrayContains(auditEvents.audience, [own]));
}

/** The organisations a reader may filter by: all of them for a platform administrator, else none to choose. */
export async function auditOrganisations(ctx: ModuleContext) {
  if (ctx.actor.organisationKind !== "platform") return [];
  return ctx.db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.name));
}

export const AUDIT_PAGE_SIZE = 100;

/** One page of events, newest first; `before` continues from an earlier page. */
export async function listAuditEvents(ctx: ModuleContext, filter: AuditFilter, before?: number) {
  const where = and(conditions(ctx, filter), before ? lt(auditEvents.seq, before) : undefined);
  const rows = await ctx.db
    .select()
    .from(auditEvents)
    .where(where)
    .orderBy(desc(auditEvents.seq))
    .limit(AUDIT_PAGE_SIZE + 1);
  ctx.audit.record({
    action: "audit.read",
    objectType: "audit-trail",
    details: { filter, before: before ?? null, returned: Math.min(rows.length, AUDIT_PAGE_SIZE) },
  });
  const events = rows.slice(0, AUDIT_PAGE_SIZE);
  const labels = await labelEvents(ctx.db, ctx.actor, events);
  return {
    events: events.map((e, i) => ({ ...e, labels: labels[i]! })),
    next: rows.length > AUDIT_PAGE_SIZE ? rows[AUDIT_PAGE_SIZE - 1]!.seq : null,
  };
}

export const CSV_COLUMNS = [
  "seq",
  "occurred_at_utc",
  "actor",
  "actor_name",
  "actor_email",
  "actor_person_id",
  "actor_token_id",
  "actor_organisation",
  "organisation",
  "organisation_id",
  "ip",
  "user_agent",
  "action",
  "object_type",
  "object_id",
  "object",
  "outcome",
  "details",
  "hash",
] as const;

export function csvRow(e: AuditEvent, labels: EventLabels) {
  return [
    e.seq,
    e.occurredAt.toISOString(),
    e.actorLabel ?? "",
    labels.actor?.name ?? "",
    labels.actor?.email ?? "",
    e.actorPersonId ?? "",
    e.actorTokenId ?? "",
    labels.actorOrganisation ?? "",
    labels.organisation ?? "",
    e.organisationId ?? "",
    formatAddress(e.ip),
    e.userAgent ?? "",
    e.action,
    e.objectType ?? "",
    e.objectId ?? "",
    labels.object?.label ?? "",
    e.outcome,
    JSON.stringify(e.details),
    e.hash,
  ];
}

/** Record the export (in the caller's transaction), then give the batches to stream. */
export async function startAuditExport(ctx: ModuleContext, filter: AuditFilter) {
  ctx.audit.record({ action: "audit.export", objectType: "audit-trail", details: { filter, format: "csv" } });
  return conditions(ctx, filter);
}

/** CSV rows of matching events, oldest first, named for the reader, read outside the request transaction while streaming. */
export async function* auditCsvRows(db: Queryable, reader: Actor, where: SQL | undefined) {
  for await (const batch of auditBatches(db, where)) {
    const labels = await labelEvents(db, reader, batch);
    yield batch.map((e, i) => csvRow(e, labels[i]!));
  }
}

/** Batches of matching events, oldest first. */
async function* auditBatches(db: Queryable, where: SQL | undefined, batchSize = 2_000) {
  let after = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(auditEvents)
      .where(and(where, gt(auditEvents.seq, after)))
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize);
    if (batch.length === 0) return;
    yield batch;
    after = batch[batch.length - 1]!.seq;
  }
}

/**
 * Every event about one object, in order (for a chain-of-custody report). The caller has
 * established that the actor may see the object; no scope of its own.
 */
export async function eventsAbout(db: Queryable, objectType: string, objectId: string) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.objectType, objectType), eq(auditEvents.objectId, objectId)))
    .orderBy(asc(auditEvents.seq));
}

/**
 * The signed receipt of one event the reader may see (decision 0026): an agency proves one access
 * or change to a third party without handing over the whole log. Another organization's event, or
 * no event at all, is not found alike.
 */
export async function eventReceipt(
  ctx: ModuleContext,
  eventId: string,
  keys: { publicUrl: string; publicKeyPem: string | null },
): Promise<Receipt> {
  requirePermission(ctx, "audit:read");
  if (!isUuid(eventId)) throw new NotFound("audit-event", eventId);
  const [event] = await ctx.db
    .select({ id: auditEvents.id, action: auditEvents.action, occurredAt: auditEvents.occurredAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.id, eventId), readerScope(ctx.actor)));
  if (!event) throw new NotFound("audit-event", eventId);
  const receipt = await buildReceipt(ctx.db, {
    subject: { kind: "audit event", id: event.id, title: `${event.action} at ${event.occurredAt.toISOString()}` },
    eventIds: [event.id],
    publicUrl: keys.publicUrl,
    publicKeyPem: keys.publicKeyPem,
    now: ctx.now,
  });
  ctx.audit.record({
    action: "audit.event.receipt",
    objectType: "audit-event",
    objectId: event.id,
    details: { sealed: receipt.events.length === 1, treeSize: receipt.checkpoint?.treeSize ?? 0 },
  });
  return receipt;
}
