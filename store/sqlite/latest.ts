/**
 * A device's newest Reading and every device's last-seen time, from the embedded store. Rows not rolled
 * up yet are searched slot by slot from the newest (a seek each: one for a device that reports); for the
 * rolled-up hours, devices.last_ts holds the newest ts, set when each hour is rolled up.
 */
import type Database from 'better-sqlite3';
import { METRIC_NAMES } from '../../core/metrics.js';
import type { LatestReading } from '../telemetry-store.js';
import { HOUR_MS } from './hours.js';
import type { ReadingsTable } from './readings.js';
import type { Rollups } from './rollups.js';
import { SLOT_MS } from './schema.js';

export interface LatestQueries {
  latest(dev: number): LatestReading | null;
  lastSeen(at?: number): Map<string, number>;
}

export function createLatestQueries(
  db: Database.Database,
  readings: ReadingsTable,
  rollups: Rollups,
): LatestQueries {
  const lastOf = db.prepare<[number], { last_ts: number | null }>(
    'SELECT last_ts FROM devices WHERE dev = ?',
  );
  const all = db.prepare<[], { dev: number; device_id: string; last_ts: number | null }>(
    'SELECT dev, device_id, last_ts FROM devices',
  );
  const hourWithData = db.prepare<[number, number], { hour: number | null }>(
    'SELECT max(hour) AS hour FROM rollup_hour WHERE dev = ? AND hour <= ?',
  );

  /** Where the rows not rolled up yet are: the slots [down, slot of `at`], or null. */
  function recent(at: number | undefined): { at: number; down: number } | null {
    const slots = readings.slots();
    if (!slots) return null;
    const covered = rollups.watermark();
    const down = Math.max(slots.lo, covered === null ? slots.lo : Math.floor(covered / SLOT_MS));
    const top = Math.min(at ?? Number.POSITIVE_INFINITY, (slots.hi + 1) * SLOT_MS - 1);
    return top >= down * SLOT_MS ? { at: top, down } : null;
  }

  /** Newest ts at or before `at` among rolled-up hours: jumps through the hours that have a rollup row. */
  function rolledAtOrBefore(dev: number, at: number, lowest: number): number | null {
    let before = at;
    for (;;) {
      const hour = hourWithData.get(dev, before)?.hour;
      // Older hours than the oldest raw row are known only as rollups (retention): no exact ts to give.
      if (hour === null || hour === undefined || hour + HOUR_MS <= lowest) return null;
      const ts = readings.newestIn(dev, before, hour / SLOT_MS);
      if (ts !== null) return ts;
      before = hour - 1;
    }
  }

  return {
    latest(dev) {
      const r = recent(undefined);
      const ts = (r && readings.newestIn(dev, r.at, r.down)) ?? lastOf.get(dev)?.last_ts;
      if (ts === null || ts === undefined) return null;
      // Retention may have removed even the newest row of a long-silent device.
      const row = readings.row(dev, ts);
      if (!row) return null;
      const values: LatestReading['values'] = {};
      for (const m of METRIC_NAMES) {
        const v = row[m];
        if (v !== null && v !== undefined) values[m] = v;
      }
      const out: LatestReading = { ts, values };
      if (row.seq !== null && row.seq !== undefined) out.seq = row.seq;
      return out;
    },
    lastSeen(at) {
      const out = new Map<string, number>();
      const r = recent(at);
      const lowest = (readings.slots()?.lo ?? Number.POSITIVE_INFINITY) * SLOT_MS;
      for (const d of all.all()) {
        const hit = r ? readings.newestIn(d.dev, r.at, r.down) : null;
        if (hit !== null) out.set(d.device_id, hit);
        else if (d.last_ts === null) continue;
        else if (at === undefined || d.last_ts <= at) out.set(d.device_id, d.last_ts);
        else {
          const ts = rolledAtOrBefore(d.dev, at, lowest);
          if (ts !== null) out.set(d.device_id, ts);
        }
      }
      return out;
    },
  };
}
