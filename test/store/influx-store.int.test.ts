/** The InfluxDB store against a real influxd: the conformance suite, its schema, durability, and clear errors. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createInfluxStore } from '../../store/influx-store.js';
import { StoreError, type TelemetryStore } from '../../store/telemetry-store.js';
import { freePorts, type Influxd, startInfluxd } from '../helpers/influxd.js';
import { storeConformance } from './conformance.js';
import { alert, BASE, MIN, NOW, raised, reading } from './fixtures.js';

const url = inject('influxUrl');
let n = 0;
/** A database of its own for every store, so tests never see each other's points. */
const fresh = (base: string, extra: Partial<Parameters<typeof createInfluxStore>[0]> = {}) =>
  createInfluxStore({ url: base, bucket: `t${process.pid}_${++n}`, alertSettleMs: 0, ...extra });

async function influxql(base: string, q: string, db?: string, auth?: string): Promise<unknown[][]> {
  const body = new URLSearchParams({ q, epoch: 'ms', ...(db ? { db } : {}) });
  const res = await fetch(`${base}/query`, {
    method: 'POST',
    body,
    headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {},
  });
  const json = (await res.json()) as { results: { series?: { values: unknown[][] }[]; error?: string }[] };
  expect(json.results[0]?.error).toBeUndefined();
  return json.results[0]?.series?.flatMap((s) => s.values) ?? [];
}

// Skipped only outside CI when influxd is missing: in CI the global setup fails instead.
describe.skipIf(url === null)('influx store', () => {
  const base = url ?? '';
  // The same clock as the embedded store's suite: lastSeen without `at` looks back from it.
  storeConformance('influx', () => fresh(base, { clock: () => NOW }));

  it('writes tags for the dimensions only, and metrics, quality counts and seq as fields', async () => {
    const s = await fresh(base);
    const bucket = `t${process.pid}_${n}`;
    await s.writeReadings([reading('d-plant', BASE, { chlorine: 0.5, ph: 7 }, { n: 2, ok: 2 }, 3)]);
    const tags = await influxql(base, 'SHOW TAG KEYS FROM "reading"', bucket);
    expect(tags.map((v) => v[0])).toEqual(['county', 'device', 'kind', 'scheme', 'site']);
    const fields = Object.fromEntries(await influxql(base, 'SHOW FIELD KEYS FROM "reading"', bucket));
    expect(fields).toEqual({
      chlorine: 'float',
      ph: 'float',
      q_n: 'integer',
      q_ok: 'integer',
      seq: 'integer',
    });
    const time = await influxql(base, 'SELECT "chlorine" FROM "reading"', bucket);
    // The device's own ts, to the millisecond: a rewrite of the Reading is the same point.
    expect(time).toEqual([[BASE, 0.5]]);
    await s.close();
  });

  it('lets a second store on the same database see readings and alerts the first one wrote', async () => {
    const bucket = `shared_${process.pid}`;
    const a = await createInfluxStore({ url: base, bucket, alertSettleMs: 0 });
    const b = await createInfluxStore({ url: base, bucket, alertSettleMs: 0 });
    await a.writeReadings([reading('d-tap', BASE, { chlorine: 0.25 }, { n: 1, ok: 1 })]);
    await a.appendAlertEvents([raised(alert('a-1'))]);
    expect(await b.lastSeen(BASE)).toEqual(new Map([['d-tap', BASE]]));
    expect((await b.activeAlerts()).map((x) => x.id)).toEqual(['a-1']);
    // An event from b, after a's: a sees it, with a larger id.
    await b.appendAlertEvents([raised(alert('a-2'))]);
    const feed = await a.alertEventsAfter(null, 10);
    expect(feed.map((e) => e.event.alert.id)).toEqual(['a-1', 'a-2']);
    await Promise.all([a.close(), b.close()]);
  });

  it('lists an alert event in the feed only once it has settled', async () => {
    let now = Date.now();
    const s = await fresh(base, { alertSettleMs: 250, clock: () => now });
    await s.appendAlertEvents([raised(alert('a-1'))]);
    expect(await s.alertEventsAfter(null, 10)).toEqual([]);
    expect((await s.getAlert('a-1'))?.events).toHaveLength(1);
    now += 1_000;
    expect(await s.alertEventsAfter(null, 10)).toHaveLength(1);
    await s.close();
  });

  it('waits in close() for writes still in flight', async () => {
    const s = await fresh(base);
    const bucket = `t${process.pid}_${n}`;
    const batch = Array.from({ length: 20_000 }, (_, i) =>
      reading('d-pipe', BASE + i * 1000, { pressure: 0.5 }),
    );
    let done = false;
    const writing = s.writeReadings(batch).then(() => {
      done = true;
    });
    await s.close();
    expect(done).toBe(true);
    await writing;
    const again = await fresh(base, { bucket });
    expect((await again.lastSeen(BASE + 20_000 * 1000)).get('d-pipe')).toBe(BASE + 19_999 * 1000);
    await again.close();
  });

  it('rejects a write with a StoreError naming the URL when the database is gone', async () => {
    const s = await fresh(base);
    await influxql(base, `DROP DATABASE "t${process.pid}_${n}"`);
    const write = s.writeReadings([reading('d-plant', BASE, { chlorine: 1 })]);
    await expect(write).rejects.toBeInstanceOf(StoreError);
    await expect(write).rejects.toThrow(base);
    await expect(write).rejects.toThrow(/database not found/);
    await s.close();
  });

  it('rejects the whole write when influxd refuses part of it, also when it went as several requests', async () => {
    const s = await fresh(base, { batchSize: 10 });
    const db = `t${process.pid}_${n}`;
    // A string `level` first: every float `level` after it in the shard is a field type conflict.
    const res = await fetch(`${base}/write?db=${db}&precision=ms`, {
      method: 'POST',
      body: `reading,county=cty-y,device=d-res,kind=reservoir,scheme=sch-d,site=s-res level="high" ${BASE}`,
    });
    expect(res.status).toBe(204);
    const batch = Array.from({ length: 35 }, (_, i) =>
      reading('d-res', BASE + (i + 1) * MIN, i === 20 ? { level: 3 } : { chlorine: 0.5 }),
    );
    const write = s.writeReadings(batch);
    await expect(write).rejects.toBeInstanceOf(StoreError);
    await expect(write).rejects.toThrow(/refused the write: 400 .*field type conflict/);
    await s.close();
  });

  it('fails with a StoreError naming the URL and the cause when nothing listens there', async () => {
    const [port] = await freePorts(1);
    const closed = `http://127.0.0.1:${port}`;
    const opening = createInfluxStore({ url: closed, bucket: 'x' });
    await expect(opening).rejects.toBeInstanceOf(StoreError);
    await expect(opening).rejects.toThrow(`InfluxDB at ${closed} is unreachable`);
    await expect(opening).rejects.toThrow(/ECONNREFUSED/);
  });

  describe('with authentication', () => {
    let secured: Influxd;
    beforeAll(async () => {
      secured = await startInfluxd({ auth: true });
      // With auth on and no user yet, 1.x lets the first admin be created without credentials.
      await influxql(secured.url, `CREATE USER "admin" WITH PASSWORD 'right' WITH ALL PRIVILEGES`);
      await influxql(secured.url, `CREATE USER "reader" WITH PASSWORD 'pw'`, undefined, 'admin:right');
    });
    afterAll(async () => {
      await secured?.stop();
    });

    it('refuses bad credentials with a StoreError naming the URL and the cause', async () => {
      const opening = createInfluxStore({ url: secured.url, bucket: 'wl', token: 'admin:wrong' });
      await expect(opening).rejects.toBeInstanceOf(StoreError);
      await expect(opening).rejects.toThrow(`InfluxDB at ${secured.url} refused the credentials: 401`);
    });

    it('says which database is missing when the user may not create it', async () => {
      const opening = createInfluxStore({ url: secured.url, bucket: 'nodb', token: 'reader:pw' });
      await expect(opening).rejects.toBeInstanceOf(StoreError);
      await expect(opening).rejects.toThrow(/database "nodb" is missing .* could not be created: .*admin/);
      await expect(opening).rejects.toThrow(secured.url);
    });

    it('works with 1.x user:password credentials, creating the database', async () => {
      const s: TelemetryStore = await createInfluxStore({
        url: secured.url,
        bucket: 'wl',
        token: 'admin:right',
      });
      await s.writeReadings([reading('d-res', BASE + MIN, { level: 3.5 })]);
      expect(await s.latestReading('d-res')).toEqual({ ts: BASE + MIN, values: { level: 3.5 } });
      await s.close();
    });
  });
});
