import { DateTime } from "luxon";

/**
 * Times on notices. People type a wall-clock time and name the zone it was in;
 * we store the instant in UTC. A window in hours is elapsed time (a one-hour
 * window across the spring-forward night is still sixty minutes); a window in
 * days is calendar days in the zone of the event. A wall-clock time that never
 * happened (clocks went forward) or happened twice (clocks went back) is
 * refused with a message rather than guessed.
 */

/** The zones of the United States and its territories, and UTC. */
export const NOTICE_ZONES: readonly (readonly [zone: string, label: string])[] = [
  ["America/New_York", "Eastern (New York)"],
  ["America/Chicago", "Central (Chicago)"],
  ["America/Denver", "Mountain (Denver)"],
  ["America/Phoenix", "Arizona (no daylight saving)"],
  ["America/Los_Angeles", "Pacific (Los Angeles)"],
  ["America/Anchorage", "Alaska (Anchorage)"],
  ["Pacific/Honolulu", "Hawaii (Honolulu)"],
  ["America/Puerto_Rico", "Atlantic (Puerto Rico, U.S. Virgin Islands)"],
  ["Pacific/Guam", "Chamorro (Guam, Northern Mariana Islands)"],
  ["Pacific/Pago_Pago", "Samoa (American Samoa)"],
  ["UTC", "UTC"],
];

export type ParsedTime = { ok: true; at: Date } | { ok: false; message: string };

/** A wall-clock time ("2026-03-08T01:30") in an IANA zone, as an instant. */
export function parseLocalTime(local: string, zone: string, label: string): ParsedTime {
  const text = local.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text))
    return { ok: false, message: `Enter the ${label} as a date and time, like 2026-03-08 01:30.` };
  if (!zone || !DateTime.now().setZone(zone).isValid) return { ok: false, message: `Choose the time zone the ${label} is in.` };
  const dt = DateTime.fromISO(text, { zone });
  if (!dt.isValid) return { ok: false, message: `The ${label} is not a real date and time.` };
  const typed = text.slice(0, 16);
  const [day, time] = [typed.slice(0, 10), typed.slice(11)];
  if (dt.toFormat("yyyy-MM-dd'T'HH:mm") !== typed) {
    return {
      ok: false,
      message: `There was no ${time} on ${day} in ${zone}: the clocks went forward that night. Check the ${label}, or give it in UTC.`,
    };
  }
  if (dt.getPossibleOffsets().length > 1) {
    return {
      ok: false,
      message: `${time} on ${day} happened twice in ${zone} (the clocks went back that night). Give the ${label} in UTC so it is exact.`,
    };
  }
  return { ok: true, at: dt.toJSDate() };
}

/** An instant as it reads on the wall clock of a zone, with the zone's abbreviation ("2026-03-08 03:20 EDT"). */
export function wallClock(at: Date | string, zone: string) {
  return DateTime.fromJSDate(new Date(at), { zone }).toFormat("yyyy-MM-dd HH:mm ZZZZ");
}

/** For a form: the instant as a datetime-local value in the zone. */
export function localInput(at: Date, zone: string) {
  return DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

export type Window = { hoursAfter: number } | { daysBefore: number };

/** The latest moment a notice meets its window: hours after the event, or calendar days before it in the event's zone. */
export function deadlineFor(occurredAt: Date, zone: string, window: Window): Date {
  if ("hoursAfter" in window) return new Date(occurredAt.getTime() + window.hoursAfter * 3_600_000);
  return DateTime.fromJSDate(occurredAt, { zone }).minus({ days: window.daysBefore }).toJSDate();
}

/** Whole minutes from a to b (b later is positive). */
export const minutesBetween = (a: Date, b: Date) => Math.round((b.getTime() - a.getTime()) / 60_000);

/** "50 minutes", "2 hours 5 minutes", "3 days 4 hours". */
export function describeMinutes(total: number) {
  const m = Math.abs(total);
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const minutes = m % 60;
  const part = (n: number, unit: string) => (n ? `${n} ${unit}${n === 1 ? "" : "s"}` : "");
  const text = (days ? [part(days, "day"), part(hours, "hour")] : [part(hours, "hour"), part(minutes, "minute")])
    .filter(Boolean)
    .join(" ");
  return text || "0 minutes";
}
