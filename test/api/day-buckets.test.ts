/** `every=1d` buckets by local days of the region's time zone (Asia/Shanghai by default), not UTC days. */
import { afterEach, describe, expect, it } from 'vitest';
import { Readings } from '../../api/schemas/devices.js';
import { enrich } from '../../core/stored-reading.js';
import { smallRegistry } from '../helpers/small-registry.js';
import { type ApiFixture, createFixture, json } from './fixture.js';

let f: ApiFixture;
afterEach(() => f.close());

async function seed(file = smallRegistry()) {
  f = createFixture({ file, clock: () => Date.parse('2026-12-05T00:00:00Z') });
  const d = f.registry.devices.get('d-0002')!;
  // 23:30 on 1 December and 00:30 on 2 December in Beijing: both on 1 December in UTC.
  const at = ['2026-12-01T23:30:00+08:00', '2026-12-02T00:30:00+08:00', '2026-12-02T12:00:00+08:00'];
  await f.store.writeReadings(
    at.map((ts, i) => enrich(d, { ts: Date.parse(ts), values: { pressure: 0.3 + i / 10 } }, [])),
  );
}

const days = async (every: string) =>
  Readings.parse(
    await json(
      await f.call(
        `/api/v1/devices/d-0002/readings?metric=pressure&every=${every}&from=2026-11-30T00:00:00Z&to=2026-12-04T00:00:00Z`,
      ),
    ),
  ).points.map((p) => [p.ts, p.count]);

describe('day buckets', () => {
  it('puts a reading at 00:30 Beijing time in the next day, stamped with the local midnight', async () => {
    await seed();
    expect(await days('1d')).toEqual([
      ['2026-11-30T16:00:00.000Z', 1],
      ['2026-12-01T16:00:00.000Z', 2],
    ]);
  });

  it('follows region.timeZone', async () => {
    const file = smallRegistry();
    file.region = { ...file.region, timeZone: 'UTC' };
    await seed(file);
    expect(await days('1d')).toEqual([
      ['2026-12-01T00:00:00.000Z', 2],
      ['2026-12-02T00:00:00.000Z', 1],
    ]);
  });

  it('keeps multi-day buckets on local midnights, and hour buckets on the epoch', async () => {
    await seed();
    const two = await days('2d');
    expect(two.map(([, n]) => n).reduce((a, b) => Number(a) + Number(b), 0)).toBe(3);
    for (const [ts] of two) expect(String(ts).endsWith('T16:00:00.000Z')).toBe(true);
    expect((await days('1h')).map(([ts]) => ts)).toEqual([
      '2026-12-01T15:00:00.000Z',
      '2026-12-01T16:00:00.000Z',
      '2026-12-02T04:00:00.000Z',
    ]);
  });
});
