/** Maintenance windows kept in the notifier's SQLite file, so they survive restarts with either store. */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Alert } from '../core/alert.js';
import { coveringWindow, type MaintenanceScope, type MaintenanceWindow } from '../core/notify/maintenance.js';
import { isoTime } from '../core/time.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS maintenance (
    id TEXT PRIMARY KEY,
    scope TEXT NOT NULL,
    target TEXT NOT NULL,
    county_id TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS maintenance_ends ON maintenance (ends_at);
`;

export interface NewWindow {
  scope: MaintenanceScope;
  target: string;
  countyId: string;
  startsAt: number;
  endsAt: number;
  reason?: string;
  createdBy: string;
}

export interface MaintenanceQuery {
  /** Only these counties (an operator's scope); absent = all. */
  counties?: readonly string[];
  countyId?: string;
  /** Windows ending after this time, epoch ms; absent = every window. */
  endingAfter?: number;
}

export interface MaintenanceStore {
  add(w: NewWindow, now: number): MaintenanceWindow;
  list(q: MaintenanceQuery): MaintenanceWindow[];
  get(id: string): MaintenanceWindow | undefined;
  remove(id: string): boolean;
  /** The window covering the alert at `at` (its raise time), if any. */
  covering(alert: Pick<Alert, 'siteId' | 'schemeId' | 'deviceId'>, at: number): MaintenanceWindow | undefined;
}

export function createMaintenanceStore(db: Database.Database): MaintenanceStore {
  db.exec(SCHEMA);
  const insert = db.prepare(
    'INSERT INTO maintenance (id, scope, target, county_id, starts_at, ends_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM maintenance WHERE id = ?');
  const del = db.prepare('DELETE FROM maintenance WHERE id = ?');
  const at = db.prepare<[number, number], { body: string }>(
    'SELECT body FROM maintenance WHERE starts_at <= ? AND ends_at > ?',
  );
  const parse = (r: { body: string }) => JSON.parse(r.body) as MaintenanceWindow;
  return {
    add(w, now) {
      const win: MaintenanceWindow = {
        id: randomUUID(),
        scope: w.scope,
        target: w.target,
        countyId: w.countyId,
        startsAt: isoTime(w.startsAt),
        endsAt: isoTime(w.endsAt),
        ...(w.reason ? { reason: w.reason } : {}),
        createdBy: w.createdBy,
        createdAt: isoTime(now),
      };
      insert.run(win.id, w.scope, w.target, w.countyId, w.startsAt, w.endsAt, JSON.stringify(win));
      return win;
    },
    list(q) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (q.counties) {
        if (q.counties.length === 0) return [];
        where.push(`county_id IN (${q.counties.map(() => '?').join(', ')})`);
        args.push(...q.counties);
      }
      if (q.countyId !== undefined) {
        where.push('county_id = ?');
        args.push(q.countyId);
      }
      if (q.endingAfter !== undefined) {
        where.push('ends_at > ?');
        args.push(q.endingAfter);
      }
      const sql = `SELECT body FROM maintenance ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY starts_at, id`;
      return db
        .prepare<unknown[], { body: string }>(sql)
        .all(...args)
        .map(parse);
    },
    get(id) {
      const r = byId.get(id);
      return r ? parse(r) : undefined;
    },
    remove: (id) => del.run(id).changes > 0,
    covering(alert, t) {
      return coveringWindow(at.all(t, t).map(parse), alert, t);
    },
  };
}
