import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../../../db/client.ts";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { memberships, people } from "../../../db/schema/access.ts";
import {
  type DeliveryChoice,
  DELIVERY_CHOICES,
  notificationPreferences,
  notifications,
  type NotificationKind,
} from "../../../db/schema/notifications.ts";
import { vendors } from "../../../db/schema/vendors.ts";
import type { Role } from "../access/permissions.ts";
import { InvalidInput, isUuid, type ModuleContext, NotFound } from "../context.server.ts";
import { deliverNotifications } from "./delivery.server.ts";

/**
 * Telling people: who is told of what (the CJIS officers of an agency, the
 * representatives of a vendor), the in-app list each person reads, and their
 * choice of e-mail at once or a daily digest. Notifications are written in the
 * same transaction as the fact they report; e-mail leaves afterwards
 * (delivery.server.ts), so a rolled-back change tells no one.
 */

export type NewNotification = {
  personId: string;
  organisationId: string | null;
  kind: NotificationKind;
  subject: string;
  body: string;
  /** A path inside Custody, e.g. /notices/…; e-mails prefix the public address. */
  link: string;
  /** The fact it reports; one notification per person per key, however often a sweep runs. */
  dedupeKey: string;
};

export type Recipient = { personId: string; organisationId: string };

/** People holding one of these roles, live and enabled, in these organisations. */
export async function peopleWithRoles(db: Queryable, organisationIds: string[], roles: Role[]): Promise<Recipient[]> {
  if (organisationIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ personId: memberships.personId, organisationId: memberships.organisationId })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(
      and(
        inArray(memberships.organisationId, organisationIds),
        inArray(memberships.role, roles),
        isNull(memberships.endedAt),
        isNull(people.disabledAt),
      ),
    );
  return rows;
}

export const cjisOfficersOf = (db: Queryable, agencyIds: string[]) => peopleWithRoles(db, agencyIds, ["cjis-officer"]);

/** The people who answer for a vendor in the portal. */
export async function vendorRepresentativesOf(db: Queryable, vendorId: string): Promise<Recipient[]> {
  const [vendor] = await db.select({ organisationId: vendors.organisationId }).from(vendors).where(eq(vendors.id, vendorId));
  return vendor?.organisationId ? peopleWithRoles(db, [vendor.organisationId], ["vendor-representative", "vendor-admin"]) : [];
}

/** Write notifications; a key already written for a person is skipped. Returns how many are new. */
export async function notify(db: Queryable, rows: NewNotification[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  let created = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await db
      .insert(notifications)
      .values(rows.slice(i, i + 500).map((r) => ({ ...r, createdAt: now })))
      .onConflictDoNothing({ target: [notifications.personId, notifications.dedupeKey] })
      .returning({ id: notifications.id });
    created += inserted.length;
  }
  return created;
}

/**
 * Tell people, in the actor's transaction: the notifications are written with the change they
 * report, and their e-mail (for those who chose it at once) leaves when the transaction commits,
 * so no caller can forget to send it and a rolled-back change tells no one.
 */
export async function tell(ctx: ModuleContext, rows: NewNotification[]): Promise<number> {
  const created = await notify(ctx.db, rows, ctx.now);
  const personIds = [...new Set(rows.map((r) => r.personId))];
  const mail = ctx.mail;
  if (mail?.mailer && personIds.length > 0) {
    ctx.afterCommit((db) => deliverNotifications(db, mail.mailer, { publicUrl: mail.publicUrl, now: ctx.now, personIds }));
  }
  return created;
}

/** The same message to several recipients. */
export function toEach(
  recipients: Recipient[],
  message: Omit<NewNotification, "personId" | "organisationId">,
): NewNotification[] {
  const seen = new Set<string>();
  return recipients
    .filter((r) => !seen.has(r.personId) && seen.add(r.personId))
    .map((r) => ({ ...message, personId: r.personId, organisationId: r.organisationId }));
}

const me = (ctx: ModuleContext) => {
  if (!ctx.actor.personId) throw new NotFound("notifications", "none");
  return ctx.actor.personId;
};

/**
 * How many of a person's notifications are unread, as a subquery: `person` is their id, or the column that
 * holds it in the statement this goes into (the session read takes it with the person, for the header).
 */
export function unreadCount(person: string | AnyPgColumn) {
  return sql<number>`(select count(*)::int from ${notifications} where ${notifications.personId} = ${person} and ${notifications.readAt} is null)`;
}

/** The signed-in person's notifications, newest first, with their delivery choice. */
export async function myNotifications(ctx: ModuleContext, options: { limit?: number } = {}) {
  const personId = me(ctx);
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(eq(notifications.personId, personId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(options.limit ?? 100);
  const [{ unread = 0 } = {}] = await queryRows<{ unread: number }>(ctx.db, sql`select ${unreadCount(personId)} as unread`);
  ctx.audit.record({
    action: "notification.list",
    objectType: "person",
    objectId: personId,
    details: { shown: rows.length, unread },
  });
  return { notifications: rows, unread, delivery: await deliveryOf(ctx.db, personId) };
}

export async function deliveryOf(db: Queryable, personId: string): Promise<DeliveryChoice> {
  const [row] = await db
    .select({ delivery: notificationPreferences.delivery })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.personId, personId));
  return row?.delivery ?? "immediate";
}

/** Mark one notification (or all) read; reading one's own notification opens its link. */
export async function markRead(ctx: ModuleContext, which: "all" | string) {
  const personId = me(ctx);
  if (which !== "all" && !isUuid(which)) throw new NotFound("notification", which);
  const updated = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.now })
    .where(
      and(
        eq(notifications.personId, personId),
        isNull(notifications.readAt),
        which === "all" ? undefined : eq(notifications.id, which),
      ),
    )
    .returning({ id: notifications.id, link: notifications.link });
  if (which !== "all" && updated.length === 0) {
    const [row] = await ctx.db
      .select({ link: notifications.link })
      .from(notifications)
      .where(and(eq(notifications.id, which), eq(notifications.personId, personId)));
    if (!row) throw new NotFound("notification", which);
    return { marked: 0, link: row.link };
  }
  ctx.audit.record({
    action: "notification.read",
    objectType: "person",
    objectId: personId,
    details: { which, marked: updated.length },
  });
  return { marked: updated.length, link: updated[0]?.link ?? null };
}

export async function setDelivery(ctx: ModuleContext, choice: string) {
  const personId = me(ctx);
  if (!(DELIVERY_CHOICES as readonly string[]).includes(choice))
    throw new InvalidInput({ delivery: "Choose e-mail at once or one daily digest." });
  const delivery = choice as DeliveryChoice;
  await ctx.db
    .insert(notificationPreferences)
    .values({ personId, delivery, updatedAt: ctx.now })
    .onConflictDoUpdate({ target: notificationPreferences.personId, set: { delivery, updatedAt: ctx.now } });
  ctx.audit.record({ action: "notification.preference", objectType: "person", objectId: personId, details: { delivery } });
  return delivery;
}
