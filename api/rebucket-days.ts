/**
 * Day buckets in the region's time zone (CONTRACT §6: `every=1d` buckets by local days): the store answers
 * with buckets that divide every local day (an hour, or 15 minutes for zones with a half- or quarter-hour
 * offset), merged here into buckets of `days` local days, each stamped with its local midnight.
 */
import { offsetMs, startOfDay, wallTime, zonedToUtc } from '../core/time-zone.js';
import type { Point } from '../store/telemetry-store.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Store bucket width that never straddles a local midnight of the zone over [from, to]. */
export function fineBucketMs(from: number, to: number, zone: string): number {
  const whole = (t: number) => offsetMs(t, zone) % HOUR_MS === 0;
  return whole(from) && whole(to) ? HOUR_MS : 15 * 60_000;
}

/** Start of the `days`-day bucket holding ts: local days counted from 1970-01-01, grouped by `days`. */
function bucketStart(ts: number, days: number, zone: string): number {
  const day = startOfDay(ts, zone);
  if (days === 1) return day;
  const w = wallTime(day, zone);
  const index = Math.floor(Date.UTC(w.year, w.month - 1, w.day) / DAY_MS);
  const first = index - (((index % days) + days) % days);
  const d = new Date(first * DAY_MS);
  return zonedToUtc(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
    },
    zone,
  );
}

/** Merges points (oldest first) into local-day buckets. */
export function rebucketLocalDays(points: readonly Point[], days: number, zone: string): Point[] {
  const out: Point[] = [];
  let lastKey = Number.NaN;
  let lastDayStart = Number.NaN;
  let lastDayEnd = Number.NaN;
  for (const p of points) {
    // Points of one day share a start: compute it once per day rather than per point.
    let ts: number;
    if (p.ts >= lastDayStart && p.ts < lastDayEnd) ts = lastKey;
    else {
      ts = bucketStart(p.ts, days, zone);
      lastDayStart = startOfDay(p.ts, zone);
      lastDayEnd = lastDayStart + 23 * HOUR_MS; // a safe lower bound on a local day's length
      lastKey = ts;
    }
    const last = out.at(-1);
    if (last && last.ts === ts) {
      const count = last.count + p.count;
      last.mean = (last.mean * last.count + p.mean * p.count) / count;
      last.min = Math.min(last.min, p.min);
      last.max = Math.max(last.max, p.max);
      last.count = count;
    } else out.push({ ...p, ts });
  }
  return out;
}
