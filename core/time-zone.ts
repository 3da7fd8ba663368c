/**
 * Wall-clock time in the region's IANA time zone (CONTRACT §6: calendar periods and day buckets), through
 * the platform's Intl (ICU) time-zone data rather than a hand-kept offset table.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Whether Intl knows the zone name (IANA, e.g. `Asia/Shanghai`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

export interface WallTime {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock fields of an instant in the zone. */
export function wallTime(ms: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of format(zone).formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The zone's offset from UTC at an instant, ms (Asia/Shanghai: +8 h). */
export function offsetMs(ms: number, zone: string): number {
  const w = wallTime(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time names in the zone. Two passes settle the offset across a DST change; a
 * time skipped by a spring-forward gap comes out an hour later, as most calendars do.
 */
export function zonedToUtc(w: WallTime, zone: string): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  let t = naive - offsetMs(naive, zone);
  t = naive - offsetMs(t, zone);
  return t;
}

/** Start of the local day (00:00 in the zone) holding the instant. */
export function startOfDay(ms: number, zone: string): number {
  const w = wallTime(ms, zone);
  return zonedToUtc({ year: w.year, month: w.month, day: w.day, hour: 0, minute: 0, second: 0 }, zone);
}

/** Start of the local day `n` days after the one starting at `dayStart` (n may be negative). */
export function addDays(dayStart: number, n: number, zone: string): number {
  const w = wallTime(dayStart, zone);
  return zonedToUtc({ year: w.year, month: w.month, day: w.day + n, hour: 0, minute: 0, second: 0 }, zone);
}

/** `YYYY-MM-DD` of the local day holding the instant. */
export function localDate(ms: number, zone: string): string {
  const w = wallTime(ms, zone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** A calendar period: a month (`2026-11`), a quarter (`2026-Q4`) or a year (`2026`). */
export interface Period {
  text: string;
  /** Start, inclusive, epoch ms. */
  from: number;
  /** End, exclusive: the start of the next period. */
  until: number;
}

/** Parses a period and places it in the zone; null when malformed. */
export function parsePeriod(text: string, zone: string): Period | null {
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4]))?$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  let first = 1;
  let months = 12;
  if (m[2] !== undefined) {
    first = Number(m[2]);
    if (first < 1 || first > 12) return null;
    months = 1;
  } else if (m[3] !== undefined) {
    first = (Number(m[3]) - 1) * 3 + 1;
    months = 3;
  }
  const at = (y: number, mo: number) =>
    zonedToUtc({ year: y, month: mo, day: 1, hour: 0, minute: 0, second: 0 }, zone);
  const endMonth = first + months;
  const until = endMonth > 12 ? at(year + 1, endMonth - 12) : at(year, endMonth);
  return { text, from: at(year, first), until };
}

/** `YYYY-MM-DD HH:MM` wall-clock time in the zone, as a report shows a time to its readers. */
export function localDateTime(ms: number, zone: string): string {
  const w = wallTime(ms, zone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}
