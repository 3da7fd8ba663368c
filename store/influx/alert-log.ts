/**
 * Alerts in InfluxDB: an append-only log of AlertEvents (measurement `alert_event`), read into memory
 * and reduced with mergeAlert, in the order stored, to each alert's current state. At this scale
 * (thousands of alerts) that is simpler and faster than InfluxQL over JSON, and it is exactly the
 * reduction the embedded store does in SQL.
 *
 * An event's id is the time the store gave it, in µs: above every id this process has seen, and about
 * now. Another process (the API beside ingest) may still land an event with a smaller id a moment after
 * a reader saw a larger one, so `after` lists an event only once it is `settleMs` old: a reader that
 * remembers the last id it got misses nothing as long as writes land within that time.
 */
import type { Alert, AlertEvent } from '../../core/alert.js';
import { applyAlertEvent } from '../../core/alert-merge.js';
import { pageAlerts } from '../alert-page.js';
import { groupIncidents, pageIncidents } from '../incident-page.js';
import type {
  AlertPage,
  AlertQuery,
  IncidentGroup,
  IncidentPage,
  IncidentQuery,
  StoredAlertEvent,
} from '../telemetry-store.js';
import type { InfluxConnection } from './connection.js';
import { ident } from './influxql.js';
import { ALERT_EVENT, alertEventLine } from './line-protocol.js';
import type { LineWriter } from './writer.js';

export interface InfluxAlertLog {
  append(events: readonly AlertEvent[]): Promise<void>;
  list(q: AlertQuery): Promise<AlertPage>;
  get(id: string): Promise<{ alert: Alert; events: AlertEvent[] } | null>;
  active(): Promise<Alert[]>;
  after(afterId: string | null, limit: number): Promise<StoredAlertEvent[]>;
  latestId(): Promise<string | null>;
  incidents(q: IncidentQuery): Promise<IncidentPage>;
  incident(id: string, counties?: readonly string[]): Promise<IncidentGroup | null>;
}

export interface AlertLogOptions {
  /** How old an event must be before `after` lists it (default 250 ms; 0 when one process writes). */
  settleMs: number;
  clock?: () => number;
}

/** Each read also re-reads this much of the log's tail, for events another process landed late. */
const OVERLAP_US = 60_000_000;

const keyOf = (e: AlertEvent) => `${e.alert.id}\u0000${e.type}\u0000${e.at}`;

export async function createInfluxAlertLog(
  conn: InfluxConnection,
  writer: LineWriter,
  opts: AlertLogOptions,
): Promise<InfluxAlertLog> {
  const clock = opts.clock ?? Date.now;
  const log: { id: number; event: AlertEvent }[] = [];
  const ids = new Set<number>();
  const keys = new Set<string>();
  const byAlert = new Map<string, { id: number; event: AlertEvent }[]>();
  const alerts = new Map<string, Alert>();
  let seen = 0;
  let issued = 0;

  /** Adds one stored event; a duplicate of an earlier one (same alert, type and time) is ignored. */
  function take(id: number, event: AlertEvent): void {
    if (ids.has(id) || keys.has(keyOf(event))) return;
    ids.add(id);
    keys.add(keyOf(event));
    seen = Math.max(seen, id);
    const entry = { id, event };
    const history = byAlert.get(event.alert.id) ?? [];
    byAlert.set(event.alert.id, history);
    insertSorted(log, entry);
    insertSorted(history, entry);
    const prev = alerts.get(event.alert.id);
    if (history[history.length - 1] === entry) {
      alerts.set(event.alert.id, applyAlertEvent(prev, event));
      return;
    }
    // Landed out of order: the state is the history reduced again in stored order.
    let state: Alert | undefined;
    for (const h of history) state = applyAlertEvent(state, h.event);
    if (state) alerts.set(event.alert.id, state);
  }

  let reading: Promise<void> | null = null;
  /** Reads the log's tail; concurrent callers share one query. */
  function refresh(): Promise<void> {
    reading ??= (async () => {
      try {
        const since = Math.max(0, seen - OVERLAP_US);
        const series = await conn.query(
          `SELECT ${ident('body')} FROM ${conn.from(ALERT_EVENT)} WHERE time > ${since}u`,
          'u',
        );
        const rows = series.flatMap((s) => s.values);
        rows.sort((a, b) => Number(a[0]) - Number(b[0]));
        for (const [t, body] of rows) take(Number(t), JSON.parse(String(body)) as AlertEvent);
      } finally {
        reading = null;
      }
    })();
    return reading;
  }

  // Appends one at a time, so ids increase in the order events are written and a repeat is seen.
  let appending: Promise<unknown> = Promise.resolve();
  async function appendNow(events: readonly AlertEvent[]): Promise<void> {
    await refresh();
    const fresh: AlertEvent[] = [];
    const batch = new Set<string>();
    for (const e of events) {
      if (keys.has(keyOf(e)) || batch.has(keyOf(e))) continue;
      batch.add(keyOf(e));
      fresh.push(e);
    }
    if (fresh.length === 0) return;
    // A random sub-millisecond start keeps two processes that write in the same ms apart.
    let id = Math.max(clock() * 1000 + Math.floor(Math.random() * 1000), issued + 1, seen + 1);
    const stored = fresh.map((event) => ({ id: id++, event }));
    issued = id - 1;
    await writer.write(
      stored.map((s) => alertEventLine(s.event, s.id)),
      'us',
    );
    for (const s of stored) take(s.id, s.event);
  }

  /** Ids above this are not listed yet (see the module comment). */
  const settledId = () =>
    opts.settleMs > 0 ? clock() * 1000 - opts.settleMs * 1000 : Number.POSITIVE_INFINITY;

  await refresh();

  return {
    append(events) {
      const run = appending.then(
        () => appendNow(events),
        () => appendNow(events),
      );
      appending = run.catch(() => {});
      return run;
    },
    async list(q) {
      await refresh();
      return pageAlerts(alerts.values(), q);
    },
    async get(id) {
      await refresh();
      const alert = alerts.get(id);
      return alert ? { alert, events: (byAlert.get(id) ?? []).map((h) => h.event) } : null;
    },
    async incidents(q) {
      await refresh();
      return pageIncidents(alerts.values(), q);
    },
    async incident(id, counties) {
      await refresh();
      const list = groupIncidents(alerts.values(), counties).get(id);
      if (!list) return null;
      return {
        id,
        alerts: list.sort(
          (a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || (a.id < b.id ? -1 : 1),
        ),
      };
    },
    async active() {
      await refresh();
      return [...alerts.values()].filter((a) => a.active);
    },
    async latestId() {
      await refresh();
      const i = firstAfter(log, settledId()) - 1;
      return i >= 0 ? String(log[i]!.id) : null;
    },
    async after(afterId, limit) {
      await refresh();
      const from = afterId !== null && /^\d+$/.test(afterId) ? Number(afterId) : 0;
      const settled = settledId();
      const out: StoredAlertEvent[] = [];
      for (let i = firstAfter(log, from); i < log.length && out.length < limit; i++) {
        const e = log[i]!;
        if (e.id > settled) break;
        out.push({ id: String(e.id), event: e.event });
      }
      return out;
    },
  };
}

/** Inserts by id, from the end: events almost always arrive in order. */
function insertSorted<T extends { id: number }>(list: T[], entry: T): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.id > entry.id) i--;
  list.splice(i, 0, entry);
}

/** Index of the first entry with an id above `id` (binary search). */
function firstAfter(list: { id: number }[], id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.id <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
