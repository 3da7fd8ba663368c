/** Device routes through app.request(): the list with scope, and readings raw and downsampled. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceList, Readings } from '../../api/schemas/devices.js';
import { enrich } from '../../core/stored-reading.js';
import { type ApiFixture, createFixture, json } from './fixture.js';

const H = 3_600_000;
const T0 = Date.parse('2027-03-01T00:00:00Z');

describe('device routes', () => {
  let f: ApiFixture;
  beforeEach(async () => {
    f = createFixture({ online: (id) => id === 'd-0001', clock: () => T0 + 3 * H });
    const d = f.registry.devices.get('d-0002')!;
    // Pressure every 20 minutes over two hours: 0.30, 0.31, ... 0.35.
    const readings = [0, 1, 2, 3, 4, 5].map((i) =>
      enrich(d, { ts: T0 + i * 20 * 60_000, values: { pressure: 0.3 + i / 100 } }, []),
    );
    await f.store.writeReadings(readings);
  });
  afterEach(() => f.close());

  it('lists devices with online state and last-seen time, scoped for an operator', async () => {
    const all = DeviceList.parse(await json(await f.call('/api/v1/devices', { key: 'planner' })));
    expect(all.items.map((d) => [d.id, d.countyId, d.online, d.lastSeen])).toEqual([
      ['d-0001', 'xiji', true, null],
      ['d-0002', 'xiji', false, new Date(T0 + 100 * 60_000).toISOString()],
      ['d-0003', 'longde', false, null],
    ]);
    const ops = DeviceList.parse(await json(await f.call('/api/v1/devices', { key: 'ops-xiji' })));
    expect(ops.items.map((d) => d.id)).toEqual(['d-0001', 'd-0002']);
    const longde = DeviceList.parse(await json(await f.call('/api/v1/devices?county=longde')));
    expect(longde.items.map((d) => d.id)).toEqual(['d-0003']);
    expect((await f.call('/api/v1/devices?county=longde', { key: 'ops-xiji' })).status).toBe(403);
    expect(await json(await f.call('/api/v1/devices?county=atlantis'))).toMatchObject({
      status: 400,
      param: 'county',
    });
  });

  it('serves raw values as points of count 1, oldest first, with RFC 3339 UTC times', async () => {
    const r = Readings.parse(
      await json(await f.call(`/api/v1/devices/d-0002/readings?metric=pressure&from=${T0}&to=${T0 + H}`)),
    );
    expect(r.points).toEqual(
      [0, 1, 2, 3].map((i) => {
        const v = 0.3 + i / 100;
        return { ts: new Date(T0 + i * 20 * 60_000).toISOString(), mean: v, min: v, max: v, count: 1 };
      }),
    );
  });

  it('downsamples into epoch-aligned buckets with mean, min, max and count', async () => {
    const r = Readings.parse(
      await json(
        await f.call(`/api/v1/devices/d-0002/readings?metric=pressure&every=1h&from=${T0}&to=${T0 + 2 * H}`),
      ),
    );
    expect(r.points.map((p) => p.ts)).toEqual([new Date(T0).toISOString(), new Date(T0 + H).toISOString()]);
    expect(r.points[0]).toMatchObject({ min: 0.3, max: 0.3 + 2 / 100, count: 3 });
    expect(r.points[0]!.mean).toBeCloseTo(0.31, 12);
    expect(r.points[1]).toMatchObject({ min: 0.3 + 3 / 100, max: 0.3 + 5 / 100, count: 3 });
    expect(r.points[1]!.mean).toBeCloseTo(0.34, 12);
  });

  it('defaults to the 24 h before now', async () => {
    const r = Readings.parse(await json(await f.call('/api/v1/devices/d-0002/readings?metric=pressure')));
    expect(r.points).toHaveLength(6);
  });

  it('refuses another county 403, an unknown device 404, and bad parameters 400 naming them', async () => {
    const other = await f.call('/api/v1/devices/d-0003/readings?metric=chlorine', { key: 'ops-xiji' });
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect((await f.call('/api/v1/devices/d-9999/readings?metric=chlorine')).status).toBe(404);
    for (const [q, param] of [
      ['', 'metric'],
      ['metric=salinity', 'metric'],
      ['metric=ph', 'metric'],
      ['metric=pressure&from=later', 'from'],
      ['metric=pressure&to=2027-13-01T00:00:00Z', 'to'],
      ['metric=pressure&every=5x', 'every'],
      ['metric=pressure&every=1s&from=0', 'every'],
      [`metric=pressure&from=${T0 + H}&to=${T0}`, 'from'],
      ['metric=pressure&limit=5', 'limit'],
    ]) {
      const res = await f.call(`/api/v1/devices/d-0002/readings?${q}`);
      expect(res.status, q).toBe(400);
      expect(await json(res), q).toMatchObject({ status: 400, param });
    }
  });
});
