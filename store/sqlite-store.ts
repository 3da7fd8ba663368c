/** The embedded TelemetryStore: SQLite through better-sqlite3 (WAL), readings and alerts in one file. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createAlertsTables } from './sqlite/alerts.js';
import { createReadingsTable } from './sqlite/readings.js';
import { StoreError, type TelemetryStore } from './telemetry-store.js';

export interface SqliteStoreOptions {
  /** Database file, or ':memory:'. */
  path: string;
}

export function createSqliteStore(opts: SqliteStoreOptions): TelemetryStore {
  let db: Database.Database;
  try {
    if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
    db = new Database(opts.path);
    // WAL lets the API read while ingest writes; with synchronous = NORMAL a committed transaction
    // survives a process crash (SQLite WAL documentation), which is the failure ingest guards against.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  } catch (e) {
    throw new StoreError(`cannot open SQLite store at ${opts.path}: ${(e as Error).message}`, { cause: e });
  }
  const readings = createReadingsTable(db);
  const alerts = createAlertsTables(db);

  return {
    async writeReadings(batch) {
      if (batch.length > 0) readings.write(batch);
    },
    queryReadings: async (q) => readings.query(q),
    lastSeen: async (at) => readings.lastSeen(at),
    qualityCounts: async (q) => readings.qualityCounts(q),
    async appendAlertEvents(events) {
      if (events.length > 0) alerts.append(events);
    },
    listAlerts: async (q) => alerts.list(q),
    getAlert: async (id) => alerts.get(id),
    activeAlerts: async () => alerts.active(),
    alertEventsAfter: async (afterId, limit) => alerts.eventsAfter(afterId, limit),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
