/** The embedded TelemetryStore: SQLite through better-sqlite3 (WAL), readings, hourly rollups and alerts in one file. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createAlertsTables } from './sqlite/alerts.js';
import { createCoverageDaysTable } from './sqlite/coverage-days.js';
import { createDevicesTable } from './sqlite/devices.js';
import { createLatestQueries } from './sqlite/latest.js';
import { createQualityQueries } from './sqlite/quality.js';
import { createReadingsTable } from './sqlite/readings.js';
import { createRetention, type PruneResult, type RetentionOptions } from './sqlite/retention.js';
import { createRollups } from './sqlite/rollups.js';
import { createSamplesTable } from './sqlite/samples.js';
import { migrateReadings } from './sqlite/schema.js';
import { createSeriesQueries } from './sqlite/series.js';
import { createWriter } from './sqlite/writer.js';
import {
  LAST_SEEN_LOOKBACK_MS,
  type LatestValues,
  StoreError,
  type TelemetryStore,
} from './telemetry-store.js';

export interface SqliteStoreOptions {
  /** Database file, or ':memory:'. */
  path: string;
  retention?: RetentionOptions;
  /** How often retention runs (default hourly; 0 = only when `prune` is called). It also runs at open. */
  pruneIntervalMs?: number;
  /** Wall clock for retention, epoch ms. */
  clock?: () => number;
  /** SQLite page cache in MiB (default 64): the tails of every device's key range should stay in memory. */
  cacheMiB?: number;
}

export interface SqliteStore extends TelemetryStore {
  /** Deletes raw Readings and rollups past their retention, as of `now` (default: the clock). */
  prune(now?: number): PruneResult;
}

export function createSqliteStore(opts: SqliteStoreOptions): SqliteStore {
  const clock = opts.clock ?? Date.now;
  let db: Database.Database;
  try {
    if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
    db = new Database(opts.path);
    // WAL lets the API read while ingest writes. A device's PUBACK follows the commit, so the commit
    // must survive power loss too: in WAL mode only synchronous = FULL syncs the WAL on every commit
    // (NORMAL survives a process crash but may lose the last commits on power loss; SQLite's PRAGMA
    // synchronous documentation). Ingest batches Readings, so this costs one fsync per batch.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = ${-1024 * (opts.cacheMiB ?? 64)}`);
    migrateReadings(db);
  } catch (e) {
    throw new StoreError(`cannot open SQLite store at ${opts.path}: ${(e as Error).message}`, { cause: e });
  }
  const devices = createDevicesTable(db);
  const readings = createReadingsTable(db);
  const rollups = createRollups(db);
  const writer = createWriter({ db, devices, readings, rollups });
  const series = createSeriesQueries(db, readings, rollups);
  const quality = createQualityQueries(db, readings, rollups);
  const latest = createLatestQueries(db, readings, rollups);
  const retention = createRetention(db, devices, rollups, opts.retention);
  const alerts = createAlertsTables(db);
  const samples = createSamplesTable(db);
  const coverageDays = createCoverageDaysTable(db);

  const prune = (now = clock()) => retention.prune(now);
  prune();
  const interval = opts.pruneIntervalMs ?? 3_600_000;
  const timer = interval > 0 ? setInterval(() => prune(), interval) : null;
  timer?.unref();

  /** better-sqlite3 is synchronous: a failure surfaces as a thrown SqliteError, turned into a StoreError here. */
  const guard = <T>(what: string, fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      if (e instanceof StoreError) return Promise.reject(e);
      return Promise.reject(
        new StoreError(`SQLite store at ${opts.path}: ${what}: ${(e as Error).message}`, { cause: e }),
      );
    }
  };

  return {
    writeReadings: (batch) => guard('write', () => (batch.length > 0 ? writer.write(batch) : undefined)),
    queryReadings: (q) =>
      guard('query', () => {
        const dev = devices.find(q.deviceId);
        return dev === undefined ? [] : series.query(dev, q);
      }),
    lastSeen: (at) =>
      guard('last seen', () => {
        const since = (at ?? clock()) - LAST_SEEN_LOOKBACK_MS;
        const seen = latest.lastSeen(at);
        for (const [id, ts] of seen) if (ts < since) seen.delete(id);
        return seen;
      }),
    latestReading: (deviceId) =>
      guard('latest', () => {
        const dev = devices.find(deviceId);
        return dev === undefined ? null : latest.latest(dev);
      }),
    latestValues: ({ deviceIds, from, to }) =>
      guard('latest values', () => {
        const out = new Map<string, LatestValues>();
        for (const id of deviceIds) {
          const dev = devices.find(id);
          const values = dev === undefined ? {} : readings.newestValues(dev, from, to);
          if (Object.keys(values).length > 0) out.set(id, values);
        }
        return out;
      }),
    qualityCounts: (q) => guard('quality counts', () => quality.counts(q)),
    appendAlertEvents: (events) =>
      guard('append alert events', () => (events.length > 0 ? alerts.append(events) : undefined)),
    listAlerts: (q) => guard('list alerts', () => alerts.list(q)),
    getAlert: (id) => guard('get alert', () => alerts.get(id)),
    activeAlerts: () => guard('active alerts', () => alerts.active()),
    listIncidents: (q) => guard('list incidents', () => alerts.incidents(q)),
    getIncident: (id, counties) => guard('get incident', () => alerts.incident(id, counties)),
    alertEventsAfter: (afterId, limit) => guard('alert events', () => alerts.eventsAfter(afterId, limit)),
    latestAlertEventId: () => guard('alert events', () => alerts.latestEventId()),
    writeSamples: (batch) =>
      guard('write samples', () => (batch.length > 0 ? samples.write(batch) : undefined)),
    querySamples: (q) => guard('query samples', () => samples.query(q)),
    labCounts: (q) => guard('lab counts', () => samples.counts(q)),
    writeCoverageDays: (days) =>
      guard('write coverage days', () => (days.length > 0 ? coverageDays.write(days) : undefined)),
    coverageDays: (q) => guard('coverage days', () => coverageDays.query(q)),
    ping: () => guard('ping', () => void db.prepare('SELECT 1').get()),
    // Every write commits before its promise settles: nothing is ever in flight.
    flush: async () => {},
    async close() {
      if (timer) clearInterval(timer);
      if (db.open) db.close();
    },
    prune,
  };
}
