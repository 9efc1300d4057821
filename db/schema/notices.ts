import type { NoticeKindKey } from "../catalog/evidence-kinds.ts";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organisations, people } from "./access.ts";
import { contracts } from "./contracts.ts";
import { vendors } from "./vendors.ts";

/**
 * Notices a vendor owes its agencies: a breach or incident, legal process
 * served on the vendor, a change of where data is kept, a change of the
 * business itself. The vendor files one in the portal, or an agency records
 * one it received another way. Each affected agency gets its own judgement of
 * timeliness, against the window of its own contract with the vendor, fixed
 * when the notice is filed (the window then in force is the one that counts).
 * A notice is a record: nothing edits or deletes it.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const notices = pgTable(
  "notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    vendorId: uuid("vendor_id")
      .notNull()
      .references(() => vendors.id),
    /** One of the catalog's notice kinds (db/catalog/evidence-kinds.ts). */
    kind: text("kind").$type<NoticeKindKey>().notNull(),
    summary: text("summary").notNull(),
    /** Discovered (breach), served (legal process), or takes effect (location and business changes). */
    occurredAt: ts("occurred_at").notNull(),
    /** The IANA time zone the time was given in, to show it back as it was typed. */
    occurredZone: text("occurred_zone").notNull(),
    /** When the vendor told the agency. */
    notifiedAt: ts("notified_at").notNull(),
    notifiedZone: text("notified_zone").notNull(),
    /** The kind's own fields (data categories, issuing authority, response deadline, old and new location …). */
    details: jsonb("details").notNull(),
    filedByKind: text("filed_by_kind", { enum: ["vendor", "agency"] }).notNull(),
    /** The agency that recorded it, when an agency did. */
    recordedByAgencyId: uuid("recorded_by_agency_id").references(() => organisations.id),
    filedBy: uuid("filed_by").references(() => people.id),
    filedFrom: text("filed_from"),
    filedAt: ts("filed_at").notNull(),
  },
  (t) => [index("notices_vendor").on(t.vendorId, t.occurredAt)],
);

/** Each agency a notice concerns, with the window of its contract and whether the notice met it. */
export const noticeAgencies = pgTable(
  "notice_agencies",
  {
    noticeId: uuid("notice_id")
      .notNull()
      .references(() => notices.id),
    agencyId: uuid("agency_id")
      .notNull()
      .references(() => organisations.id),
    /** The contract whose window applies (the strictest of the agency's contracts with the vendor); null when none does. */
    contractId: uuid("contract_id").references(() => contracts.id),
    /** The window as the contract states it: hours after the event, or days before it. */
    windowHours: integer("window_hours"),
    windowDays: integer("window_days"),
    deadlineAt: ts("deadline_at"),
    late: boolean("late").notNull(),
    /** Minutes the notice came after its deadline (positive) or before it (zero or negative). */
    minutesPastDeadline: integer("minutes_past_deadline"),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.agencyId] }), index("notice_agencies_agency").on(t.agencyId)],
);

export type Notice = typeof notices.$inferSelect;
