/** Series from the embedded store: whole rolled-up hours from the rollup, everything else from raw rows. */
import type Database from 'better-sqlite3';
import { METRIC_NAMES } from '../../core/metrics.js';
import type { Point, ReadingQuery } from '../telemetry-store.js';
import { HOUR_MS, splitHours } from './hours.js';
import type { Bucket, ReadingsTable } from './readings.js';
import type { Rollups } from './rollups.js';

export interface SeriesQueries {
  query(dev: number, q: ReadingQuery): Point[];
}

export function createSeriesQueries(
  db: Database.Database,
  readings: ReadingsTable,
  rollups: Rollups,
): SeriesQueries {
  const fromRollup = new Map(
    METRIC_NAMES.map((m) => [
      m,
      db.prepare<[number, number, number, number], Bucket>(
        `SELECT hour - hour % ? AS ts, sum(${m}_n) AS count, sum(${m}_sum) AS sum, min(${m}_min) AS min,
           max(${m}_max) AS max
         FROM rollup_hour WHERE dev = ? AND hour >= ? AND hour < ? AND ${m}_n > 0 GROUP BY 1`,
      ),
    ]),
  );

  return {
    query(dev, { metric, from, to, everyMs, limit }) {
      if (everyMs === undefined) {
        const rows = readings.raw(dev, metric, from, to, limit);
        rows.sort((a, b) => a.ts - b.ts);
        return rows.map((r) => ({ ts: r.ts, mean: r.v, min: r.v, max: r.v, count: 1 }));
      }
      // A bucket a whole number of hours wide is a union of whole hours (both are epoch-aligned), so
      // whole hours can come from the rollup; narrower buckets come from raw rows only.
      const split =
        everyMs % HOUR_MS === 0
          ? splitHours(from, to, rollups.watermark())
          : { hours: null, raw: [[from, to] as [number, number]] };
      const parts: Bucket[] = [];
      for (const [a, b] of split.raw) parts.push(...readings.buckets(dev, metric, a, b, everyMs));
      if (split.hours)
        parts.push(...fromRollup.get(metric)!.all(everyMs, dev, split.hours.from, split.hours.to));
      return combine(parts).map((b) => ({
        ts: b.ts,
        mean: b.sum / b.count,
        min: b.min,
        max: b.max,
        count: b.count,
      }));
    },
  };
}

/** Adds up the parts of each bucket (partial hours, whole hours from the rollup), oldest first. */
function combine(parts: Bucket[]): Bucket[] {
  const byTs = new Map<number, Bucket>();
  for (const p of parts) {
    const b = byTs.get(p.ts);
    if (!b) {
      byTs.set(p.ts, { ...p });
      continue;
    }
    b.count += p.count;
    b.sum += p.sum;
    if (p.min < b.min) b.min = p.min;
    if (p.max > b.max) b.max = p.max;
  }
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}
