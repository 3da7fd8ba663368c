/**
 * The InfluxDB alert log against a real influxd: memory bounded whatever the length of the history,
 * start-up and reads by time range, no read before an append, and a second process's events seen.
 */
import { InfluxDB } from '@influxdata/influxdb-client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Alert, AlertEvent } from '../../core/alert.js';
import { alertId } from '../../core/rules/alerts.js';
import {
  type AlertLogOptions,
  createInfluxAlertLog,
  type InfluxAlertLog,
} from '../../store/influx/alert-log.js';
import { connectInflux, type InfluxConnection } from '../../store/influx/connection.js';
import { alertEventLine } from '../../store/influx/line-protocol.js';
import { createWriteTransport } from '../../store/influx/transport.js';
import { createLineWriter, type LineWriter } from '../../store/influx/writer.js';
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
