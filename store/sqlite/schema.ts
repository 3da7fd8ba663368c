/** The readings schema of the embedded store and its upgrade from earlier layouts, keyed by `PRAGMA user_version`. */
import type Database from 'better-sqlite3';
import { METRIC_NAMES } from '../../core/metrics.js';
import { StoreError } from '../telemetry-store.js';

/** 0: a new file, or the first layout (readings keyed by the device id text); 2: this one. */
export const SCHEMA_VERSION = 2;

/**
 * Raw rows are clustered by 5-minute slot, then device, then ts. Why not by device first: a batch of one
 * Reading from each of 1,000 devices would then dirty 1,000 pages, and every commit writes each dirty
 * page whole to the WAL (measured here: about 7,000 Readings/s). By slot, a batch lands in the few pages
 * of the current slot, and one device's rows are still one seek per slot. `dev` is a small integer per
 * device, so keys are a few bytes instead of the id text. WITHOUT ROWID: the key is the table (SQLite,
 * "The WITHOUT ROWID Optimization"). The hourly rollup (count/sum/min/max per metric, quality sums) is
 * by device then hour, as long charts read it; `meta.rolled_until` says which hours it covers.
 */
export const SLOT_MS = 300_000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS devices (
    dev INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL UNIQUE,
    site_id TEXT NOT NULL,
    site_kind TEXT NOT NULL,
    scheme_id TEXT NOT NULL,
    county_id TEXT NOT NULL,
    last_ts INTEGER
  );
  CREATE INDEX IF NOT EXISTS devices_by_county ON devices (county_id);
  CREATE TABLE IF NOT EXISTS readings (
    slot INTEGER NOT NULL,
    dev INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    seq INTEGER,
    ${METRIC_NAMES.map((m) => `${m} REAL`).join(',\n    ')},
    q_n INTEGER NOT NULL,
    q_ok INTEGER NOT NULL,
    PRIMARY KEY (slot, dev, ts)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS rollup_hour (
    dev INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    q_n INTEGER NOT NULL,
    q_ok INTEGER NOT NULL,
    ${METRIC_NAMES.map((m) => `${m}_n INTEGER, ${m}_sum REAL, ${m}_min REAL, ${m}_max REAL`).join(',\n    ')},
    PRIMARY KEY (dev, hour)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/** Column values of a readings row after (slot, dev, ts): seq, the metrics, q_n, q_ok. */
export const VALUE_COLUMNS = ['seq', ...METRIC_NAMES, 'q_n', 'q_ok'];

/** The rollup columns after (dev, hour), and the aggregates over raw rows (of table alias `t`) that fill them. */
export const ROLLUP_COLUMNS = [
  'q_n',
  'q_ok',
  ...METRIC_NAMES.flatMap((m) => [`${m}_n`, `${m}_sum`, `${m}_min`, `${m}_max`]),
];
export const rollupAggregates = (t = ''): string[] => [
  `coalesce(sum(${t}q_n), 0)`,
  `coalesce(sum(${t}q_ok), 0)`,
  ...METRIC_NAMES.flatMap((m) => [`count(${t}${m})`, `sum(${t}${m})`, `min(${t}${m})`, `max(${t}${m})`]),
];

/** How a rollup column takes in another part of its hour: sums add, min/max combine, NULL = none yet. */
export function mergeColumn(c: string): string {
  if (c.endsWith('_min')) return `${c} = coalesce(min(${c}, excluded.${c}), ${c}, excluded.${c})`;
  if (c.endsWith('_max')) return `${c} = coalesce(max(${c}, excluded.${c}), ${c}, excluded.${c})`;
  if (c === 'q_n' || c === 'q_ok') return `${c} = ${c} + excluded.${c}`;
  return `${c} = coalesce(${c} + excluded.${c}, ${c}, excluded.${c})`;
}

/** Creates or upgrades the readings tables; one transaction, so a crash mid-way leaves the old layout. */
export function migrateReadings(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      `the embedded store was written by a newer waterline (schema ${version}, this one knows ${SCHEMA_VERSION})`,
    );
  }
  db.transaction(() => {
    const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('readings')`).all();
    const legacy = columns.some((c) => c.name === 'device_id');
    if (legacy) {
      db.exec('ALTER TABLE readings RENAME TO readings_v1; ALTER TABLE devices RENAME TO devices_v1;');
    }
    db.exec(SCHEMA);
    if (legacy) {
      const values = VALUE_COLUMNS.join(', ');
      // No hour of the old rows is rolled up yet: the rollup catches up an hour per write (rollups.ts).
      db.exec(`
        INSERT INTO devices (device_id, site_id, site_kind, scheme_id, county_id, last_ts)
          SELECT device_id, site_id, site_kind, scheme_id, county_id, last_ts FROM devices_v1;
        INSERT INTO devices (device_id, site_id, site_kind, scheme_id, county_id, last_ts)
          SELECT r.device_id, '', '', '', '', max(r.ts) FROM readings_v1 r
          WHERE r.device_id NOT IN (SELECT device_id FROM devices) GROUP BY r.device_id;
        INSERT INTO readings (slot, dev, ts, ${values})
          SELECT r.ts / ${SLOT_MS}, d.dev, r.ts, ${VALUE_COLUMNS.map((c) => `r.${c}`).join(', ')}
          FROM readings_v1 r JOIN devices d ON d.device_id = r.device_id;
        INSERT INTO meta (key, value)
          SELECT 'rolled_until', (min(ts) / 3600000) * 3600000 FROM readings_v1 HAVING count(*) > 0;
        DROP TABLE readings_v1;
        DROP TABLE devices_v1;
      `);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
