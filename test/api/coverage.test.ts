/** GET /api/v1/coverage over a real store holding known quality samples, against figures worked out by hand. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Coverage } from '../../api/schemas/coverage.js';
import type { Metric } from '../../core/metrics.js';
import type { Registry } from '../../core/registry.js';
import { qualityLimits } from '../../core/rules/quality.js';
import { enrich } from '../../core/stored-reading.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { coverageRegistry } from './coverage-registry.js';
import { type ApiFixture, createFixture, json } from './fixture.js';

const T = Date.parse('2027-06-30T12:00:00Z');
const S = 1000;

/** Readings as ingest would store them: quality samples judged by the default GB 5749-2022 limits. */
async function write(
  store: TelemetryStore,
  registry: Registry,
  deviceId: string,
  ts: number,
  values: Partial<Record<Metric, number>>,
) {
  const d = registry.devices.get(deviceId)!;
  await store.writeReadings([enrich(d, { ts, values }, qualityLimits(d, []))]);
}

describe('GET /api/v1/coverage', () => {
  let f: ApiFixture;
  let now = T;
  beforeEach(async () => {
    now = T;
    f = createFixture({ file: coverageRegistry(), clock: () => now });
    const w = (id: string, ts: number, v: Partial<Record<Metric, number>>) =>
      write(f.store, f.registry, id, ts, v);
    // dv-1 at the plant: 4 Readings × 3 samples; one turbidity of 1.5 NTU breaks GB 5749-2022's 1 NTU: 11 of 12.
    for (const [i, turbidity] of [0.3, 0.4, 1.5, 0.5].entries())
      await w('dv-1', T - (400 - i * 100) * S, { turbidity, chlorine: 0.5, ph: 7.2 });
    // dv-2 at the source: raw water is not a drinking-water sample, however turbid.
    await w('dv-2', T - 900 * S, { turbidity: 50, level: 3 });
    // dv-3: free chlorine 0.1 mg/L at a plant outlet is below 0.3: 0 of 1; and 181 s old at the end.
    await w('dv-3', T - 181 * S, { chlorine: 0.1 });
    // dv-3 again after the window's end: neither a sample nor "online" at the end.
    await w('dv-3', T + 60 * S, { chlorine: 1 });
    // dv-5: 2 of 2, recent; and a bad Reading before the window that must not count.
    await w('dv-5', T - 10 * S, { chlorine: 1, ph: 7.5 });
    await w('dv-5', T - 25 * 3600 * S, { chlorine: 5, ph: 9.5 });
  });
  afterEach(() => f.close());

  const get = async (query: string, key = 'planner') => {
    const res = await f.call(`/api/v1/coverage${query}`, { key });
    expect(res.status, await res.clone().text()).toBe(200);
    return Coverage.parse(await res.json());
  };
  const parts = (row: { indicators: Record<string, { numerator: number; denominator: number }> }) =>
    Object.fromEntries(Object.entries(row.indicators).map(([k, v]) => [k, [v.numerator, v.denominator]]));

  it('computes each county from the stored samples and last-seen times', async () => {
    const r = await get(`?groupBy=county&window=24h&to=${T}`);
    expect(r.window).toEqual({ from: new Date(T - 86_400_000).toISOString(), to: new Date(T).toISOString() });
    expect(r.rows.map((x) => x.id)).toEqual(['c-a', 'c-b', 'c-c', 'c-d']);
    expect(parts(r.rows[0]!)).toEqual({
      tapWaterRate: [1300, 1800],
      scaleCoverage: [1300, 1800],
      integrationRate: [300, 1800],
      qualityCompliance: [11, 12],
      labCompliance: [0, 0],
      monitoringOnline: [2, 2],
      safeWaterCoverage: [0, 1800], // 11/12 < 0.95
      standardizedCountyShare: [0, 1],
    });
    expect(parts(r.rows[1]!)).toMatchObject({
      qualityCompliance: [0, 1],
      labCompliance: [0, 0],
      monitoringOnline: [0, 2],
      safeWaterCoverage: [0, 1000],
    });
    expect(parts(r.rows[2]!)).toMatchObject({
      qualityCompliance: [2, 2],
      labCompliance: [0, 0],
      monitoringOnline: [1, 1],
      safeWaterCoverage: [10000, 10000],
      standardizedCountyShare: [1, 1],
    });
    const q = r.rows[0]!.indicators.qualityCompliance;
    expect(q.value).toBe(11 / 12);
    expect(q.gap).toBeCloseTo(0.95 - 11 / 12, 12);
    expect(r.rows[3]!.indicators.tapWaterRate).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
      target: 0.98,
      gap: null,
      reason: 'no-population',
    });
  });

  it('groups by prefecture and region', async () => {
    const p = await get(`?groupBy=prefecture&to=${T}`);
    expect(p.rows.map((x) => x.id)).toEqual(['p-north', 'p-south', 'p-empty']);
    expect(parts(p.rows[0]!)).toEqual({
      tapWaterRate: [2300, 2800],
      scaleCoverage: [2100, 2800],
      integrationRate: [1100, 2800],
      qualityCompliance: [11, 13],
      labCompliance: [0, 0],
      monitoringOnline: [2, 4],
      safeWaterCoverage: [0, 2800],
      standardizedCountyShare: [0, 2],
    });
    expect(p.rows[2]!.indicators.standardizedCountyShare.value).toBeNull();
    const r = await get(`?groupBy=region&to=${new Date(T).toISOString()}`);
    expect(parts(r.rows[0]!)).toEqual({
      tapWaterRate: [12300, 12800],
      scaleCoverage: [12100, 12800],
      integrationRate: [1100, 12800],
      qualityCompliance: [13, 15],
      labCompliance: [0, 0],
      monitoringOnline: [3, 5],
      safeWaterCoverage: [10000, 12800],
      standardizedCountyShare: [1, 4],
    });
  });

  it('defaults to counties over the 24 h ending now, for every role', async () => {
    for (const key of ['planner', 'ops-xiji', 'demo-admin']) {
      const r = await get('', key);
      expect(r.groupBy).toBe('county');
      expect(r.rows).toHaveLength(4);
      expect(r.window.to).toBe(new Date(T).toISOString());
    }
  });

  it('answers CSV for spreadsheets', async () => {
    const res = await f.call(`/api/v1/coverage?groupBy=region&format=csv&to=${T}`, { key: 'planner' });
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="coverage-region-20270630T120000Z.csv"',
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    // The UTF-8 byte-order mark that makes Excel read the file as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[0]!.startsWith('id,name,ruralPopulation,tapWaterRate.value')).toBe(true);
    expect(lines[1]!.startsWith(`nx,Ningxia,12800,${12300 / 12800},12300,12800,0.98,`)).toBe(true);
  });

  it('refuses bad parameters naming them', async () => {
    for (const [q, param] of [
      ['groupBy=town', 'groupBy'],
      ['window=24', 'window'],
      ['window=0h', 'window'],
      ['window=400d', 'window'],
      ['to=noon', 'to'],
      ['format=xlsx', 'format'],
      ['from=0', 'from'],
    ]) {
      const res = await f.call(`/api/v1/coverage?${q}`);
      expect(res.status, q).toBe(400);
      expect(await json(res)).toMatchObject({ param });
    }
  });
});

describe('coverage counts kept between requests', () => {
  it('answers from counts at most coverageMaxAgeMs old, and waits for fresh ones beyond that', async () => {
    let now = T;
    const f = createFixture({
      file: coverageRegistry(),
      clock: () => now,
      options: { coverageMaxAgeMs: 60_000 },
    });
    try {
      const windowTo = async () => Coverage.parse(await json(await f.call('/api/v1/coverage'))).window.to;
      expect(await windowTo()).toBe(new Date(T).toISOString());
      now += 30_000;
      expect(await windowTo()).toBe(new Date(T).toISOString());
      now += 40_000;
      // Older than coverageMaxAgeMs: never served, this answer has fresh counts.
      expect(await windowTo()).toBe(new Date(T + 70_000).toISOString());
      // An explicit window end is its own entry.
      const fixed = Coverage.parse(await json(await f.call(`/api/v1/coverage?to=${T - 5000}`)));
      expect(fixed.window.to).toBe(new Date(T - 5000).toISOString());
    } finally {
      f.close();
    }
  });
});
