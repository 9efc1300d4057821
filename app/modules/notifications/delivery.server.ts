import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Database, Queryable } from "../../../db/client.ts";
import { people } from "../../../db/schema/access.ts";
import { type Notification, notificationPreferences, notifications } from "../../../db/schema/notifications.ts";
import { AuditRecorder, systemActor } from "../audit/audit.server.ts";
import { escape, type Mailer } from "./mail.server.ts";

/**
 * E-mail for notifications. Each person's waiting notifications are claimed
 * row by row (FOR UPDATE SKIP LOCKED) in a transaction that sends the message
 * and marks them sent before it commits: two server copies, or a sweep and a
 * request, never send the same notification twice, and a failed send leaves
 * them waiting for the next attempt. A person who chose the daily digest gets
 * at most one message a day, gathering everything since the last one.
 * Messages carry links into Custody, never a file (gap 3).
 */

/** Notifications older than this are only shown in the product, never e-mailed late. */
const EMAIL_WITHIN_MS = 3 * 86_400_000;
/** A digest goes out once this long after the last one (an hour's slack for the hourly loop). */
const DIGEST_EVERY_MS = 23 * 3_600_000;

export type DeliveryResult = { messages: number; notifications: number; failed: number };

export async function deliverNotifications(
  db: Database,
  mailer: Mailer | null,
  options: { publicUrl: string; now: Date; personIds?: string[] },
): Promise<DeliveryResult> {
  const result: DeliveryResult = { messages: 0, notifications: 0, failed: 0 };
  if (!mailer || options.personIds?.length === 0) return result;
  const since = new Date(options.now.getTime() - EMAIL_WITHIN_MS);
  const waiting = await db
    .selectDistinct({ personId: notifications.personId })
    .from(notifications)
    .where(
      and(
        isNull(notifications.emailedAt),
        gt(notifications.createdAt, since),
        options.personIds ? inArray(notifications.personId, options.personIds) : undefined,
      ),
    );
  for (const { personId } of waiting) {
    try {
      const sent = await db.transaction((tx) => deliverTo(tx, mailer, personId, since, options));
      result.messages += sent.messages;
      result.notifications += sent.notifications;
    } catch (error) {
      result.failed += 1;
      console.error(`E-mail to person ${personId} failed; the notifications wait for the next attempt:`, error);
    }
  }
  return result;
}

async function deliverTo(
  tx: Queryable,
  mailer: Mailer,
  personId: string,
  since: Date,
  options: { publicUrl: string; now: Date },
) {
  const none = { messages: 0, notifications: 0 };
  const [person] = await tx
    .select({ email: people.email, name: people.name, disabledAt: people.disabledAt })
    .from(people)
    .where(eq(people.id, personId));
  if (!person || person.disabledAt) return none;
  await tx.insert(notificationPreferences).values({ personId, updatedAt: options.now }).onConflictDoNothing();
  const [preference] = await tx
    .select()
    .from(notificationPreferences)
    .where(eq(notificationPreferences.personId, personId))
    .for("update", { skipLocked: true });
  if (!preference) return none; // another copy is delivering to this person right now
  const digest = preference.delivery === "daily-digest";
  if (digest && preference.lastDigestAt && options.now.getTime() - preference.lastDigestAt.getTime() < DIGEST_EVERY_MS)
    return none;

  const claimed = await tx
    .select()
    .from(notifications)
    .where(and(eq(notifications.personId, personId), isNull(notifications.emailedAt), gt(notifications.createdAt, since)))
    .orderBy(asc(notifications.createdAt), asc(notifications.id))
    .for("update", { skipLocked: true });
  if (claimed.length === 0) return none;

  const messages = digest
    ? [digestMessage(person, claimed, options.publicUrl)]
    : claimed.map((n) => singleMessage(person, n, options.publicUrl));
  for (const message of messages) await mailer.send(message);
  await tx
    .update(notifications)
    .set({ emailedAt: options.now })
    .where(
      inArray(
        notifications.id,
        claimed.map((n) => n.id),
      ),
    );
  if (digest)
    await tx
      .update(notificationPreferences)
      .set({ lastDigestAt: options.now })
      .where(eq(notificationPreferences.personId, personId));
  const audit = new AuditRecorder(systemActor("notification e-mail"), () => options.now);
  audit.record({
    action: "notification.email",
    objectType: "person",
    objectId: personId,
    details: {
      to: person.email,
      digest,
      messages: messages.length,
      notifications: claimed.map((n) => n.id),
      kinds: [...new Set(claimed.map((n) => n.kind))],
    },
  });
  await audit.flush(tx);
  return { messages: messages.length, notifications: claimed.length };
}

const FOOTER =
  "Custody sends links only; sign in to read the record. Choose e-mail at once or a daily digest under Notifications.";

function singleMessage(person: { email: string; name: string }, n: Notification, publicUrl: string) {
  const link = `${publicUrl}${n.link}`;
  return {
    to: person.email,
    subject: `Custody: ${n.subject}`,
    text: [n.subject, "", n.body, "", `Open it in Custody: ${link}`, "", FOOTER].join("\n"),
    html: `<p><strong>${escape(n.subject)}</strong></p><p>${escape(n.body)}</p><p><a href="${escape(link)}">Open it in Custody</a></p><p>${escape(FOOTER)}</p>`,
  };
}

function digestMessage(person: { email: string; name: string }, list: Notification[], publicUrl: string) {
  const subject = `Custody: your daily digest (${list.length} ${list.length === 1 ? "item" : "items"})`;
  const text = [
    `${list.length === 1 ? "One thing" : `${list.length} things`} in Custody since your last digest:`,
    "",
    ...list.flatMap((n) => [`- ${n.subject}`, `  ${n.body}`, `  ${publicUrl}${n.link}`, ""]),
    FOOTER,
  ].join("\n");
  const html = `<p>${list.length === 1 ? "One thing" : `${list.length} things`} in Custody since your last digest:</p><ul>${list
    .map((n) => `<li><a href="${escape(`${publicUrl}${n.link}`)}">${escape(n.subject)}</a><br>${escape(n.body)}</li>`)
    .join("")}</ul><p>${escape(FOOTER)}</p>`;
  return { to: person.email, subject, text, html };
}
