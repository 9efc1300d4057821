import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client.ts";

/**
 * A message shown once, on the next page loaded by the session whose action caused it ("The
 * vendor is registered."). It lives in the session's row, not in the address: a link shared or
 * bookmarked after the action shows nobody a banner about something they did not do.
 */

const MAX_LENGTH = 500;

export async function setFlash(db: Database, sessionId: string, message: string) {
  await queryRows(db, sql`update sessions set flash = ${message.slice(0, MAX_LENGTH)} where id = ${sessionId}`);
}

/** The session's message, cleared as it is read; null when there is none (the common case costs one indexed update). */
export async function takeFlash(db: Database, sessionId: string): Promise<string | null> {
  const rows = await queryRows<{ flash: string }>(
    db,
    sql`update sessions s set flash = null
          from (select id, flash from sessions where id = ${sessionId} and flash is not null for update) taken
         where s.id = taken.id
     returning taken.flash`,
  );
  return rows[0]?.flash ?? null;
}
