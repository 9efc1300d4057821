import { calendarDaysBefore } from "../dates.ts";

/**
 * When a notice is due. A window in hours is elapsed time (a one-hour window across the
 * spring-forward night is still sixty minutes); a window in days is counted in calendar days
 * of the zone the event happened in. Parsing typed times and showing them is in dates.ts and
 * format.ts, shared with every other capability.
 */
export type Window = { hoursAfter: number } | { daysBefore: number };

/** The latest moment a notice meets its window: hours after the event, or calendar days before it in the event's zone. */
export function deadlineFor(occurredAt: Date, zone: string, window: Window): Date {
  if ("hoursAfter" in window) return new Date(occurredAt.getTime() + window.hoursAfter * 3_600_000);
  return calendarDaysBefore(occurredAt, zone, window.daysBefore);
}
