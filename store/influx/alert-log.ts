/**
 * Alerts in InfluxDB, in bounded memory: an append-only log of AlertEvents (measurement `alert_event`,
 * read only by time range, alert-event-reads.ts) and each alert's current state as one point overwritten
 * in place (measurement `alert_state`, alert-state.ts), which lists, pages, incidents (incident-reads.ts)
 * and the active alerts read.
 * Nothing here grows with the history: this process holds only the alerts it used lately and the keys
 * of the events it stored lately, both capped.
 *
 * An event's id is the time the store gave it, in µs: above every id this process has seen, and about
 * now. Another process (the API beside ingest) may still land an event with a smaller id a moment after
 * a reader saw a larger one, so `after` lists an event only once it is `settleMs` old: a reader that
 * remembers the last id it got misses nothing as long as writes land within that time.
 *
 * An append does not read the log first. A repeat of an event (same alert, type and time, e.g. replayed
 * after a crash) is refused from the keys of the events stored lately, read back from the log's tail at
 * start-up; only an event older than that window is looked for in the store, with one ranged read.
 */
import type { Alert, AlertEvent } from '../../core/alert.js';
import { applyAlertEvent } from '../../core/alert-merge.js';
import type {
  AlertPage,
  AlertQuery,
  IncidentGroup,
  IncidentPage,
  IncidentQuery,
  StoredAlertEvent,
} from '../telemetry-store.js';
import { createEventReads, type LoggedEvent } from './alert-event-reads.js';
import { stateChanges } from './alert-state.js';
import { createStateReads } from './alert-state-reads.js';
import { ensureAlertStates } from './alert-state-rebuild.js';
import type { InfluxConnection } from './connection.js';
import { createHeldAlerts } from './held-alerts.js';
import { createIncidentReads } from './incident-reads.js';
import { alertEventLine } from './line-protocol.js';
import { createRecentKeys } from './recent-keys.js';
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
  /** What this log holds in memory, and the rows it has read from InfluxDB since it was made. */
  figures(): { heldAlerts: number; heldKeys: number; rowsRead: number };
}

/**
 * Alerts held for merging (held-alerts.ts). A state is about 1 KB of JS objects, so this is about 10 MB;
 * it covers the active alerts of a large county network (devices × rules) and the day's churn.
 */
export const HELD_ALERTS_MAX = 10_000;
/**
 * How long the keys of stored events are kept to refuse repeats. A repeat comes from a message ingest
 * took in again after a crash or a reconnect (MQTT QoS 1 redelivery), which happens within minutes;
 * an older one costs a ranged read, not a duplicate.
 */
export const KEY_WINDOW_MS = 15 * 60_000;
/** At most this many keys (about 150 bytes each), whatever the rate of events. */
export const KEYS_MAX = 50_000;
/**
 * CONTRACT §3: a Reading may be up to 5 minutes in the future, so an alert's raisedAt and an event's
 * time may be that much ahead of the clock that stored it. Reads by time start that much earlier.
 */
const SKEW_US = 5 * 60_000_000;

export interface AlertLogOptions {
  /** How old an event must be before `after` lists it (default 250 ms; 0 when one process writes). */
  settleMs: number;
  clock?: () => number;
  /** Overrides of HELD_ALERTS_MAX, KEY_WINDOW_MS and KEYS_MAX (tests). */
  heldAlerts?: number;
  keyWindowMs?: number;
  keysMax?: number;
}

const keyOf = (e: AlertEvent) => `${e.alert.id}\u0000${e.type}\u0000${e.at}`;

export async function createInfluxAlertLog(
  conn: InfluxConnection,
  writer: LineWriter,
  opts: AlertLogOptions,
): Promise<InfluxAlertLog> {
  const clock = opts.clock ?? Date.now;
  let rowsRead = 0;
  const counted = (n: number) => {
    rowsRead += n;
  };
  const events = createEventReads(conn, counted);
  const states = createStateReads(conn, counted);
  const incidentReads = createIncidentReads(states);
  const windowUs = (opts.keyWindowMs ?? KEY_WINDOW_MS) * 1000;
  const keysMax = opts.keysMax ?? KEYS_MAX;

  const heldMax = opts.heldAlerts ?? HELD_ALERTS_MAX;
  const held = createHeldAlerts(heldMax);
  // A log kept before the state points existed gets them once (the only read of the whole log).
  await ensureAlertStates(conn, writer, events, {
    heldAlerts: heldMax,
    nowUs: clock() * 1000,
    onRows: counted,
  });

  // Start-up reads the log's tail only: the keys of the window, and the newest id to issue above.
  const since = clock() * 1000 - windowUs;
  const tail = await events.tail(since, keysMax);
  const full = tail.length >= keysMax;
  const keys = createRecentKeys({ windowUs, max: keysMax, coveredSince: full ? tail[0]!.id : since });
  for (const t of tail) keys.add(keyOf(t.event), t.id);
  let seen = tail.at(-1)?.id ?? (await events.latest(Number.POSITIVE_INFINITY)) ?? 0;
  let issued = 0;

  /** The events not stored yet: a repeat within the batch, of the window, or (when older) of the store. */
  async function unstored(batch: readonly AlertEvent[]): Promise<AlertEvent[]> {
    keys.expire(clock() * 1000);
    const fresh: AlertEvent[] = [];
    const inBatch = new Set<string>();
    for (const e of batch) {
      const k = keyOf(e);
      if (keys.has(k) || inBatch.has(k)) continue;
      inBatch.add(k);
      fresh.push(e);
    }
    // A copy stored earlier was stored at most SKEW_US before its own time: older than the window, look.
    const older = fresh.filter((e) => Date.parse(e.at) * 1000 - SKEW_US < keys.coveredSince());
    if (older.length === 0) return fresh;
    const from = Math.min(...older.map((e) => Date.parse(e.at) * 1000)) - SKEW_US;
    const found = await events.of([...new Set(older.map((e) => e.alert.id))], from);
    const stored = new Set(found.map((f) => keyOf(f.event)));
    return fresh.filter((e) => !stored.has(keyOf(e)));
  }

  // Appends one at a time, so ids increase in the order events are written and a repeat is seen.
  let appending: Promise<unknown> = Promise.resolve();
  async function appendNow(batch: readonly AlertEvent[]): Promise<void> {
    const fresh = await unstored(batch);
    if (fresh.length === 0) return;
    // A random sub-millisecond start keeps two processes that write in the same ms apart.
    let id = Math.max(clock() * 1000 + Math.floor(Math.random() * 1000), issued + 1, seen + 1);
    const stored = fresh.map((event) => ({ id: id++, event }));
    issued = id - 1;
    const { lines, states: after } = stateChanges(
      stored.map((s) => s.event),
      (alertId) => held.get(alertId),
    );
    await writer.write([...stored.map((s) => alertEventLine(s.event, s.id)), ...lines], 'us');
    for (const s of stored) keys.add(keyOf(s.event), s.id);
    for (const a of after) held.put(a);
    seen = Math.max(seen, issued);
  }

  /** Ids above this are not listed yet (see the module comment). */
  const settledId = () =>
    opts.settleMs > 0 ? clock() * 1000 - opts.settleMs * 1000 : Number.POSITIVE_INFINITY;
  const saw = (list: LoggedEvent[]) => {
    for (const e of list) seen = Math.max(seen, e.id);
    return list;
  };

  return {
    append(batch) {
      const run = appending.then(
        () => appendNow(batch),
        () => appendNow(batch),
      );
      appending = run.catch(() => {});
      return run;
    },
    list: (q) => states.list(q),
    async get(id) {
      const state = await states.byId(id);
      if (!state) return null;
      const logged = saw(await events.of([id], Date.parse(state.raisedAt) * 1000 - SKEW_US));
      // The history in stored order, each event once (a repeat another process stored is dropped), and
      // the state as that history reduces to: the store's own answer, as the embedded store's SQL gives.
      const once = new Set<string>();
      const history = logged.map((l) => l.event).filter((e) => !once.has(keyOf(e)) && once.add(keyOf(e)));
      let alert: Alert | undefined;
      for (const e of history) alert = applyAlertEvent(alert, e);
      const current = alert ?? state;
      held.put(current);
      return { alert: current, events: history };
    },
    incidents: (q) => incidentReads.incidents(q),
    incident: (id, counties) => incidentReads.incident(id, counties),
    async active() {
      const list = await states.active();
      for (const a of list) held.put(a);
      return list;
    },
    async latestId() {
      const id = await events.latest(settledId());
      if (id !== null) seen = Math.max(seen, id);
      return id === null ? null : String(id);
    },
    async after(afterId, limit) {
      const from = afterId !== null && /^\d+$/.test(afterId) ? Number(afterId) : 0;
      const list = saw(await events.after(from, settledId(), limit));
      return list.map((e) => ({ id: String(e.id), event: e.event }));
    },
    figures: () => ({ heldAlerts: held.size(), heldKeys: keys.size(), rowsRead }),
  };
}
