/** Times are shown in UTC, as the audit trail records them. */
export function utcDay(d: Date | string | null | undefined): string {
  return d ? new Date(d).toISOString().slice(0, 10) : "";
}

export function utcMinute(d: Date | string | null | undefined): string {
  return d ? new Date(d).toISOString().slice(0, 16).replace("T", " ") : "";
}
