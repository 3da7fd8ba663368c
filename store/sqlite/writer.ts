/**
 * The write path of the embedded store: one transaction per batch; Readings in hours the rollup already
 * covers (backfill) update it in the same transaction, and once the newest data is well past the next
 * hour, that hour is rolled up (in its own transaction, one hour per write, so the pause stays bounded).
 */
import type Database from 'better-sqlite3';
import type { StoredReading } from '../telemetry-store.js';
import type { DevicesTable } from './devices.js';
import { HOUR_MS } from './hours.js';
import type { ReadingsTable } from './readings.js';
import type { Rollups } from './rollups.js';

/** An hour is rolled up once Readings 10 minutes past its end have arrived: room for late sends and clock skew. */
export const LATE_MS = 600_000;

export interface Writer {
  write(batch: readonly StoredReading[]): void;
}

export interface WriterDeps {
  db: Database.Database;
  devices: DevicesTable;
  readings: ReadingsTable;
  rollups: Rollups;
}

export function createWriter(deps: WriterDeps): Writer {
  const { db, devices, readings, rollups } = deps;
  let newest = Math.max(
    db.prepare<[], { ts: number | null }>('SELECT max(last_ts) AS ts FROM devices').get()?.ts ??
      Number.NEGATIVE_INFINITY,
    readings.newest() ?? Number.NEGATIVE_INFINITY,
  );

  const write = db.transaction((batch: readonly StoredReading[]) => {
    let oldest = Number.POSITIVE_INFINITY;
    for (const r of batch) {
      if (r.ts > newest) newest = r.ts;
      if (r.ts < oldest) oldest = r.ts;
    }
    rollups.start(oldest);
    const covered = rollups.watermark()!;
    const rollup = rollups.batch();
    for (const r of batch) {
      const dev = devices.keyFor(r);
      if (r.ts >= covered) {
        // Its device's last-seen time is found among the rows not rolled up yet (latest.ts) and
        // recorded when its hour is rolled up: no per-Reading update of the devices table.
        readings.upsert(dev, r);
        continue;
      }
      if (readings.put(dev, r)) rollup.add(dev, r);
      else rollup.overwrote(dev, r.ts);
      devices.seen(dev, r.ts);
    }
    rollup.apply();
  });

  return {
    write(batch) {
      try {
        write(batch);
      } catch (e) {
        devices.reset();
        throw e;
      }
      // A backlog (after seeding old data, or an upgrade) drains an hour per write. The batch is committed
      // by now: a failure here must not fail the write. Rolling up rolls back whole and is tried again on
      // the next write, and until then queries read the hour's raw rows, so answers stay exact.
      const next = rollups.watermark();
      if (next === null || next + HOUR_MS + LATE_MS > newest) return;
      try {
        rollups.closeHour();
      } catch {
        // See above.
      }
    },
  };
}
