import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations, people } from "./access.ts";

/**
 * What Custody tells a person: a notice that came in, evidence about to
 * expire, a request gone overdue. Each is shown in the product and, as the
 * person chose, e-mailed at once or gathered into a daily digest. The e-mail
 * carries a link to the page, never the content of a file (gap 3).
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const NOTIFICATION_KINDS = [
  "notice-filed",
  "notice-late",
  "evidence-expiring",
  "request-overdue",
  "training-due",
  "roster-proposed",
  "roster-decided",
  "break-glass-used",
] as const;
export const DELIVERY_CHOICES = ["immediate", "daily-digest"] as const;

export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id),
    /** The organisation on whose behalf the person is told (their agency, or their vendor's organisation). */
    organisationId: uuid("organisation_id").references(() => organisations.id),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    /** A path inside Custody (never an absolute URL, never a file). */
    link: text("link").notNull(),
    /** One reminder per fact per person: a second sweep, or a second server copy, inserts nothing. */
    dedupeKey: text("dedupe_key").notNull(),
    createdAt: ts("created_at").notNull(),
    readAt: ts("read_at"),
    /** When it left by e-mail (alone or in a digest); null while it waits. */
    emailedAt: ts("emailed_at"),
  },
  (t) => [
    uniqueIndex("notifications_dedupe").on(t.personId, t.dedupeKey),
    index("notifications_person_created").on(t.personId, t.createdAt),
    index("notifications_unsent")
      .on(t.createdAt)
      .where(sql`${t.emailedAt} is null`),
  ],
);

/** How a person wants to be told: each notification at once, or one digest a day. */
export const notificationPreferences = pgTable("notification_preferences", {
  personId: uuid("person_id")
    .primaryKey()
    .references(() => people.id),
  delivery: text("delivery", { enum: DELIVERY_CHOICES }).notNull().default("immediate"),
  lastDigestAt: ts("last_digest_at"),
  updatedAt: ts("updated_at").notNull(),
});

export type Notification = typeof notifications.$inferSelect;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type DeliveryChoice = (typeof DELIVERY_CHOICES)[number];
