/** Raw Readings in SQLite: one wide row per (slot, device, ts); one device's rows are read with one seek per slot. */
import type Database from 'better-sqlite3';
import { METRIC_NAMES, type Metric } from '../../core/metrics.js';
import type { StoredReading } from '../telemetry-store.js';
import { SLOT_MS } from './schema.js';

/** One bucket before its mean is taken, so parts of a bucket from the rollup and raw rows can be added up. */
export interface Bucket {
  ts: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export type Row = Record<string, number | null>;

export interface ReadingsTable {
  /** Inserts, or merges into the Reading at the same device and ts (the metrics it carries win). */
  upsert(dev: number, r: StoredReading): void;
  /** Like upsert, and says whether the row is new (the rollup of a closed hour needs to know). */
  put(dev: number, r: StoredReading): boolean;
  raw(dev: number, metric: Metric, from: number, to: number, limit?: number): { ts: number; v: number }[];
  /** The device's newest value of each metric with ts in [from, to]. */
  newestValues(dev: number, from: number, to: number): Partial<Record<Metric, { value: number; ts: number }>>;
  /** Buckets of `every` ms over one device's rows in [from, to]. */
  buckets(dev: number, metric: Metric, from: number, to: number, every: number): Bucket[];
  /** Sums of q_n / q_ok per device with ts in [from, to], of the listed devices (or all). */
  quality(from: number, to: number, devs: readonly number[] | null): { dev: number; n: number; ok: number }[];
  row(dev: number, ts: number): Row | undefined;
  /** ts of the device's newest row at or before `at` among slots [downTo, slot of at], newest slot first. */
  newestIn(dev: number, at: number, downTo: number): number | null;
  /** The newest ts in the table (of the newest slot), or null when it is empty. */
  newest(): number | null;
  /** Slots holding rows: [lo, hi], or null when the table is empty. */
  slots(): { lo: number; hi: number } | null;
}

/** A run of slots [@a, @b], one row per slot, for the planner to loop over (outer loop of a CROSS JOIN). */
export const SLOTS = 'WITH RECURSIVE s(slot) AS (SELECT @a UNION ALL SELECT slot + 1 FROM s WHERE slot < @b)';

export function createReadingsTable(db: Database.Database): ReadingsTable {
  /**
   * One statement per set of carried columns, binding only those: a Reading carries two or three of the
   * eight metrics, and binding the absent ones as NULL was a good part of the insert's cost here. A
   * later Reading at the same ts overwrites the metrics (and seq) it carries and keeps the others, which
   * is what InfluxDB does with the fields of one point; its quality counts are always written, so they replace.
   */
  const statements = new Map<
    number,
    { upsert: Database.Statement; insert: Database.Statement; cols: Metric[] }
  >();
  const statementsFor = (r: StoredReading) => {
    let mask = r.seq === undefined ? 0 : 1;
    for (let i = 0; i < METRIC_NAMES.length; i++)
      if (r.values[METRIC_NAMES[i]!] !== undefined) mask |= 2 << i;
    let s = statements.get(mask);
    if (!s) {
      const cols = METRIC_NAMES.filter((_, i) => mask & (2 << i));
      const names = [...(mask & 1 ? ['seq'] : []), ...cols, 'q_n', 'q_ok'];
      const insert = `INSERT INTO readings (slot, dev, ts, ${names.join(', ')}) VALUES (?, ?, ?, ${names.map(() => '?').join(', ')})`;
      s = {
        upsert: db.prepare(
          `${insert} ON CONFLICT (slot, dev, ts) DO UPDATE SET ${names.map((c) => `${c} = excluded.${c}`).join(', ')}`,
        ),
        insert: db.prepare(`${insert} ON CONFLICT DO NOTHING`),
        cols,
      };
      statements.set(mask, s);
    }
    return s;
  };
  const args = (r: StoredReading, dev: number, cols: Metric[]): number[] => {
    const out = [Math.floor(r.ts / SLOT_MS), dev, r.ts];
    if (r.seq !== undefined) out.push(r.seq);
    for (const m of cols) out.push(r.values[m]!);
    out.push(r.qualitySamples, r.qualityCompliant);
    return out;
  };
  const row = db.prepare<[number, number, number], Row>(
    'SELECT * FROM readings WHERE slot = ? AND dev = ? AND ts = ?',
  );
  const lowest = db.prepare<[], { slot: number | null }>('SELECT min(slot) AS slot FROM readings');
  const highest = db.prepare<[], { slot: number | null }>('SELECT max(slot) AS slot FROM readings');
  const newestOfSlot = db.prepare<[number], { ts: number | null }>(
    'SELECT max(ts) AS ts FROM readings WHERE slot = ?',
  );
  const newestInSlot = db.prepare<[number, number, number], { ts: number }>(
    'SELECT ts FROM readings WHERE slot = ? AND dev = ? AND ts <= ? ORDER BY ts DESC LIMIT 1',
  );
  type Range = { a: number; b: number; dev: number; from: number; to: number };
  type Limited = Range & { limit: number };
  const join =
    'FROM s CROSS JOIN readings r ON r.slot = s.slot AND r.dev = @dev AND r.ts >= @from AND r.ts <= @to';
  const raw = new Map(
    METRIC_NAMES.map((m) => [
      m,
      // Rows come out as the loop visits them: slots ascending (the CTE counts up), each slot's rows in
      // key order (ts ascending), so LIMIT stops the scan at the oldest `limit` values. An ORDER BY would
      // make SQLite sort every row first (EXPLAIN QUERY PLAN: USE TEMP B-TREE), defeating the limit.
      db.prepare<[Limited], { ts: number; v: number }>(
        `${SLOTS} SELECT r.ts, r.${m} AS v ${join} WHERE r.${m} IS NOT NULL LIMIT @limit`,
      ),
    ]),
  );
  // One device's rows of one slot, newest first: a seek on the key (slot, dev, ts).
  const slotRows = db.prepare<[number, number, number, number], Record<string, number | null>>(
    `SELECT ts, ${METRIC_NAMES.join(', ')} FROM readings
     WHERE slot = ? AND dev = ? AND ts >= ? AND ts <= ? ORDER BY ts DESC`,
  );
  // `ts - ts % every`, not `(ts / every) * every`: it truncates whether SQLite sees the bound number as
  // an integer or a real.
  const buckets = new Map(
    METRIC_NAMES.map((m) => [
      m,
      db.prepare<[Range & { every: number }], Bucket>(
        `${SLOTS} SELECT r.ts - r.ts % @every AS ts, count(r.${m}) AS count, sum(r.${m}) AS sum,
           min(r.${m}) AS min, max(r.${m}) AS max ${join} WHERE r.${m} IS NOT NULL GROUP BY 1`,
      ),
    ]),
  );
  const qualityOf = db.prepare<[Range], { dev: number; n: number; ok: number }>(
    `${SLOTS} SELECT @dev AS dev, coalesce(sum(r.q_n), 0) AS n, coalesce(sum(r.q_ok), 0) AS ok ${join}`,
  );
  const qualityAll = db.prepare<[number, number, number, number], { dev: number; n: number; ok: number }>(
    `SELECT dev, sum(q_n) AS n, sum(q_ok) AS ok FROM readings
     WHERE slot >= ? AND slot <= ? AND ts >= ? AND ts <= ? GROUP BY dev`,
  );

  const slots = (): { lo: number; hi: number } | null => {
    // Two statements: SQLite answers a lone min() or max() of the key's first column from one end of the
    // B-tree ("The Min/Max Optimization"); both in one query would scan the table.
    const lo = lowest.get()!.slot;
    const hi = highest.get()!.slot;
    return lo === null || hi === null ? null : { lo, hi };
  };
  /** The slots overlapping [from, to] that can hold rows, or null. */
  const within = (from: number, to: number): { a: number; b: number } | null => {
    const s = slots();
    if (!s) return null;
    const a = Math.max(s.lo, Math.floor(from / SLOT_MS));
    const b = Math.min(s.hi, Math.floor(to / SLOT_MS));
    return a <= b ? { a, b } : null;
  };

  return {
    upsert(dev, r) {
      const s = statementsFor(r);
      s.upsert.run(...args(r, dev, s.cols));
    },
    put(dev, r) {
      const s = statementsFor(r);
      const a = args(r, dev, s.cols);
      if (s.insert.run(...a).changes > 0) return true;
      s.upsert.run(...a);
      return false;
    },
    raw(dev, metric, from, to, limit) {
      const s = within(from, to);
      // SQLite: a negative LIMIT is no limit.
      return s ? raw.get(metric)!.all({ ...s, dev, from, to, limit: limit ?? -1 }) : [];
    },
    newestValues(dev, from, to) {
      const out: Partial<Record<Metric, { value: number; ts: number }>> = {};
      const s = within(from, to);
      if (!s) return out;
      // Slot by slot from the newest: a device that reports is done in its newest slot; a metric it
      // never carries walks the window down, which bounds the cost by the window's slots.
      let missing = METRIC_NAMES.length;
      for (let slot = s.b; slot >= s.a && missing > 0; slot--) {
        for (const row of slotRows.iterate(slot, dev, from, to)) {
          for (const m of METRIC_NAMES) {
            const v = row[m];
            if (v === null || v === undefined || out[m] !== undefined) continue;
            out[m] = { value: v, ts: row.ts as number };
            missing--;
          }
        }
      }
      return out;
    },
    buckets(dev, metric, from, to, every) {
      const s = within(from, to);
      return s ? buckets.get(metric)!.all({ ...s, dev, from, to, every }) : [];
    },
    quality(from, to, devs) {
      const s = within(from, to);
      if (!s) return [];
      if (devs === null) return qualityAll.all(s.a, s.b, from, to);
      return devs.map((dev) => qualityOf.get({ ...s, dev, from, to })!).filter((r) => r.n > 0);
    },
    row: (dev, ts) => row.get(Math.floor(ts / SLOT_MS), dev, ts),
    newestIn(dev, at, downTo) {
      for (let slot = Math.floor(at / SLOT_MS); slot >= downTo; slot--) {
        const hit = newestInSlot.get(slot, dev, at);
        if (hit) return hit.ts;
      }
      return null;
    },
    newest() {
      const hi = highest.get()!.slot;
      return hi === null ? null : newestOfSlot.get(hi)!.ts;
    },
    slots,
  };
}
