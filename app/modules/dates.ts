import { DateTime } from "luxon";

/**
 * Calendar days and clock times, in one place, on luxon. Two kinds of time:
 *
 * - a **day** ("2026-12-02") is a date on a calendar: a due date, an expiry, the end of a term.
 *   "Today" is always someone's today: the agency's (or vendor's) own, in its IANA time zone,
 *   never UTC's, so a certificate expiring on the 2nd is still valid at 8 p.m. on the 2nd in
 *   Honolulu. Day arithmetic (add months, count days) needs no zone.
 * - an **instant** (a Date) is a moment, stored in UTC; it reads differently on each wall clock.
 *   A window in hours is elapsed time; a window in days is counted in calendar days of a zone.
 */
export type Day = string;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Whether text is a real calendar day written YYYY-MM-DD. */
export const isDay = (text: string) => DAY.test(text) && DateTime.fromISO(text, { zone: "UTC" }).isValid;
const calendar = (day: Day) => {
  const dt = DateTime.fromISO(day, { zone: "UTC" });
  if (!DAY.test(day) || !dt.isValid) throw new Error(`not a calendar day: ${day}`);
  return dt;
};
const asDay = (dt: DateTime) => dt.toFormat("yyyy-MM-dd");

/** Whether an IANA zone name is one this runtime knows. */
export const isTimeZone = (zone: string) => Boolean(zone) && DateTime.now().setZone(zone).isValid;

/**
 * The calendar day an instant falls on, on the wall clock of a zone. Every request asks it (the actor's
 * today), so each zone keeps one Intl formatter: luxon built a DateTime and parsed a format on each call
 * (7.3 µs against 2.6 µs, measured alone). Only zones the runtime accepts are kept (the runtime also accepts
 * a name in other letter case, but the zones asked for are organizations' stored ones, chosen from a list);
 * any other goes the luxon way, as before.
 */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
function dayFormatter(zone: string) {
  let formatter = dayFormatters.get(zone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
    } catch {
      return null;
    }
    dayFormatters.set(zone, formatter);
  }
  return formatter;
}
export const dayIn = (zone: string, at: Date): Day => {
  const formatter = Number.isNaN(at.getTime()) ? null : dayFormatter(zone);
  if (!formatter) return asDay(DateTime.fromJSDate(at, { zone }));
  let year = "";
  let month = "";
  let day = "";
  for (const part of formatter.formatToParts(at)) {
    if (part.type === "year") year = part.value;
    else if (part.type === "month") month = part.value;
    else if (part.type === "day") day = part.value;
  }
  return `${year.padStart(4, "0")}-${month}-${day}`;
};

/** Today, as the people of the organisation in this zone count it. */
export const todayIn = dayIn;

/** Add whole days to a day. */
export const addDays = (day: Day, days: number): Day => asDay(calendar(day).plus({ days }));

/** Add whole months, keeping the day or the month's last day (Jan 31 + 1 month = Feb 28 or 29). */
export const addMonths = (day: Day, months: number): Day => asDay(calendar(day).plus({ months }));

/** Whole calendar days from one day to another (later is positive). */
export const daysBetween = (from: Day, to: Day) => Math.round(calendar(to).diff(calendar(from), "days").days);

/** The first instant of a day in a zone (midnight on its wall clock). */
export const startOfDayIn = (day: Day, zone: string): Date => DateTime.fromISO(day, { zone }).startOf("day").toJSDate();

/** The last instant of a day in a zone: an end date "through December 31" ends then. */
export const endOfDayIn = (day: Day, zone: string): Date => DateTime.fromISO(day, { zone }).endOf("day").toJSDate();

export type ParsedTime = { ok: true; at: Date } | { ok: false; message: string };

/**
 * A wall-clock time ("2026-03-08T01:30") typed in an IANA zone, as an instant. A time that never
 * happened (the clocks went forward) or happened twice (they went back) is refused, never guessed.
 */
export function parseLocalTime(local: string, zone: string, label: string): ParsedTime {
  const text = local.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text))
    return { ok: false, message: `Enter the ${label} as a date and time, like 2026-03-08 01:30.` };
  if (!isTimeZone(zone)) return { ok: false, message: `Choose the time zone the ${label} is in.` };
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

/** For a form: an instant as a datetime-local value on a zone's wall clock. */
export const localInput = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

/** Whole minutes from a to b (b later is positive). */
export const minutesBetween = (a: Date, b: Date) => Math.round((b.getTime() - a.getTime()) / 60_000);

/** The instant a number of calendar days before (negative: after) another, counted on a zone's calendar. */
export const calendarDaysBefore = (at: Date, zone: string, days: number): Date =>
  DateTime.fromJSDate(at, { zone }).minus({ days }).toJSDate();
