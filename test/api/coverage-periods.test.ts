/** Coverage by calendar period in the region's time zone, by scheme, with lab compliance, null reasons and fresh counts. */
import { afterEach, describe, expect, it } from 'vitest';
import { APP_DEFAULTS } from '../../api/create-app.js';
import { Coverage } from '../../api/schemas/coverage.js';
import type { Metric } from '../../core/metrics.js';
import { qualityLimits } from '../../core/rules/quality.js';
import { enrich } from '../../core/stored-reading.js';
import { coverageRegistry } from './coverage-registry.js';
import { type ApiFixture, createFixture, json } from './fixture.js';

let f: ApiFixture | undefined;
afterEach(() => f?.close());

function fixture(now: () => number, file = coverageRegistry(), options = {}) {
  f = createFixture({ file, clock: now, options });
  return f;
}

async function write(fx: ApiFixture, deviceId: string, ts: number, values: Partial<Record<Metric, number>>) {
  const d = fx.registry.devices.get(deviceId)!;
  await fx.store.writeReadings([enrich(d, { ts, values }, qualityLimits(d, []))]);
}

const get = async (fx: ApiFixture, query: string) => {
  const res = await fx.call(`/api/v1/coverage${query}`, { key: 'planner' });
  expect(res.status, await res.clone().text()).toBe(200);
  return Coverage.parse(await res.json());
};

describe('GET /api/v1/coverage?period=', () => {
  it('counts a sample at 00:30 Beijing time on 1 December in December, not November', async () => {
    const fx = fixture(() => Date.parse('2027-01-15T00:00:00Z'));
    // dv-1 at the plant: a bad turbidity at 23:30 on 30 November and a good one at 00:30 on 1 December (Beijing).
    await write(fx, 'dv-1', Date.parse('2026-11-30T23:30:00+08:00'), { turbidity: 2 });
    await write(fx, 'dv-1', Date.parse('2026-12-01T00:30:00+08:00'), { turbidity: 0.2 });
    const nov = await get(fx, '?period=2026-11&groupBy=county');
    const dec = await get(fx, '?period=2026-12&groupBy=county');
    expect(nov.window).toEqual({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T15:59:59.999Z' });
    expect(nov).toMatchObject({ period: '2026-11', timeZone: 'Asia/Shanghai' });
    const q = (r: typeof nov) => r.rows.find((x) => x.id === 'c-a')!.indicators.qualityCompliance;
    expect([q(nov).numerator, q(nov).denominator]).toEqual([0, 1]);
    expect([q(dec).numerator, q(dec).denominator]).toEqual([1, 1]);
    const q4 = await get(fx, '?period=2026-Q4&groupBy=region');
    expect(q4.rows[0]!.indicators.qualityCompliance.denominator).toBe(2);
  });

  it('uses the registry time zone when it names another', async () => {
    const file = coverageRegistry();
    file.region = { ...file.region, timeZone: 'UTC' };
    const fx = fixture(() => Date.parse('2027-01-15T00:00:00Z'), file);
    expect((await get(fx, '?period=2026-12')).window.from).toBe('2026-12-01T00:00:00.000Z');
  });

  it('ends a running period now, and refuses a period not begun or combined with window', async () => {
    const now = Date.parse('2026-12-10T00:00:00Z');
    const fx = fixture(() => now);
    expect((await get(fx, '?period=2026-12')).window.to).toBe(new Date(now).toISOString());
    for (const [query, param] of [
      ['?period=2027-01', 'period'],
      ['?period=2026-13', 'period'],
      ['?period=2026-12&window=1d', 'period'],
    ]) {
      const res = await fx.call(`/api/v1/coverage${query}`, { key: 'planner' });
      expect(res.status).toBe(400);
      expect((await json(res)).param).toBe(param);
    }
  });
});

describe('coverage rows', () => {
  const now = Date.parse('2026-12-10T00:00:00Z');

  it('groups by scheme, saying "no quality data" rather than 0 where a scheme has no sample', async () => {
    const fx = fixture(() => now);
    await write(fx, 'dv-1', now - 60_000, { turbidity: 0.2, chlorine: 0.5, ph: 7 });
    const r = await get(fx, '?groupBy=scheme');
    expect(r.rows.map((x) => [x.id, x.ruralPopulation])).toEqual([
      ['s-big', 1000],
      ['s-int', 1100],
      ['s-small', 200],
      ['s-pop', 10000],
    ]);
    const big = r.rows[0]!.indicators;
    expect(big.qualityCompliance).toMatchObject({ value: 1, numerator: 3, denominator: 3 });
    expect(big.safeWaterCoverage).toMatchObject({ value: 1, numerator: 1000, denominator: 1000 });
    const pop = r.rows[3]!.indicators;
    expect(pop.qualityCompliance).toMatchObject({ value: null, reason: 'no-quality-data' });
    expect(pop.safeWaterCoverage).toMatchObject({
      value: null,
      reason: 'no-quality-data',
      denominator: 10000,
    });
    expect(pop.standardizedCountyShare).toMatchObject({ value: null, reason: 'not-applicable' });
  });

  it('says whether each county itself meets every target', async () => {
    const fx = fixture(() => now);
    const r = await get(fx, '?groupBy=county');
    for (const row of r.rows)
      expect(row.meetsTargets).toBe(row.indicators.standardizedCountyShare.value === 1);
  });

  it('reports labCompliance and bases safeWaterCoverage on lab samples where the scheme has them', async () => {
    const fx = fixture(() => now);
    // Online: every sample at s-pop fails; lab: both samples of s-pop comply.
    await write(fx, 'dv-5', now - 60_000, { chlorine: 0.1, ph: 9 });
    for (const [i, ph] of [7.1, 7.3].entries()) {
      const res = await fx.call('/api/v1/samples', {
        method: 'POST',
        body: {
          site: 'pop-plant',
          sampledAt: now - (i + 2) * 3_600_000,
          lab: 'lab',
          values: { ph, chlorine: 0.5 },
        },
      });
      expect(res.status).toBe(200);
    }
    const c = (await get(fx, '?groupBy=county')).rows.find((x) => x.id === 'c-c')!.indicators;
    expect(c.labCompliance).toMatchObject({ value: 1, numerator: 2, denominator: 2 });
    expect(c.qualityCompliance).toMatchObject({ value: 0, numerator: 0, denominator: 2 });
    expect(c.safeWaterCoverage).toMatchObject({ value: 1, numerator: 10000 });

    const online = coverageRegistry();
    online.coverage = { safeWaterBasis: 'online' };
    fx.close();
    f = undefined;
    const fx2 = fixture(() => now, online);
    await write(fx2, 'dv-5', now - 60_000, { chlorine: 0.1, ph: 9 });
    await fx2.call('/api/v1/samples', {
      method: 'POST',
      body: { site: 'pop-plant', sampledAt: now - 7_200_000, lab: 'lab', values: { ph: 7 } },
    });
    const c2 = (await get(fx2, '?groupBy=county')).rows.find((x) => x.id === 'c-c')!.indicators;
    expect(c2.labCompliance.value).toBe(1);
    expect(c2.safeWaterCoverage).toMatchObject({ value: 0, numerator: 0 });
  });

  it('reflects a Reading stored 6 s before the request with the default settings', async () => {
    let t = now;
    f = createFixture({
      file: coverageRegistry(),
      clock: () => t,
      options: { coverageMaxAgeMs: APP_DEFAULTS.coverageMaxAgeMs },
    });
    const fx = f;
    const samples = async () =>
      (await get(fx, '?groupBy=region')).rows[0]!.indicators.qualityCompliance.denominator;
    expect(await samples()).toBe(0);
    await write(fx, 'dv-1', t - 1000, { turbidity: 0.2 });
    t += 6_000;
    expect(await samples()).toBe(1);
  });
});

describe('suspect readings', () => {
  it('leaves out the quality samples of a device while its flatline alert is active, and says how many', async () => {
    const now = Date.parse('2026-12-10T00:00:00Z');
    const fx = fixture(() => now);
    const M = 60_000;
    await write(fx, 'dv-1', now - 10 * M, { turbidity: 0.3 });
    // Stuck at 1.5 NTU from now − 8 min (the flatline alert's raise) until it cleared at now − 4 min.
    for (let i = 8; i >= 5; i--) await write(fx, 'dv-1', now - i * M, { turbidity: 1.5 });
    await write(fx, 'dv-1', now - 4 * M, { turbidity: 1.4 });
    const alert = {
      id: 'flat-1',
      ruleId: 'flatline' as const,
      kind: 'flatline' as const,
      metric: 'turbidity' as const,
      deviceId: 'dv-1',
      siteId: 'big-plant',
      schemeId: 's-big',
      countyId: 'c-a',
      severity: 'warning' as const,
      active: true,
      acknowledged: false,
      raisedAt: new Date(now - 8 * M).toISOString(),
      message: 'turbidity stuck at 1.5 NTU',
    };
    await fx.store.appendAlertEvents([{ type: 'raised', at: alert.raisedAt, alert }]);
    const q = async () =>
      (await get(fx, '?groupBy=county')).rows.find((r) => r.id === 'c-a')!.indicators.qualityCompliance;
    // Active: the four stuck samples and the one after them are out; only 0.3 NTU counts.
    expect(await q()).toMatchObject({ numerator: 1, denominator: 1, excluded: 5 });
    const clearedAt = new Date(now - 4 * M).toISOString();
    await fx.store.appendAlertEvents([
      { type: 'cleared', at: clearedAt, alert: { ...alert, active: false, clearedAt } },
    ]);
    // Cleared by the 1.4 NTU Reading: that one counts again, the stuck ones stay out.
    expect(await q()).toMatchObject({ numerator: 1, denominator: 2, excluded: 4 });
  });
});
