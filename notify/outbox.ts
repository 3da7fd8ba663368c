/** The durable outbox in `${dataDir}/notify.db`: messages to send, alerts being followed, history to store. */
import Database from 'better-sqlite3';
import type { AlertEvent } from '../core/alert.js';
import { isoTime } from '../core/time.js';

/**
 * Its own small SQLite file rather than the telemetry store, so notifications work the same with the
 * embedded store and with InfluxDB, and keep going while the store is down (history waits here). One
 * process owns it: several API/ingest nodes would each need their own notifier with its own file, and
 * then each would send; past one node, run the notifier on one node only (see README).
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    alert_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    step TEXT NOT NULL,
    level INTEGER NOT NULL,
    payload TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    last_error TEXT,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, due_at);
  CREATE INDEX IF NOT EXISTS outbox_alert ON outbox (alert_id);
  CREATE TABLE IF NOT EXISTS followed (
    alert_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    alert TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS followed_open ON followed (state) WHERE state = 'open';
  CREATE TABLE IF NOT EXISTS incidents (incident_id TEXT PRIMARY KEY, alert_id TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS event_clock (alert_id TEXT PRIMARY KEY, last_ms INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
`;

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'canceled';
/** How an alert is followed: open (may repeat and escalate), closed, suppressed, or folded into an incident. */
export type FollowState = 'open' | 'closed' | 'suppressed' | 'folded';

export interface OutboxRow {
  id: number;
  key: string;
  alertId: string;
  channel: string;
  recipient: string;
  step: string;
  level: number;
  /** JSON: the message and the alert snapshot for the history event. */
  payload: string;
  dueAt: number;
  attempts: number;
  state: OutboxState;
}

export interface NewMessage {
  key: string;
  alertId: string;
  channel: string;
  recipient: string;
  step: string;
  level: number;
  payload: string;
  dueAt: number;
}

export function openOutbox(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // A message marked sent must stay marked after a power cut, or it would go out again: fsync each commit.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const q = {
    insert: db.prepare(
      `INSERT OR IGNORE INTO outbox (key, alert_id, channel, recipient, step, level, payload, due_at, state, updated_at)
       VALUES (@key, @alertId, @channel, @recipient, @step, @level, @payload, @dueAt, 'pending', @now)`,
    ),
    due: db.prepare<[number, number], Record<string, unknown>>(
      `SELECT * FROM outbox WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?`,
    ),
    claim: db.prepare(
      `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'pending'`,
    ),
    finish: db.prepare(
      'UPDATE outbox SET state = ?, due_at = ?, last_error = ?, updated_at = ? WHERE id = ?',
    ),
    cancel: db.prepare(
      `UPDATE outbox SET state = 'canceled', updated_at = ? WHERE alert_id = ? AND state = 'pending' AND step IN ('repeat', 'escalate')`,
    ),
    unclaim: db.prepare(`UPDATE outbox SET state = 'pending' WHERE state = 'sending'`),
    maxLevel: db.prepare<[string], { level: number | null; n: number }>(
      `SELECT max(level) AS level, count(*) AS n FROM outbox WHERE alert_id = ? AND state != 'canceled' AND step != 'recovery'`,
    ),
    getFollow: db.prepare<[string], { state: FollowState; alert: string }>(
      'SELECT state, alert FROM followed WHERE alert_id = ?',
    ),
    putFollow: db.prepare(
      `INSERT INTO followed (alert_id, state, alert, raised_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (alert_id) DO UPDATE SET state = excluded.state, alert = excluded.alert, updated_at = excluded.updated_at`,
    ),
    open: db.prepare<[], { alert: string }>(`SELECT alert FROM followed WHERE state = 'open'`),
    claimIncident: db.prepare('INSERT OR IGNORE INTO incidents (incident_id, alert_id) VALUES (?, ?)'),
    incidentOwner: db.prepare<[string], { alert_id: string }>(
      'SELECT alert_id FROM incidents WHERE incident_id = ?',
    ),
    addHistory: db.prepare('INSERT INTO history (event) VALUES (?)'),
    history: db.prepare<[number], { seq: number; event: string }>(
      'SELECT seq, event FROM history ORDER BY seq LIMIT ?',
    ),
    dropHistory: db.prepare('DELETE FROM history WHERE seq <= ?'),
    lastMs: db.prepare<[string], { last_ms: number }>('SELECT last_ms FROM event_clock WHERE alert_id = ?'),
    setMs: db.prepare(
      'INSERT INTO event_clock (alert_id, last_ms) VALUES (?, ?) ON CONFLICT (alert_id) DO UPDATE SET last_ms = excluded.last_ms',
    ),
    getMeta: db.prepare<[string], { v: string }>('SELECT v FROM meta WHERE k = ?'),
    setMeta: db.prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v'),
  };

  const toRow = (r: Record<string, unknown>): OutboxRow => ({
    id: r.id as number,
    key: r.key as string,
    alertId: r.alert_id as string,
    channel: r.channel as string,
    recipient: r.recipient as string,
    step: r.step as string,
    level: r.level as number,
    payload: r.payload as string,
    dueAt: r.due_at as number,
    attempts: r.attempts as number,
    state: r.state as OutboxState,
  });

  /**
   * History events are idempotent in the store by alert id, type and `at` (TelemetryStore): two attempts in
   * the same millisecond would collide, so each alert's notification times are strictly increasing.
   */
  const eventTime = (alertId: string, now: number): string => {
    const last = q.lastMs.get(alertId)?.last_ms ?? Number.NEGATIVE_INFINITY;
    const ms = Math.max(now, last + 1);
    q.setMs.run(alertId, ms);
    return isoTime(ms);
  };

  return {
    /** Queues messages; one already queued under the same key is left as it is (idempotent). */
    enqueue: db.transaction((messages: readonly NewMessage[], now: number) => {
      let added = 0;
      for (const m of messages) added += q.insert.run({ ...m, now }).changes;
      return added;
    }),
    due: (now: number, limit: number) => q.due.all(now, limit).map(toRow),
    /** Marks a row as being sent, durably, before the request goes out. False when another took it. */
    claim: (id: number, now: number) => q.claim.run(now, id).changes > 0,
    /** Records the outcome and its history event in one transaction. */
    finish: db.transaction(
      (
        row: OutboxRow,
        outcome: { state: OutboxState; dueAt: number; error?: string },
        event: Omit<AlertEvent, 'at'>,
        now: number,
      ) => {
        q.finish.run(outcome.state, outcome.dueAt, outcome.error ?? null, now, row.id);
        const full = { ...event, at: eventTime(row.alertId, now) };
        q.addHistory.run(JSON.stringify(full));
      },
    ),
    /** Stops the repeats and escalations still waiting for an alert (acknowledged or cleared). */
    cancelFollowUps: (alertId: string, now: number) => q.cancel.run(now, alertId).changes,
    /**
     * A row left `sending` by a crash may or may not have gone out; it is sent again (with the same
     * idempotency key where the channel takes one): a duplicate page beats a lost one at 2 a.m.
     */
    recoverInterrupted: () => q.unclaim.run().changes,
    /** Highest level notified for an alert (null when nothing was queued for it). */
    levelReached(alertId: string): number | null {
      const r = q.maxLevel.get(alertId);
      return r && r.n > 0 ? r.level : null;
    },
    follow(alertId: string): { state: FollowState; alert: string } | undefined {
      return q.getFollow.get(alertId);
    },
    setFollow(alertId: string, state: FollowState, alert: object, raisedAt: number, now: number) {
      q.putFollow.run(alertId, state, JSON.stringify(alert), raisedAt, now);
    },
    openAlerts: () => q.open.all().map((r) => JSON.parse(r.alert) as AlertEvent['alert']),
    /** The alert that speaks for an incident: the first one claimed. */
    incidentOwner: db.transaction((incidentId: string, alertId: string) => {
      q.claimIncident.run(incidentId, alertId);
      return q.incidentOwner.get(incidentId)?.alert_id ?? alertId;
    }),
    addHistory: (event: Omit<AlertEvent, 'at'>, now: number) =>
      db.transaction(() =>
        q.addHistory.run(JSON.stringify({ ...event, at: eventTime(event.alert.id, now) })),
      )(),
    /** Adds an event with its own time (a `suppressed` mark at the raise time). */
    addHistoryAt: (event: AlertEvent) => q.addHistory.run(JSON.stringify(event)),
    pendingHistory: (limit: number) =>
      q.history.all(limit).map((r) => ({ seq: r.seq, event: JSON.parse(r.event) as AlertEvent })),
    dropHistory: (uptoSeq: number) => q.dropHistory.run(uptoSeq),
    meta: (k: string) => q.getMeta.get(k)?.v,
    setMeta: (k: string, v: string) => q.setMeta.run(k, v),
    db,
    close: () => db.close(),
  };
}

export type Outbox = ReturnType<typeof openOutbox>;
