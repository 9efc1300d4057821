import { readFileSync } from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  daysBetween,
  endOfDayIn,
  isDay,
  parseLocalTime,
  startOfDayIn,
  todayIn,
} from "../../app/modules/dates.ts";
import {
  formatCents,
  formatCount,
  formatDay,
  formatDuration,
  formatFileSize,
  formatLongDay,
  formatMinute,
  formatPercent,
  formatUsd,
  formatUtcMillisecond,
  formatUtcMinute,
  organisationKindLabel,
  roleLabel,
} from "../../app/modules/format.ts";
import { US_TIME_ZONES, zoneForState } from "../../app/modules/time-zones.ts";
import { migrationsFolder } from "../../db/client.ts";

describe("calendar days", () => {
  it("count today on the organization's own calendar: 06:30 UTC on December 2 is still December 1 in Honolulu", () => {
    const at = new Date("2026-12-02T06:30:00Z");
    expect(todayIn("America/New_York", at)).toBe("2026-12-02");
    expect(todayIn("America/Los_Angeles", at)).toBe("2026-12-01");
    expect(todayIn("Pacific/Honolulu", at)).toBe("2026-12-01");
    expect(todayIn("Pacific/Guam", at)).toBe("2026-12-02");
    expect(todayIn("UTC", new Date("2026-12-02T23:59:59.999Z"))).toBe("2026-12-02");
  });

  it("turns the day over at each local midnight of a year, across daylight-saving changes, half-hour zones and the date line", () => {
    const zones = [
      "America/New_York",
      "America/Phoenix",
      "Pacific/Honolulu",
      "Asia/Kolkata",
      "Australia/Adelaide",
      "Pacific/Chatham",
      "Pacific/Kiritimati",
      "Europe/London",
    ];
    const wrong: string[] = [];
    for (const zone of zones) {
      for (let day = DateTime.fromISO("2026-01-01", { zone }); day.year === 2026; day = day.plus({ days: 1 })) {
        const midnight = day.startOf("day").toJSDate();
        const expected: [Date, string][] = [
          [new Date(midnight.getTime() - 1), day.minus({ days: 1 }).toISODate()!],
          [midnight, day.toISODate()!],
          [new Date(midnight.getTime() + 12 * 3_600_000), day.toISODate()!],
        ];
        for (const [at, want] of expected)
          if (todayIn(zone, at) !== want) wrong.push(`${zone} ${at.toISOString()}: ${todayIn(zone, at)}, not ${want}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("add months keeping the day or the month's last day, and count days across a daylight-saving change", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-03-15", -12)).toBe("2025-03-15");
    expect(addDays("2026-03-07", 2)).toBe("2026-03-09");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(daysBetween("2026-03-01", "2026-04-01")).toBe(31);
    expect(daysBetween("2026-12-02", "2026-11-30")).toBe(-2);
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2028-02-29")).toBe(true);
    expect(() => addDays("12/02/2026", 1)).toThrow("not a calendar day");
  });

  it("end a day at its last instant on the zone's clock, so a role 'through December 31' in Chicago lasts until 05:59:59.999 UTC", () => {
    expect(endOfDayIn("2026-12-31", "America/Chicago").toISOString()).toBe("2027-01-01T05:59:59.999Z");
    expect(startOfDayIn("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
  });

  it("refuse a typed time that never happened or happened twice, naming the zone", () => {
    expect(parseLocalTime("2026-03-08T02:30", "America/New_York", "time")).toMatchObject({ ok: false });
    expect(parseLocalTime("2026-11-01T01:30", "America/Chicago", "time")).toMatchObject({ ok: false });
    expect(parseLocalTime("2026-11-01T01:30", "America/Phoenix", "time")).toMatchObject({ ok: true });
  });
});

describe("time zones of agencies", () => {
  it("follow the state where it keeps one zone, and only suggest one where the state spans two", () => {
    expect(zoneForState("VA")).toEqual({ zone: "America/New_York", certain: true });
    expect(zoneForState("ca")).toEqual({ zone: "America/Los_Angeles", certain: true });
    expect(zoneForState("GU")).toEqual({ zone: "Pacific/Guam", certain: true });
    expect(zoneForState("TX")).toEqual({ zone: "America/Chicago", certain: false });
    expect(zoneForState("FL")).toEqual({ zone: "America/New_York", certain: false });
    expect(zoneForState("AZ")).toEqual({ zone: "America/Phoenix", certain: false });
    expect(zoneForState("ZZ")).toBeNull();
    for (const [zone] of US_TIME_ZONES) expect(todayIn(zone, new Date())).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("start each existing agency, in the migration, on the zone its state suggests", () => {
    const sql = readFileSync(path.join(migrationsFolder, "0015_organisation_time_zones.sql"), "utf8");
    const assigned = new Map<string, string>();
    for (const [, states, zone] of sql.matchAll(/WHEN "state" IN \(([^)]*)\) THEN '([^']+)'/g))
      for (const state of states!.match(/[A-Z]{2}/g)!) assigned.set(state, zone!);
    const all =
      "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI".split(
        " ",
      );
    expect([...assigned.keys()].sort()).toEqual([...all].sort());
    for (const state of all) expect(assigned.get(state), state).toBe(zoneForState(state)!.zone);
  });
});

describe("what people read", () => {
  it("shows an instant on the reader's wall clock with the zone, and UTC only where asked", () => {
    const at = new Date("2026-12-02T15:15:30.123Z");
    expect(formatMinute(at, "America/New_York")).toBe("2026-12-02 10:15 EST");
    expect(formatMinute(new Date("2026-07-02T15:15:00Z"), "America/New_York")).toBe("2026-07-02 11:15 EDT");
    expect(formatMinute(at, "Pacific/Honolulu")).toBe("2026-12-02 05:15 HST");
    expect(formatUtcMinute(at)).toBe("2026-12-02 15:15 UTC");
    expect(formatUtcMinute(at, { suffix: false })).toBe("2026-12-02 15:15");
    expect(formatUtcMillisecond(at)).toBe("2026-12-02 15:15:30.123");
    expect(formatDay(new Date("2026-12-02T06:30:00Z"), "Pacific/Honolulu")).toBe("2026-12-01");
    expect(formatDay("2026-12-02")).toBe("2026-12-02");
    expect(formatLongDay("2026-12-02")).toBe("December 2, 2026");
    expect(formatMinute(null, "UTC")).toBe("");
  });

  it("writes money, percentages, counts, durations and sizes as a person would", () => {
    expect(formatUsd(5_000_000)).toBe("$5,000,000");
    expect(formatCents(125_050)).toBe("$1,250.5");
    expect(formatCents(500_000_000)).toBe("$5,000,000");
    expect(formatCents(null)).toBe("Not recorded");
    expect(formatPercent(99.95)).toBe("99.95%");
    expect(formatPercent("99.9")).toBe("99.9%");
    expect(formatPercent(null)).toBe("—");
    expect(formatCount(1, "hour")).toBe("1 hour");
    expect(formatCount(24, "hour")).toBe("24 hours");
    expect(formatCount(1200, "entry", "entries")).toBe("1,200 entries");
    expect(formatDuration(50)).toBe("50 minutes");
    expect(formatDuration(3 * 1440 + 125)).toBe("3 days 2 hours");
    expect(formatFileSize(512)).toBe("512 bytes");
    expect(formatFileSize(12_345)).toBe("12 KB");
    expect(formatFileSize(3.4 * 1024 * 1024)).toBe("3.4 MB");
  });

  it("names a role as people call it, never by its internal key", () => {
    expect(roleLabel("legal")).toBe("Legal");
    expect(roleLabel("cjis-officer")).toBe("CJIS officer");
    expect(roleLabel("vendor-admin")).toBe("Vendor administrator");
    expect(roleLabel(null)).toBe("");
    expect(organisationKindLabel("agency")).toBe("Agency");
  });
});
