/**
 * The hourly rollup of the embedded store. It covers every hour before a watermark (`rolled_until`):
 * an hour is rolled up in one statement once it is over, and a write into an hour already rolled up
 * (backfill) updates it in the same transaction, so for every covered hour the rollup equals its raw rows.
 */
import type Database from 'better-sqlite3';
import { METRIC_NAMES } from '../../core/metrics.js';
import type { StoredReading } from '../telemetry-store.js';
import { HOUR_MS, hourOf } from './hours.js';
import { SLOTS } from './readings.js';
import { mergeColumn, ROLLUP_COLUMNS, rollupAggregates, SLOT_MS } from './schema.js';

const M = METRIC_NAMES.length;

/** One (device, hour) of a batch: what its new Readings add. */
interface Delta {
  dev: number;
  hour: number;
  qn: number;
  qok: number;
  n: number[];
  sum: number[];
  min: number[];
  max: number[];
}

/** Accumulates one write transaction's changes to covered hours; `apply` writes them before it commits. */
export interface RollupBatch {
  /** A Reading that was inserted into a covered hour. */
  add(dev: number, r: StoredReading): void;
  /** A Reading that overwrote an earlier one in a covered hour: the device's hour is recomputed. */
  overwrote(dev: number, ts: number): void;
  apply(): void;
}

export interface Rollups {
  /** Hours before this are covered; null before the first write. Read from the file each time, so a reader
   * in another process (the API beside ingest) sees the writer's progress. */
  watermark(): number | null;
  /** Sets the watermark of an empty store to the hour of its first Reading. Call inside a write transaction. */
  start(ts: number): void;
  batch(): RollupBatch;
  /** Rolls up the hour at the watermark (every device, one transaction) and moves the watermark past it. */
  closeHour(): void;
}

export function createRollups(db: Database.Database): Rollups {
  const read = db.prepare<[], { value: number }>(`SELECT value FROM meta WHERE key = 'rolled_until'`);
  const write = db.prepare<[number]>(
    `INSERT INTO meta (key, value) VALUES ('rolled_until', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const upsert = db.prepare(
    `INSERT INTO rollup_hour (dev, hour, ${ROLLUP_COLUMNS.join(', ')})
     VALUES (?, ?, ${ROLLUP_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT (dev, hour) DO UPDATE SET ${ROLLUP_COLUMNS.map(mergeColumn).join(', ')}`,
  );
  // The device's hour from its raw rows: one seek per slot of the hour.
  const recompute = db.prepare<[{ a: number; b: number; dev: number; hour: number }]>(
    `INSERT OR REPLACE INTO rollup_hour (dev, hour, ${ROLLUP_COLUMNS.join(', ')})
     ${SLOTS} SELECT @dev, @hour, ${rollupAggregates('r.').join(', ')}
     FROM s CROSS JOIN readings r ON r.slot = s.slot AND r.dev = @dev`,
  );
  // Every device's hour: devices in key order, each with a seek per slot, so the GROUP BY streams
  // (no temporary B-tree; measured here about 20 % faster than grouping the hour's stretch of the table).
  const rollHour = db.prepare<[{ a: number; b: number; hour: number }]>(
    `INSERT OR REPLACE INTO rollup_hour (dev, hour, ${ROLLUP_COLUMNS.join(', ')})
     ${SLOTS} SELECT d.dev, @hour, ${rollupAggregates('r.').join(', ')}
     FROM devices d CROSS JOIN s CROSS JOIN readings r ON r.slot = s.slot AND r.dev = d.dev GROUP BY d.dev`,
  );
  // devices.last_ts holds each device's newest ts among rolled-up hours; newer rows are found by seeks.
  const lastSeen = db.prepare<[{ a: number; b: number }]>(
    `UPDATE devices SET last_ts = n.ts FROM (SELECT dev, max(ts) AS ts FROM readings
       WHERE slot >= @a AND slot <= @b GROUP BY dev) n
     WHERE devices.dev = n.dev AND (devices.last_ts IS NULL OR devices.last_ts < n.ts)`,
  );
  const watermark = (): number | null => read.get()?.value ?? null;
  const params: (number | null)[] = new Array(2 + ROLLUP_COLUMNS.length).fill(null);
  const slotsOf = (hour: number) => ({ a: hour / SLOT_MS, b: (hour + HOUR_MS) / SLOT_MS - 1 });

  const close = db.transaction((hour: number) => {
    const slots = slotsOf(hour);
    rollHour.run({ ...slots, hour });
    lastSeen.run(slots);
    write.run(hour + HOUR_MS);
  });

  return {
    watermark,
    start(ts) {
      if (watermark() === null) write.run(hourOf(ts));
    },
    batch() {
      // Keyed by a number, not a string: dev * 2^23 + hour index stays exact below 2^53 for any dev
      // under 2^30 and hours until the year 2926.
      const deltas = new Map<number, Delta>();
      const dirty = new Map<number, { dev: number; hour: number }>();
      const key = (dev: number, hour: number) => dev * 8_388_608 + hour / HOUR_MS;
      return {
        add(dev, r) {
          const hour = hourOf(r.ts);
          const k = key(dev, hour);
          let d = deltas.get(k);
          if (!d) {
            d = {
              dev,
              hour,
              qn: 0,
              qok: 0,
              n: new Array<number>(M).fill(0),
              sum: new Array<number>(M).fill(0),
              min: new Array<number>(M).fill(Number.POSITIVE_INFINITY),
              max: new Array<number>(M).fill(Number.NEGATIVE_INFINITY),
            };
            deltas.set(k, d);
          }
          d.qn += r.qualitySamples;
          d.qok += r.qualityCompliant;
          for (let i = 0; i < M; i++) {
            const v = r.values[METRIC_NAMES[i]!];
            if (v === undefined) continue;
            d.n[i]!++;
            d.sum[i]! += v;
            if (v < d.min[i]!) d.min[i] = v;
            if (v > d.max[i]!) d.max[i] = v;
          }
        },
        overwrote(dev, ts) {
          const hour = hourOf(ts);
          dirty.set(key(dev, hour), { dev, hour });
        },
        apply() {
          for (const d of deltas.values()) {
            params[0] = d.dev;
            params[1] = d.hour;
            params[2] = d.qn;
            params[3] = d.qok;
            for (let i = 0; i < M; i++) {
              const has = d.n[i]! > 0;
              params[4 + i * 4] = has ? d.n[i]! : null;
              params[5 + i * 4] = has ? d.sum[i]! : null;
              params[6 + i * 4] = has ? d.min[i]! : null;
              params[7 + i * 4] = has ? d.max[i]! : null;
            }
            upsert.run(...params);
          }
          // After the deltas, so a recomputed hour is exactly its raw rows whatever the batch added to it.
          for (const { dev, hour } of dirty.values()) recompute.run({ ...slotsOf(hour), dev, hour });
        },
      };
    },
    closeHour() {
      const hour = watermark();
      if (hour !== null) close(hour);
    },
  };
}
