/** Readings in SQLite: one wide row per device and ts, and a device table of dimensions and last-seen time. */
import type Database from 'better-sqlite3';
import { METRIC_NAMES } from '../../core/metrics.js';
import type { Point, QualityCount, ReadingQuery, StoredReading } from '../telemetry-store.js';

const COLUMNS = METRIC_NAMES.join(', ');

export const READINGS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS readings (
    device_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    seq INTEGER,
    ${METRIC_NAMES.map((m) => `${m} REAL`).join(',\n    ')},
    q_n INTEGER NOT NULL DEFAULT 0,
    q_ok INTEGER NOT NULL DEFAULT 0,
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

export interface ReadingsTable {
  write(batch: readonly StoredReading[]): void;
  query(q: ReadingQuery): Point[];
  lastSeen(at?: number): Map<string, number>;
  qualityCounts(q: { from: number; to: number; countyId?: string }): QualityCount[];
}

export function createReadingsTable(db: Database.Database): ReadingsTable {
  db.exec(READINGS_SCHEMA);
  // A later Reading at the same ts overwrites the metrics it carries and keeps the others,
  // which is what InfluxDB does with the fields of one point.
  const upsertReading = db.prepare(
    `INSERT INTO readings (device_id, ts, seq, ${COLUMNS}, q_n, q_ok)
     VALUES (?, ?, ?, ${METRIC_NAMES.map(() => '?').join(', ')}, ?, ?)
     ON CONFLICT (device_id, ts) DO UPDATE SET seq = coalesce(excluded.seq, seq),
     ${METRIC_NAMES.map((m) => `${m} = coalesce(excluded.${m}, ${m})`).join(', ')},
     q_n = excluded.q_n, q_ok = excluded.q_ok`,
  );
  const upsertDevice = db.prepare(
    `INSERT INTO devices (device_id, site_id, site_kind, scheme_id, county_id, last_ts) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (device_id) DO UPDATE SET site_id = excluded.site_id, site_kind = excluded.site_kind,
       scheme_id = excluded.scheme_id, county_id = excluded.county_id, last_ts = max(last_ts, excluded.last_ts)`,
  );
  const write = db.transaction((batch: readonly StoredReading[]) => {
    const newest = new Map<string, StoredReading>();
    for (const r of batch) {
      upsertReading.run(
        r.deviceId,
        r.ts,
        r.seq ?? null,
        ...METRIC_NAMES.map((m) => r.values[m] ?? null),
        r.qualitySamples,
        r.qualityCompliant,
      );
      const prev = newest.get(r.deviceId);
      if (!prev || prev.ts < r.ts) newest.set(r.deviceId, r);
    }
    for (const r of newest.values())
      upsertDevice.run(r.deviceId, r.siteId, r.siteKind, r.schemeId, r.countyId, r.ts);
  });
  const raw = new Map(
    METRIC_NAMES.map((m) => [
      m,
      db.prepare<[string, number, number], { ts: number; v: number }>(
        `SELECT ts, ${m} AS v FROM readings WHERE device_id = ? AND ts >= ? AND ts <= ? AND ${m} IS NOT NULL ORDER BY ts`,
      ),
    ]),
  );
  const buckets = new Map(
    METRIC_NAMES.map((m) => [
      m,
      db.prepare<[number, number, string, number, number], Point>(
        `SELECT (ts / ?) * ? AS ts, avg(${m}) AS mean, min(${m}) AS min, max(${m}) AS max, count(${m}) AS count
         FROM readings WHERE device_id = ? AND ts >= ? AND ts <= ? AND ${m} IS NOT NULL
         GROUP BY 1 ORDER BY 1`,
      ),
    ]),
  );
  const lastSeenAll = db.prepare<[], { device_id: string; last_ts: number }>(
    'SELECT device_id, last_ts FROM devices',
  );
  const lastSeenAt = db.prepare<[number], { device_id: string; last_ts: number }>(
    `SELECT d.device_id, (SELECT max(ts) FROM readings r WHERE r.device_id = d.device_id AND r.ts <= ?) AS last_ts
     FROM devices d`,
  );
  const quality = db.prepare<[number, number, string | null, string | null], QualityCount>(
    `SELECT d.scheme_id AS schemeId, d.county_id AS countyId, sum(r.q_n) AS samples, sum(r.q_ok) AS compliant
     FROM readings r JOIN devices d ON d.device_id = r.device_id
     WHERE r.ts >= ? AND r.ts <= ? AND r.q_n > 0 AND (? IS NULL OR d.county_id = ?)
     GROUP BY d.scheme_id, d.county_id ORDER BY d.scheme_id`,
  );

  return {
    write: (batch) => write(batch),
    query(q) {
      if (q.everyMs === undefined) {
        return raw
          .get(q.metric)!
          .all(q.deviceId, q.from, q.to)
          .map((r) => ({ ts: r.ts, mean: r.v, min: r.v, max: r.v, count: 1 }));
      }
      return buckets.get(q.metric)!.all(q.everyMs, q.everyMs, q.deviceId, q.from, q.to);
    },
    lastSeen(at) {
      const rows = at === undefined ? lastSeenAll.all() : lastSeenAt.all(at);
      return new Map(rows.filter((r) => r.last_ts !== null).map((r) => [r.device_id, r.last_ts]));
    },
    qualityCounts: (q) => quality.all(q.from, q.to, q.countyId ?? null, q.countyId ?? null),
  };
}
