import { useRouteLoaderData } from "react-router";
import { formatDay, formatMinute, formatUtcMinute } from "~/modules/format.ts";

/** The zone of the organisation the reader acts for (from the root loader); UTC when signed out. */
export function useTimeZone(): string {
  const root = useRouteLoaderData("root") as { viewer?: { timeZone?: string } | null } | undefined;
  return root?.viewer?.timeZone ?? "UTC";
}

/**
 * An instant as the reader's wall clock shows it ("2026-12-02 10:15 EST"), in a <time> element
 * carrying the exact instant. `utc` keeps UTC, for records that do (a chain of custody);
 * `day` shows only the calendar day.
 */
export function When({
  at,
  utc = false,
  day = false,
  none = "",
}: {
  at: Date | string | null | undefined;
  utc?: boolean;
  day?: boolean;
  none?: string;
}) {
  const zone = useTimeZone();
  if (!at) return <>{none}</>;
  const iso = new Date(at).toISOString();
  const text = utc ? formatUtcMinute(at) : day ? formatDay(at, zone) : formatMinute(at, zone);
  return <time dateTime={iso}>{text}</time>;
}
