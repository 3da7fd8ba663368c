/**
 * The InfluxDB alert log against a real influxd: memory bounded whatever the length of the history,
 * start-up and reads by time range, no read before an append, and a second process's events seen.
 */
import { InfluxDB } from '@influxdata/influxdb-client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Alert, AlertEvent } from '../../core/alert.js';
import { applyAlertEvent } from '../../core/alert-merge.js';
import { alertId } from '../../core/rules/alerts.js';
import { BadCursorError } from '../../store/alert-cursor.js';
import { groupIncidents, pageIncidents } from '../../store/incident-page.js';
import {
  type AlertLogOptions,
  createInfluxAlertLog,
  type InfluxAlertLog,
} from '../../store/influx/alert-log.js';
import { connectInflux, type InfluxConnection } from '../../store/influx/connection.js';
import { alertEventLine } from '../../store/influx/line-protocol.js';
import { createWriteTransport } from '../../store/influx/transport.js';
import { createLineWriter, type LineWriter } from '../../store/influx/writer.js';
import type { IncidentQuery } from '../../store/telemetry-store.js';
import { alert, iso, MIN } from './fixtures.js';

const url = inject('influxUrl');
let n = 0;
const closers: (() => void)[] = [];
afterAll(() => {
  for (const close of closers) close();
});

/** A connection and a writer as the store builds them, on a database of the test's own. */
async function open(bucket: string): Promise<{ conn: InfluxConnection; writer: LineWriter }> {
  const conn = await connectInflux({ url: url ?? '', bucket, timeoutMs: 10_000 });
  const transport = createWriteTransport({
    url: url ?? '',
    headers: conn.headers,
    timeoutMs: 10_000,
    gzipThreshold: Number.POSITIVE_INFINITY,
  });
  closers.push(() => transport.close());
  const influx = new InfluxDB({ url: url ?? '', transport, timeout: 10_000 });
  const retry = { maxRetries: 0, minRetryDelayMs: 100, maxRetryDelayMs: 100, maxRetryTimeMs: 1_000 };
  const writer = createLineWriter({
    influx,
    conn,
    timeoutMs: 10_000,
    batchSize: 5_000,
    gzipThreshold: Number.POSITIVE_INFINITY,
    retry,
  });
  return { conn, writer };
}

async function makeLog(bucket: string, opts: Partial<AlertLogOptions> = {}): Promise<InfluxAlertLog> {
  const { conn, writer } = await open(bucket);
  return createInfluxAlertLog(conn, writer, { settleMs: 0, ...opts });
}

const DEVICES = ['d-plant', 'd-pipe', 'd-tap', 'd-res'] as const;

/** Alert `i` of a long run: a device and rule each, ids as ingest makes them, raised `at`. */
function nth(i: number, at: number): Alert {
  const deviceId = DEVICES[i % DEVICES.length]!;
  return alert(alertId('chlorine-plant', deviceId, at), { deviceId, raisedAt: iso(at) });
}
const raise = (a: Alert): AlertEvent => ({ type: 'raised', at: a.raisedAt, alert: a });
function clear(a: Alert, at: number): AlertEvent {
  return { type: 'cleared', at: iso(at), alert: { ...a, active: false, clearedAt: iso(at) } };
}

/** Every alert, newest first, through the cursors. */
async function everyAlert(log: InfluxAlertLog, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await log.list({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((a) => a.id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
}

/** Every event in the feed, oldest first, `limit` at a time. */
async function everyEvent(log: InfluxAlertLog, limit: number) {
  const out: { id: string; event: AlertEvent }[] = [];
  for (;;) {
    const page = await log.after(out.at(-1)?.id ?? null, limit);
    out.push(...page);
    if (page.length < limit) return out;
  }
}

describe.skipIf(url === null)('influx alert log', () => {
  it('keeps its memory within its bounds over a history far longer, and still answers every read', async () => {
    const bucket = `log${process.pid}_${++n}`;
    const bounds = { heldAlerts: 40, keysMax: 100 };
    let now = Date.now() - 3 * 3_600_000;
    const log = await makeLog(bucket, { ...bounds, clock: () => now });
    const all: Alert[] = [];
    // 3,000 short-lived alerts (raised, then cleared a minute later) over three hours: 6,000 events.
    for (let batch = 0; batch < 30; batch++) {
      const events: AlertEvent[] = [];
      for (let i = 0; i < 100; i++) {
        const a = nth(all.length, now + i * 10);
        all.push(a);
        events.push(raise(a), clear(a, now + i * 10 + MIN));
      }
      await log.append(events);
      now += 6 * MIN;
      const held = log.figures();
      expect(held.heldAlerts).toBeLessThanOrEqual(bounds.heldAlerts);
      expect(held.heldKeys).toBeLessThanOrEqual(bounds.keysMax);
    }
    // The last alert of each device stays active.
    const open = DEVICES.map((_, i) => nth(all.length + i, now + i));
    await log.append(open.map(raise));
    expect(log.figures().heldAlerts).toBeLessThanOrEqual(bounds.heldAlerts);

    const newestFirst = [...all, ...open]
      .sort((a, b) => Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || (a.id < b.id ? 1 : -1))
      .map((a) => a.id);
    expect(await everyAlert(log, 250)).toEqual(newestFirst);
    expect((await log.active()).map((a) => a.id).sort()).toEqual(open.map((a) => a.id).sort());
    expect((await log.list({ limit: 10, active: true })).items.map((a) => a.id)).toEqual(
      [...open].reverse().map((a) => a.id),
    );

    // The oldest alert, long out of memory: its whole history and its merged state.
    const first = all[0]!;
    const got = await log.get(first.id);
    expect(got?.events.map((e) => e.type)).toEqual(['raised', 'cleared']);
    expect(got?.alert).toMatchObject({
      id: first.id,
      active: false,
      clearedAt: iso(Date.parse(first.raisedAt) + MIN),
    });

    // The feed from an old id: the events after it, in order, however far back.
    const feed = await everyEvent(log, 700);
    expect(feed).toHaveLength(2 * all.length + open.length);
    expect(feed.slice(0, 2).map((e) => e.event.alert.id)).toEqual([first.id, first.id]);
    expect(await log.after(feed[10]!.id, 5)).toEqual(feed.slice(11, 16));

    // A repeat of an event stored long before the window is still refused (looked for in the store).
    await log.append([raise(first)]);
    expect((await log.get(first.id))?.events).toHaveLength(2);
    expect(await log.after(feed.at(-1)!.id, 10)).toEqual([]);
    expect(log.figures().heldAlerts).toBeLessThanOrEqual(bounds.heldAlerts);
  }, 60_000);

  it('starts up reading the same few rows however long the history, and answers from the store', async () => {
    const bucket = `log${process.pid}_${++n}`;
    const bounds = { keysMax: 50 };
    // A history written a year ago, a day at a time: 20 alerts a day, each cleared.
    let now = Date.now() - 365 * 86_400_000;
    const writer = await makeLog(bucket, { ...bounds, clock: () => now });
    const written: Alert[] = [];
    const history = async (days: number) => {
      for (let d = 0; d < days; d++) {
        const events: AlertEvent[] = [];
        for (let i = 0; i < 20; i++) {
          const a = nth(written.length, now + i * MIN);
          written.push(a);
          events.push(raise(a), clear(a, now + i * MIN + 30_000));
        }
        await writer.append(events);
        now += 86_400_000;
      }
    };
    const active = DEVICES.map((d, i) =>
      alert(alertId('ph-range', d, now + i), { deviceId: d, ruleId: 'ph-range', raisedAt: iso(now + i) }),
    );
    await writer.append(active.map(raise));

    await history(10);
    const short = await makeLog(bucket, bounds);
    const shortStart = short.figures().rowsRead;
    await history(100);
    const long = await makeLog(bucket, bounds);
    const longStart = long.figures().rowsRead;
    // Nothing of the history is read at start-up: the log's tail of the last minutes (empty here, the
    // history being old), its newest id, and whether its state points exist (a row of each).
    expect(longStart).toBe(shortStart);
    expect(longStart).toBeLessThanOrEqual(3);
    expect(long.figures().heldAlerts).toBe(0);

    const before = long.figures().rowsRead;
    expect((await long.active()).map((a) => a.id).sort()).toEqual(active.map((a) => a.id).sort());
    // Only the active alerts' rows: a flag and a body each.
    expect(long.figures().rowsRead - before).toBe(2 * active.length);
    const newestFirst = [...active, ...written]
      .sort((a, b) => Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || (a.id < b.id ? 1 : -1))
      .map((a) => a.id);
    expect((await long.list({ limit: 20 })).items.map((a) => a.id)).toEqual(newestFirst.slice(0, 20));
    expect(await everyAlert(long, 400)).toEqual(newestFirst);
    const since = Date.parse(written[written.length - 40]!.raisedAt);
    expect((await long.list({ limit: 100, since })).items.map((a) => a.id)).toEqual(
      newestFirst.filter((id) => Number(id.split('.').at(-1)) >= since),
    );
  }, 60_000);

  it('appends without reading the store first', async () => {
    const bucket = `log${process.pid}_${++n}`;
    const log = await makeLog(bucket);
    const a = nth(0, Date.now());
    await log.append([raise(a)]);
    const before = log.figures().rowsRead;
    await log.append([clear(a, Date.now() + 1_000), raise(nth(1, Date.now()))]);
    await log.append([raise(a)]); // a repeat, refused from memory
    expect(log.figures().rowsRead).toBe(before);
    expect((await log.get(a.id))?.events.map((e) => e.type)).toEqual(['raised', 'cleared']);
  });

  it('sees in list, get and after the events another process appended, merged with its own', async () => {
    const bucket = `log${process.pid}_${++n}`;
    const ingest = await makeLog(bucket);
    const api = await makeLog(bucket);
    const t = Date.now();
    const a = nth(0, t);
    await ingest.append([raise(a)]);
    expect((await api.list({ limit: 5 })).items).toEqual([a]);
    const acked: Alert = {
      ...a,
      acknowledged: true,
      acknowledgedAt: iso(t + 1_000),
      acknowledgedBy: 'ops',
      note: 'crew sent',
    };
    await api.append([{ type: 'acknowledged', at: iso(t + 1_000), alert: acked }]);
    // Ingest clears from its own snapshot, which has not seen the acknowledgement, and reads nothing first.
    await ingest.append([clear(a, t + 2_000)]);
    const merged: Alert = { ...acked, active: false, clearedAt: iso(t + 2_000) };
    for (const log of [ingest, api]) {
      expect((await log.list({ limit: 5 })).items).toEqual([merged]);
      expect((await log.get(a.id))?.alert).toEqual(merged);
      expect((await log.get(a.id))?.events.map((e) => e.type)).toEqual(['raised', 'acknowledged', 'cleared']);
      expect((await log.after(null, 10)).map((e) => e.event.type)).toEqual([
        'raised',
        'acknowledged',
        'cleared',
      ]);
      expect(await log.active()).toEqual([]);
    }
  });

  it('gives a log kept before state points existed its states once, at start-up', async () => {
    const bucket = `log${process.pid}_${++n}`;
    const { writer } = await open(bucket);
    const t = Date.now() - 86_400_000;
    const [a, b, c] = [0, 1, 2].map((i) => nth(i, t + i * MIN)) as [Alert, Alert, Alert];
    const acked: Alert = {
      ...a,
      acknowledged: true,
      acknowledgedAt: iso(t + 5 * MIN),
      acknowledgedBy: 'ops',
    };
    const old: AlertEvent[] = [
      raise(a),
      raise(b),
      raise(c),
      { type: 'acknowledged', at: iso(t + 5 * MIN), alert: acked },
      clear(b, t + 6 * MIN),
    ];
    await writer.write(
      old.map((e, i) => alertEventLine(e, (t + i) * 1000)),
      'us',
    );
    const log = await makeLog(bucket);
    expect((await log.active()).map((x) => x.id).sort()).toEqual([a.id, c.id].sort());
    expect((await log.list({ limit: 5 })).items.map((x) => [x.id, x.active, x.acknowledged])).toEqual([
      [c.id, true, false],
      [b.id, false, false],
      [a.id, true, true],
    ]);
    expect((await log.get(a.id))?.alert).toEqual(acked);
    const again = await makeLog(bucket);
    // The marker is there: no replay (the rows of the marker, the log probe and the newest id; the
    // history is older than the window of keys).
    expect(again.figures().rowsRead).toBe(3);
  });

  it('keeps the alert id out of the state points’ tags', async () => {
    const bucket = `log${process.pid}_${++n}`;
    const log = await makeLog(bucket);
    await log.append([raise(nth(0, Date.now()))]);
    const { conn } = await open(bucket);
    const tags = await conn.query('SHOW TAG KEYS FROM "alert_state"', 'ms');
    expect(tags.flatMap((s) => s.values.map((v) => v[0]))).toEqual(['county', 'device', 'rule']);
  });
});

/** A small seeded generator, so a failing history can be made again. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}

const COUNTIES = ['cty-a', 'cty-b', 'cty-c', 'cty-d'] as const;
const RULES = ['chlorine-plant', 'pressure-drop', 'ph-range'] as const;

/**
 * `count` incidents opened a few minutes apart from `start`, with their alerts' events (oldest first):
 * most of one county, some region-wide; most short, some running for hours (their alerts among those of
 * many later incidents); communication incidents whose alerts were moved into them (`grouped`) and were
 * raised before the time their id carries; ids made otherwise (no time in them); alerts ended or not.
 */
function incidentHistory(start: number, count: number, seed: number): AlertEvent[] {
  const rnd = random(seed);
  const events: AlertEvent[] = [];
  const ids = new Set<string>();
  for (let k = 0; k < count; k++) {
    const t0 = start + k * 3 * MIN + rnd(2 * MIN);
    const regionWide = rnd(5) === 0;
    const home = COUNTIES[rnd(COUNTIES.length)]!;
    const long = rnd(10) === 0;
    const size = 1 + rnd(long ? 12 : 5);
    const kind = rnd(12);
    const comm = kind === 0 ? `c.${home}.${t0 + 5 * MIN}` : null;
    const late = k >= count - 40; // the newest incidents: most still active
    let first: string | null = null;
    for (let j = 0; j < size; j++) {
      const county = regionWide ? COUNTIES[rnd(COUNTIES.length)]! : home;
      const deviceId = `${county}-d${rnd(6)}`;
      const ruleId = RULES[rnd(RULES.length)]!;
      let at = j === 0 ? t0 : t0 + 1 + rnd(long ? 8 * 3_600_000 : 20 * MIN);
      while (ids.has(alertId(ruleId, deviceId, at))) at++;
      const id = alertId(ruleId, deviceId, at);
      ids.add(id);
      first ??= id;
      const incidentId = kind === 1 ? `i.legacy-${k}-${t0}` : `i.${first}`;
      const a: Alert = {
        ...alert(id),
        ruleId,
        deviceId,
        siteId: `s-${deviceId}`,
        countyId: county,
        severity: rnd(3) === 0 ? 'critical' : 'warning',
        raisedAt: iso(at),
        incidentId,
      };
      events.push(raise(a));
      let now = a;
      if (comm) {
        now = { ...a, incidentId: comm };
        events.push({ type: 'grouped', at: iso(t0 + 5 * MIN), alert: now, incidentId: comm });
      }
      if (rnd(late ? 3 : long ? 4 : 20) !== 0) {
        const end = Math.max(at, t0 + 5 * MIN) + 1 + rnd(30 * MIN);
        events.push({
          type: 'cleared',
          at: iso(end),
          alert: { ...now, active: false, clearedAt: iso(end) },
        });
      }
    }
  }
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Stores `events` a batch at a time with the log's clock just after each batch; the alerts they leave. */
async function store(
  log: InfluxAlertLog,
  events: readonly AlertEvent[],
  clock: { now: number },
  into = new Map<string, Alert>(),
): Promise<Map<string, Alert>> {
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500);
    clock.now = Date.parse(batch.at(-1)!.at) + 1_000;
    await log.append(batch);
  }
  for (const e of events) into.set(e.alert.id, applyAlertEvent(into.get(e.alert.id), e));
  return into;
}

describe.skipIf(url === null)('influx incidents', () => {
  it('pages incidents as a reduction over every alert does, filters, scopes and cursors alike', async () => {
    const bucket = `log${process.pid}_${++n}`;
    const start = Date.now() - 5 * 86_400_000;
    const clock = { now: start };
    const log = await makeLog(bucket, { clock: () => clock.now, keyWindowMs: 30 * 86_400_000 });
    const events = incidentHistory(start, 900, 7);
    const alerts = [...(await store(log, events, clock)).values()];
    expect(alerts.length).toBeGreaterThan(2_500);
    const opened = (k: number) => start + k * 3 * MIN;
    const queries: Omit<IncidentQuery, 'cursor'>[] = [
      { limit: 60 },
      { limit: 7, since: opened(760) },
      { limit: 20, active: true },
      { limit: 3, active: true, counties: ['cty-b'] },
      { limit: 60, active: false },
      { limit: 25, severity: 'critical' },
      { limit: 25, severity: 'warning', active: false },
      { limit: 25, countyId: 'cty-c' },
      { limit: 20, counties: ['cty-a', 'cty-d'] },
      { limit: 20, counties: ['cty-a', 'cty-d'], countyId: 'cty-a', severity: 'critical' },
      { limit: 20, since: opened(600) },
      { limit: 15, since: opened(300), counties: ['cty-b', 'cty-c'], active: false },
      { limit: 10, since: opened(850), active: true },
      { limit: 10, counties: [] },
    ];
    const wanted = (q: IncidentQuery) => pageIncidents(structuredClone(alerts), q);
    let pages = 0;
    for (const q of queries) {
      let cursor: string | undefined;
      let seen = 0;
      do {
        const got = await log.incidents({ ...q, cursor });
        expect(got, JSON.stringify({ q, cursor })).toEqual(wanted({ ...q, cursor }));
        seen += got.items.length;
        cursor = got.nextCursor;
        pages++;
      } while (cursor !== undefined);
      if (q.counties?.length !== 0) expect(seen, JSON.stringify(q)).toBeGreaterThan(0);
    }
    expect(pages).toBeGreaterThan(60);
    // One incident in full and in a county's part, the active ones opened days ago too.
    const every = wanted({ limit: 10_000 }).items;
    const sample = [every[0]!, every[every.length - 1]!, ...every.filter((g) => g.id.startsWith('c.'))];
    for (const g of sample.slice(0, 6))
      for (const counties of [undefined, ['cty-a'], ['cty-b', 'cty-c']]) {
        const whole = groupIncidents(structuredClone(alerts), counties).get(g.id);
        const want = whole ? { id: g.id, alerts: pageIncidents(whole, { limit: 1 }).items[0]!.alerts } : null;
        expect(await log.incident(g.id, counties)).toEqual(want);
      }
    await expect(log.incidents({ limit: 5, cursor: 'nope' })).rejects.toThrow(BadCursorError);
  }, 240_000);

  it('reads as many rows for a first page of incidents whatever the length of the history', async () => {
    const bucket = `log${process.pid}_${++n}`;
    const start = Date.now() - 60 * 86_400_000;
    const clock = { now: start };
    const log = await makeLog(bucket, { clock: () => clock.now, keyWindowMs: 90 * 86_400_000 });
    // An incident opened before all the history, still active.
    const old: Alert = {
      ...alert(alertId('ph-range', 'cty-a-d0', start)),
      ruleId: 'ph-range',
      deviceId: 'cty-a-d0',
      countyId: 'cty-a',
      raisedAt: iso(start),
    };
    const oldIncident = `i.${old.id}`;
    const model = await store(log, [raise({ ...old, incidentId: oldIncident })], clock);
    // A day of incidents, the same each day; every alert of the days before ended when it starts.
    const day = (d: number) => {
      const at = start + d * 86_400_000;
      const ends = [...model.values()].filter((a) => a.active && a.id !== old.id).map((a) => clear(a, at));
      return [...ends, ...incidentHistory(at + MIN, 300, 11)];
    };
    const queries: IncidentQuery[] = [
      { limit: 20 },
      { limit: 20, active: true },
      { limit: 20, counties: ['cty-b', 'cty-c'] },
      { limit: 20, severity: 'critical' },
    ];
    const cost = async () => {
      const out: number[] = [];
      for (const q of queries) {
        const before = log.figures().rowsRead;
        const got = await log.incidents(q);
        out.push(log.figures().rowsRead - before);
        expect(got).toEqual(pageIncidents(structuredClone([...model.values()]), q));
      }
      const before = log.figures().rowsRead;
      expect((await log.incident(oldIncident))?.alerts).toEqual([model.get(old.id)]);
      out.push(log.figures().rowsRead - before);
      return out;
    };
    let days = 0;
    const grow = async (to: number) => {
      for (; days < to; days++) await store(log, day(days), clock, model);
    };
    await grow(3);
    const short = await cost();
    await grow(12);
    const long = await cost();
    expect(model.size).toBeGreaterThan(3_000);
    expect(long).toEqual(short);
    // A page and a little more (a chunk of 500 state points; the active alerts' flags and bodies and their
    // incidents' alerts): well under a day's alerts.
    for (const rows of long) expect(rows).toBeLessThan(700);
  }, 240_000);
});
