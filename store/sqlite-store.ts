/** The embedded TelemetryStore: SQLite through better-sqlite3, one wide row per Reading. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { METRIC_NAMES } from '../core/metrics.js';
import {
  type Point,
  type ReadingQuery,
  type StoredReading,
  StoreError,
  type TelemetryStore,
} from './telemetry-store.js';

export interface SqliteStoreOptions {
  /** Database file, or ':memory:'. */
  path: string;
}

const COLUMNS = METRIC_NAMES.join(', ');

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS readings (
    device_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    seq INTEGER,
    ${METRIC_NAMES.map((m) => `${m} REAL`).join(',\n    ')},
    PRIMARY KEY (device_id, ts)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    site_kind TEXT NOT NULL,
    scheme_id TEXT NOT NULL,
    county_id TEXT NOT NULL,
    last_ts INTEGER NOT NULL
  ) WITHOUT ROWID;
`;

export function createSqliteStore(opts: SqliteStoreOptions): TelemetryStore {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(opts.path);
  } catch (e) {
    throw new StoreError(`cannot open SQLite store at ${opts.path}: ${(e as Error).message}`, { cause: e });
  }
  // WAL lets the API read while ingest writes; NORMAL sync is durable across process crashes in WAL mode.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);

  // A later Reading at the same ts overwrites the metrics it carries and keeps the others,
  // which is what InfluxDB does with fields of the same point.
  const upsertReading = db.prepare(
    `INSERT INTO readings (device_id, ts, seq, ${COLUMNS})
     VALUES (?, ?, ?, ${METRIC_NAMES.map(() => '?').join(', ')})
     ON CONFLICT (device_id, ts) DO UPDATE SET seq = coalesce(excluded.seq, seq),
     ${METRIC_NAMES.map((m) => `${m} = coalesce(excluded.${m}, ${m})`).join(', ')}`,
  );
  const upsertDevice = db.prepare(
    `INSERT INTO devices (device_id, site_id, site_kind, scheme_id, county_id, last_ts) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (device_id) DO UPDATE SET site_id = excluded.site_id, site_kind = excluded.site_kind,
       scheme_id = excluded.scheme_id, county_id = excluded.county_id, last_ts = max(last_ts, excluded.last_ts)`,
  );
  const writeBatch = db.transaction((batch: readonly StoredReading[]) => {
    const newest = new Map<string, StoredReading>();
    for (const r of batch) {
      upsertReading.run(r.deviceId, r.ts, r.seq ?? null, ...METRIC_NAMES.map((m) => r.values[m] ?? null));
      const prev = newest.get(r.deviceId);
      if (!prev || prev.ts < r.ts) newest.set(r.deviceId, r);
    }
    for (const r of newest.values())
      upsertDevice.run(r.deviceId, r.siteId, r.siteKind, r.schemeId, r.countyId, r.ts);
  });
  const rawQueries = new Map(
    METRIC_NAMES.map((m) => [
      m,
      db.prepare<[string, number, number], { ts: number; v: number }>(
        `SELECT ts, ${m} AS v FROM readings WHERE device_id = ? AND ts >= ? AND ts <= ? AND ${m} IS NOT NULL ORDER BY ts`,
      ),
    ]),
  );
  const bucketQueries = new Map(
    METRIC_NAMES.map((m) => [
      m,
      db.prepare<[number, number, string, number, number], Point>(
        `SELECT (ts / ?) * ? AS ts, avg(${m}) AS mean, min(${m}) AS min, max(${m}) AS max, count(${m}) AS count
         FROM readings WHERE device_id = ? AND ts >= ? AND ts <= ? AND ${m} IS NOT NULL
         GROUP BY 1 ORDER BY 1`,
      ),
    ]),
  );
  const lastSeenQuery = db.prepare<[], { device_id: string; last_ts: number }>(
    'SELECT device_id, last_ts FROM devices',
  );

  return {
    async writeReadings(batch) {
      if (batch.length > 0) writeBatch(batch);
    },
    async queryReadings(q: ReadingQuery) {
      if (q.everyMs === undefined) {
        return rawQueries
          .get(q.metric)!
          .all(q.deviceId, q.from, q.to)
          .map((r) => ({ ts: r.ts, mean: r.v, min: r.v, max: r.v, count: 1 }));
      }
      return bucketQueries.get(q.metric)!.all(q.everyMs, q.everyMs, q.deviceId, q.from, q.to);
    },
    async lastSeen() {
      return new Map(lastSeenQuery.all().map((r) => [r.device_id, r.last_ts]));
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
