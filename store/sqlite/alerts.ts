/** Alerts in SQLite: the current state of each alert and the append-only history of its events. */
import type Database from 'better-sqlite3';
import type { Alert, AlertEvent } from '../../core/alert.js';
import { applyAlertEvent } from '../../core/alert-merge.js';
import { decodeCursor, encodeCursor } from '../alert-cursor.js';
import type {
  AlertPage,
  AlertQuery,
  IncidentGroup,
  IncidentPage,
  IncidentQuery,
  StoredAlertEvent,
} from '../telemetry-store.js';
import { createIncidentReads, INCIDENT } from './incident-reads.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    raised_at INTEGER NOT NULL,
    county_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    active INTEGER NOT NULL,
    acknowledged INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (raised_at DESC, id DESC);
  CREATE INDEX IF NOT EXISTS alerts_active ON alerts (active) WHERE active = 1;
  CREATE INDEX IF NOT EXISTS alerts_by_incident ON alerts (${INCIDENT});
  CREATE TABLE IF NOT EXISTS alert_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT NOT NULL,
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (alert_id, type, at)
  );
`;

export interface AlertsTables {
  append(events: readonly AlertEvent[]): void;
  list(q: AlertQuery): AlertPage;
  get(id: string): { alert: Alert; events: AlertEvent[] } | null;
  active(): Alert[];
  eventsAfter(afterId: string | null, limit: number): StoredAlertEvent[];
  latestEventId(): string | null;
  incidents(q: IncidentQuery): IncidentPage;
  incident(id: string, counties?: readonly string[]): IncidentGroup | null;
}

export function createAlertsTables(db: Database.Database): AlertsTables {
  db.exec(SCHEMA);
  const insertEvent = db.prepare(
    'INSERT OR IGNORE INTO alert_events (alert_id, type, at, body) VALUES (?, ?, ?, ?)',
  );
  const getBody = db.prepare<[string], { body: string }>('SELECT body FROM alerts WHERE id = ?');
  const putAlert = db.prepare(
    `INSERT INTO alerts (id, raised_at, county_id, device_id, severity, active, acknowledged, body)
     VALUES (@id, @raisedAt, @countyId, @deviceId, @severity, @active, @acknowledged, @body)
     ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, active = excluded.active,
       acknowledged = excluded.acknowledged, body = excluded.body`,
  );
  const eventsOf = db.prepare<[string], { body: string }>(
    'SELECT body FROM alert_events WHERE alert_id = ? ORDER BY seq',
  );
  const activeRows = db.prepare<[], { body: string }>('SELECT body FROM alerts WHERE active = 1');
  const newestSeq = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM alert_events');
  const after = db.prepare<[number, number], { seq: number; body: string }>(
    'SELECT seq, body FROM alert_events WHERE seq > ? ORDER BY seq LIMIT ?',
  );

  const append = db.transaction((events: readonly AlertEvent[]) => {
    for (const e of events) {
      const inserted = insertEvent.run(e.alert.id, e.type, e.at, JSON.stringify(e)).changes > 0;
      if (!inserted) continue;
      const prev = getBody.get(e.alert.id);
      const alert = applyAlertEvent(prev ? (JSON.parse(prev.body) as Alert) : undefined, e);
      putAlert.run({
        id: alert.id,
        raisedAt: Date.parse(alert.raisedAt),
        countyId: alert.countyId,
        deviceId: alert.deviceId,
        severity: alert.severity,
        active: alert.active ? 1 : 0,
        acknowledged: alert.acknowledged ? 1 : 0,
        body: JSON.stringify(alert),
      });
    }
  });

  const ofIncident = db.prepare<[string], { body: string }>(
    `SELECT body FROM alerts WHERE ${INCIDENT} = ? ORDER BY raised_at, id`,
  );
  const incidentReads = createIncidentReads(db);

  return {
    append: (events) => append(events),
    incidents: (q) => incidentReads.incidents(q),
    incident(id, counties) {
      const scope = counties === undefined ? null : new Set(counties);
      const alerts = ofIncident
        .all(id)
        .map((r) => JSON.parse(r.body) as Alert)
        .filter((a) => !scope || scope.has(a.countyId));
      return alerts.length > 0 ? { id, alerts } : null;
    },
    list(q) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const add = (sql: string, ...v: (string | number)[]) => {
        where.push(sql);
        args.push(...v);
      };
      if (q.active !== undefined) add('active = ?', q.active ? 1 : 0);
      if (q.acknowledged !== undefined) add('acknowledged = ?', q.acknowledged ? 1 : 0);
      if (q.severity !== undefined) add('severity = ?', q.severity);
      if (q.countyId !== undefined) add('county_id = ?', q.countyId);
      if (q.counties !== undefined) {
        if (q.counties.length === 0) return { items: [] };
        add(`county_id IN (${q.counties.map(() => '?').join(', ')})`, ...q.counties);
      }
      if (q.deviceId !== undefined) add('device_id = ?', q.deviceId);
      if (q.since !== undefined) add('raised_at >= ?', q.since);
      if (q.suppressed !== undefined)
        add("coalesce(json_extract(body, '$.suppressed'), 0) = ?", q.suppressed ? 1 : 0);
      if (q.cursor !== undefined) {
        const c = decodeCursor(q.cursor);
        add('(raised_at < ? OR (raised_at = ? AND id < ?))', c.raisedAt, c.raisedAt, c.id);
      }
      const sql = `SELECT body FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY raised_at DESC, id DESC LIMIT ?`;
      const rows = db.prepare<unknown[], { body: string }>(sql).all(...args, q.limit + 1);
      const items = rows.slice(0, q.limit).map((r) => JSON.parse(r.body) as Alert);
      const last = items[items.length - 1];
      return rows.length > q.limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
    },
    get(id) {
      const row = getBody.get(id);
      if (!row) return null;
      return {
        alert: JSON.parse(row.body) as Alert,
        events: eventsOf.all(id).map((r) => JSON.parse(r.body) as AlertEvent),
      };
    },
    active: () => activeRows.all().map((r) => JSON.parse(r.body) as Alert),
    latestEventId() {
      const seq = newestSeq.get()?.seq;
      return seq === null || seq === undefined ? null : String(seq);
    },
    eventsAfter(afterId, limit) {
      const from = afterId === null ? 0 : Number(afterId);
      return after
        .all(Number.isSafeInteger(from) ? from : 0, limit)
        .map((r) => ({ id: String(r.seq), event: JSON.parse(r.body) as AlertEvent }));
    },
  };
}
