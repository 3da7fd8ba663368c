/** The embedded TelemetryStore: SQLite through better-sqlite3 (WAL), readings, hourly rollups and alerts in one file. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createAlertsTables } from './sqlite/alerts.js';
import { createCheckpointer } from './sqlite/checkpointer.js';
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
import { createGroupSync, datasyncFile } from './sqlite/wal-sync.js';
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
  /** How the WAL file at a path is flushed to disk (default fdatasync, see wal-sync.ts). */
  syncFile?: (path: string) => { sync: () => Promise<void>; close: () => Promise<void> };
  /** Told of a WAL checkpoint that failed on the checkpointer's thread (the next one retries). */
  onCheckpointError?: (e: Error) => void;
}

export interface SqliteStore extends TelemetryStore {
  /** Deletes raw Readings and rollups past their retention, as of `now` (default: the clock). */
  prune(now?: number): PruneResult;
}

export function createSqliteStore(opts: SqliteStoreOptions): SqliteStore {
  const clock = opts.clock ?? Date.now;
  let db: Database.Database;
  let walMode = false;
  try {
    if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
    db = new Database(opts.path);
    // WAL lets the API read while ingest writes. A device's PUBACK follows the write, so the write must
    // survive power loss too: every write below settles only after the WAL is synced (wal-sync.ts), which
    // is what synchronous = FULL would do inside each COMMIT, but off the event loop.
    walMode = db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
    // Where WAL cannot be had (':memory:', a file system without shared memory), SQLite syncs in COMMIT.
    db.pragma(walMode ? 'synchronous = NORMAL' : 'synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    // Checkpoints run on a worker thread (checkpointer.ts), not inside a COMMIT on the event loop.
    if (walMode) db.pragma('wal_autocheckpoint = 0');
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

  const wal = walMode ? (opts.syncFile ?? datasyncFile)(`${opts.path}-wal`) : null;
  const walSynced = wal ? createGroupSync(wal.sync) : async () => {};
  const checkpointer = walMode
    ? createCheckpointer({
        path: opts.path,
        onError: opts.onCheckpointError,
        // Back to SQLite's default: a checkpoint inside the COMMIT past 1,000 pages, on the event loop.
        onGiveUp: () => db.pragma('wal_autocheckpoint = 1000'),
      })
    : null;
  /** A write that promises durability: the commit, then the WAL on disk. */
  const durable = (what: string, fn: () => void): Promise<void> =>
    guard(what, () => {
      fn();
      checkpointer?.wrote();
    }).then(() =>
      walSynced().catch((e: unknown) => {
        throw new StoreError(
          `SQLite store at ${opts.path}: ${what}: syncing the WAL: ${(e as Error).message}`,
          {
            cause: e,
          },
        );
      }),
    );

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
    // The next batch commits on the event loop while the previous one's WAL sync runs on the thread pool.
    writesInFlight: 2,
    writeReadings: (batch) =>
      batch.length > 0 ? durable('write', () => writer.write(batch)) : Promise.resolve(),
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
      events.length > 0 ? durable('append alert events', () => alerts.append(events)) : Promise.resolve(),
    listAlerts: (q) => guard('list alerts', () => alerts.list(q)),
    getAlert: (id) => guard('get alert', () => alerts.get(id)),
    activeAlerts: () => guard('active alerts', () => alerts.active()),
    listIncidents: (q) => guard('list incidents', () => alerts.incidents(q)),
    getIncident: (id, counties) => guard('get incident', () => alerts.incident(id, counties)),
    alertEventsAfter: (afterId, limit) => guard('alert events', () => alerts.eventsAfter(afterId, limit)),
    latestAlertEventId: () => guard('alert events', () => alerts.latestEventId()),
    writeSamples: (batch) =>
      batch.length > 0 ? durable('write samples', () => samples.write(batch)) : Promise.resolve(),
    querySamples: (q) => guard('query samples', () => samples.query(q)),
    labCounts: (q) => guard('lab counts', () => samples.counts(q)),
    writeCoverageDays: (days) =>
      days.length > 0 ? durable('write coverage days', () => coverageDays.write(days)) : Promise.resolve(),
    coverageDays: (q) => guard('coverage days', () => coverageDays.query(q)),
    ping: () => guard('ping', () => void db.prepare('SELECT 1').get()),
    // Every write is committed and synced before its promise settles: nothing is ever in flight.
    flush: async () => {},
    async close() {
      if (timer) clearInterval(timer);
      // The checkpointer's connection and the WAL file first: closing the last connection checkpoints
      // and removes it.
      await checkpointer?.close();
      await wal?.close();
      if (db.open) db.close();
    },
    prune,
  };
}
