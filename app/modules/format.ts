import { DateTime } from "luxon";
import { isRole, ROLES } from "./access/permissions.ts";

/**
 * How values read for people, in one place: pages, e-mails and generated documents all use
 * these. Days read as ISO dates (2026-12-02) on pages, times on the reader's wall clock with the
 * zone's abbreviation; only the audit trail and chains of custody show UTC, to the millisecond.
 */

type When = Date | string | null | undefined;
const instant = (at: Date | string, zone: string) => DateTime.fromJSDate(new Date(at), { zone });

/** A calendar day as pages show it ("2026-12-02"); an instant's day on the reader's calendar. */
export function formatDay(value: When, zone = "UTC"): string {
  if (!value) return "";
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return instant(value, zone).toFormat("yyyy-MM-dd");
}

/** A day as a letter or an agreement writes it ("December 2, 2026"). */
export function formatLongDay(value: When, zone = "UTC"): string {
  if (!value) return "";
  const dt =
    typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? DateTime.fromISO(value, { zone: "UTC" })
      : instant(value, zone);
  return dt.toFormat("LLLL d, yyyy");
}

/** An instant on the reader's wall clock, to the minute, with the zone ("2026-12-02 10:15 EST"). */
export function formatMinute(value: When, zone: string): string {
  if (!value) return "";
  return instant(value, zone).toFormat("yyyy-MM-dd HH:mm ZZZZ");
}

/**
 * An instant in UTC to the minute, for records that keep UTC ("2026-12-02 15:15 UTC"); without
 * the suffix where a column heading already says UTC (the access reports).
 */
export function formatUtcMinute(value: When, { suffix = true } = {}): string {
  return value ? `${new Date(value).toISOString().slice(0, 16).replace("T", " ")}${suffix ? " UTC" : ""}` : "";
}

/** An instant in UTC to the millisecond, as the audit trail records it. */
export function formatUtcMillisecond(value: When): string {
  return value ? new Date(value).toISOString().replace("T", " ").slice(0, 23) : "";
}

const wholeDollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const dollarsAndCents = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 0,
  maximumFractionDigits: 2,
});

// Formatters are built once: Number#toLocaleString with options builds a new one on every call, which
// cost the dashboard a measurable share of its time with hundreds of contracts on it.
const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const upToThreeDecimals = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });
const upToOneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const plainNumber = new Intl.NumberFormat("en-US");

/** Dollars as agreements write them: whole dollars ("$5,000,000"). */
export const formatUsd = (dollars: number) => wholeDollars.format(dollars);

/** An amount kept in cents, with its cents when it has any ("$1,250.50", "$5,000,000"). */
export const formatCents = (cents: number | null | undefined, none = "Not recorded") =>
  cents === null || cents === undefined ? none : dollarsAndCents.format(cents / 100);

/** Cents as a form field shows them for editing ("1,250.50"); empty for none. */
export const centsForInput = (cents: number | null | undefined) =>
  cents === null || cents === undefined ? "" : twoDecimals.format(cents / 100);

/** A percentage as typed or measured ("99.95%"); up to three decimals, none when whole. */
export const formatPercent = (value: number | string | null | undefined, none = "—") =>
  value === null || value === undefined || value === "" ? none : `${upToThreeDecimals.format(Number(value))}%`;

/** A plain number with thousands separators ("12,500"). */
export const formatNumber = (value: number) => plainNumber.format(value);

/** A count with its unit, singular or plural ("1 hour", "24 hours", "3 entries" with plural "entries"). */
export const formatCount = (n: number, unit: string, plural = `${unit}s`) => `${formatNumber(n)} ${n === 1 ? unit : plural}`;

/** A length of time in minutes as people say it ("50 minutes", "2 hours 5 minutes", "3 days 4 hours"). */
export function formatDuration(totalMinutes: number): string {
  const m = Math.abs(totalMinutes);
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const minutes = m % 60;
  const part = (n: number, unit: string) => (n ? formatCount(n, unit) : "");
  const text = (days ? [part(days, "day"), part(hours, "hour")] : [part(hours, "hour"), part(minutes, "minute")])
    .filter(Boolean)
    .join(" ");
  return text || "0 minutes";
}

/** A file's size as people read it ("512 bytes", "12 KB", "3.4 MB"). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return formatCount(bytes, "byte");
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${upToOneDecimal.format(bytes / (1024 * 1024))} MB`;
  return `${upToOneDecimal.format(bytes / (1024 * 1024 * 1024))} GB`;
}

/** The kind of an organisation as people call it. */
export const organisationKindLabel = (kind: string) =>
  ({ agency: "Agency", vendor: "Vendor (cloud service provider)", platform: "This installation" })[kind] ?? kind;

/** A role as people call it ("Legal", "CJIS officer"), never its internal key. */
export const roleLabel = (role: string | null | undefined) => (!role ? "" : isRole(role) ? ROLES[role].label : role);

/** A network address as a person reads it: an IPv4 address the server saw through IPv6 ("::ffff:127.0.0.1") as plain IPv4. */
export function formatAddress(ip: string | null | undefined): string {
  if (!ip) return "";
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped ? mapped[1]! : ip;
}
