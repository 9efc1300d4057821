import { eq } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database, Queryable } from "../../db/client.ts";
import { organisations } from "../../db/schema/access.ts";
import { type Day, todayIn } from "./dates.ts";
import type { Permission, Role } from "./access/permissions.ts";
import type { Secrets } from "./access/secrets.server.ts";
import type { Mailer } from "./notifications/mail.server.ts";
import { AuditRecorder, type AuditActor, type AuditInput } from "./audit/audit.server.ts";

/**
 * What every module function receives: who acts (with their organisation, role
 * and permissions), the open transaction, the audit recorder, the time, and
 * the secrets. Modules never read a Request.
 */
export type Actor = AuditActor & {
  kind: "person" | "token" | "system";
  role: Role | null;
  organisationKind: "platform" | "agency" | "vendor" | null;
  permissions: ReadonlySet<Permission>;
  /** The IANA zone of the organisation the actor acts for, when the caller knows it (else looked up). */
  timeZone?: string | null;
};

/** Outgoing e-mail for the notifications a transaction writes: the mailer (null without SMTP) and the public address for links. */
export type MailOutbox = { mailer: Mailer | null; publicUrl: string };

export type ModuleContext = {
  db: Queryable;
  actor: Actor;
  audit: AuditRecorder;
  now: Date;
  /** The zone of the actor's organisation ("UTC" for one who acts for none): whose "today" counts. */
  timeZone: string;
  /** The actor's today, on their organisation's calendar. */
  today: Day;
  secrets: Secrets;
  /** Where e-mail for this transaction's notifications goes once it commits; null when nothing is sent (tests, commands). */
  mail: MailOutbox | null;
  /**
   * Work to do once the transaction has committed, never if it rolls back: e-mail for the
   * notifications it wrote. A failing task is logged; the commit stands and the hourly outbox retries.
   */
  afterCommit(task: (db: Database) => Promise<unknown>): void;
};

/** Thrown by a module when an object does not exist or belongs to someone else: both answer 404. */
export class NotFound extends Error {
  override name = "NotFound";
  constructor(
    readonly objectType: string,
    readonly objectId: string,
  ) {
    super(`${objectType} ${objectId} not found`);
  }
}

/** Thrown by a module for input a person can correct; the route shows the message next to the field. */
export class InvalidInput extends Error {
  override name = "InvalidInput";
  constructor(
    readonly fieldErrors: Record<string, string>,
    /** An event to record although the transaction rolls back (e.g. a failed password change). */
    readonly auditEvent?: AuditInput,
  ) {
    super(Object.values(fieldErrors)[0] ?? "Check the form.");
  }
}

/** Matches no organisation: the scope of an actor who acts for none. */
export const NO_ORGANISATION = "00000000-0000-0000-0000-000000000000";

/** Whether an id from a URL can name a row at all (anything else is simply not found). */
export function isUuid(value: string) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** The actor's organisation, or one that matches nothing when they act for none. */
export const orgOf = (ctx: { actor: Actor }) => ctx.actor.organisationId ?? NO_ORGANISATION;

/** Rows of the actor's own organisation. */
export function ownOrganisation(ctx: { actor: Actor }, column: AnyPgColumn) {
  return eq(column, ctx.actor.organisationId ?? NO_ORGANISATION);
}

/** Rows the actor may see: their own organisation's, or every organisation's for a platform administrator. */
export function organisationScope(ctx: { actor: Actor }, column: AnyPgColumn) {
  return ctx.actor.organisationKind === "platform" ? undefined : ownOrganisation(ctx, column);
}

/** Defence in depth: a module's privileged function refuses to run for an actor without the permission. */
export function requirePermission(ctx: { actor: Actor }, permission: Permission) {
  if (!ctx.actor.permissions.has(permission)) throw new Error(`module called without ${permission}`);
}

/** The reason an administrative action must give; it is kept in the deprovisioning record. */
export function requireReason(reason: string) {
  const trimmed = reason.trim();
  if (trimmed.length < 3 || trimmed.length > 500) {
    throw new InvalidInput({ reason: "Give the reason, in a few words (it is kept in the deprovisioning record)." });
  }
  return trimmed;
}

/**
 * Run fn in one transaction; its audit events are written in that transaction before it commits.
 * Tasks fn leaves with afterCommit run once the commit has succeeded.
 */
export async function inTransaction<T>(
  db: Database,
  base: { actor: Actor; now: Date; secrets: Secrets; mail?: MailOutbox | null },
  fn: (ctx: ModuleContext) => Promise<T>,
): Promise<T> {
  const tasks: ((db: Database) => Promise<unknown>)[] = [];
  const result = await db.transaction(async (tx) => {
    const audit = new AuditRecorder(base.actor, () => base.now);
    const timeZone = base.actor.timeZone ?? (await zoneOf(tx, base.actor.organisationId));
    const ctx: ModuleContext = {
      db: tx,
      actor: base.actor,
      audit,
      now: base.now,
      timeZone,
      today: todayIn(timeZone, base.now),
      secrets: base.secrets,
      mail: base.mail ?? null,
      afterCommit: (task) => void tasks.push(task),
    };
    const value = await fn(ctx);
    await audit.flush(tx);
    return value;
  });
  for (const task of tasks) {
    await task(db).catch((error: unknown) => console.error("After-commit work failed (the change itself is saved):", error));
  }
  return result;
}

/** The zone an organisation keeps time in; UTC for no organisation. */
async function zoneOf(db: Queryable, organisationId: string | null) {
  if (!organisationId) return "UTC";
  const [row] = await db
    .select({ timeZone: organisations.timeZone })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  return row?.timeZone ?? "UTC";
}

export function systemActorContext(label = "system"): Actor {
  return {
    kind: "system",
    personId: null,
    sessionId: null,
    tokenId: null,
    label,
    organisationId: null,
    ip: null,
    userAgent: null,
    role: null,
    organisationKind: null,
    permissions: new Set(),
  };
}
