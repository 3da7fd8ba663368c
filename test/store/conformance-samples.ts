/** The lab-sample part of the store conformance suite: one sample per site and time, filters, counts per scheme. */
import { expect, it } from 'vitest';
import type { StoredSample } from '../../core/lab/sample.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { BASE, DEVICES, HOUR } from './fixtures.js';

function sample(
  deviceLike: keyof typeof DEVICES,
  at: number,
  values: Record<string, number>,
  failed: string[] = [],
): StoredSample {
  const d = DEVICES[deviceLike]!;
  return {
    id: `${d.siteId}.${at}`,
    siteId: d.siteId,
    siteKind: d.siteKind,
    schemeId: d.schemeId,
    countyId: d.countyId,
    sampledAt: at,
    lab: '县疾控中心',
    values,
    compliant: failed.length === 0,
    failed,
    receivedAt: at + HOUR,
    by: 'ops-x',
  };
}

export function sampleTests(store: () => TelemetryStore): void {
  it('keeps lab samples whole and answers newest first within the window', async () => {
    const s = store();
    const a = sample('d-plant', BASE, { turbidity: 0.4, chlorine: 0.6 });
    const b = { ...sample('d-tap', BASE + HOUR, { 'e-coli': 2, turbidity: 0.3 }, ['e-coli']), note: '复检' };
    const c = sample('d-res', BASE + 2 * HOUR, { nitrate: 8 });
    await s.writeSamples([a, b, c]);
    expect(await s.querySamples({ from: BASE, to: BASE + 2 * HOUR, limit: 10 })).toEqual([c, b, a]);
    expect(await s.querySamples({ from: BASE, to: BASE + HOUR, limit: 10 })).toEqual([b, a]);
    expect(await s.querySamples({ from: BASE, to: BASE + 2 * HOUR, limit: 1 })).toEqual([c]);
  });

  it('stores the same site and sampling time once, the later report replacing the earlier', async () => {
    const s = store();
    await s.writeSamples([sample('d-plant', BASE, { turbidity: 1.6 }, ['turbidity'])]);
    const corrected = sample('d-plant', BASE, { turbidity: 0.6, ph: 7.2 });
    await s.writeSamples([corrected]);
    expect(await s.querySamples({ from: BASE, to: BASE, limit: 10 })).toEqual([corrected]);
    expect(await s.labCounts({ from: BASE, to: BASE })).toEqual([
      { schemeId: 'sch-a', countyId: 'cty-x', samples: 1, compliant: 1 },
    ]);
  });

  it('filters samples by county, by the caller scope and by site', async () => {
    const s = store();
    const x = sample('d-plant', BASE, { ph: 7 });
    const y = sample('d-res', BASE + 1, { ph: 7 });
    await s.writeSamples([x, y]);
    const q = { from: BASE, to: BASE + HOUR, limit: 10 };
    expect(await s.querySamples({ ...q, countyId: 'cty-y' })).toEqual([y]);
    expect(await s.querySamples({ ...q, counties: ['cty-x'] })).toEqual([x]);
    expect(await s.querySamples({ ...q, counties: [] })).toEqual([]);
    expect(await s.querySamples({ ...q, siteId: 's-plant' })).toEqual([x]);
  });

  it('counts samples and compliant samples per scheme in the window', async () => {
    const s = store();
    await s.writeSamples([
      sample('d-plant', BASE, { ph: 7 }),
      sample('d-pipe', BASE + 1, { ph: 9 }, ['ph']),
      sample('d-tap', BASE + 2, { ph: 7.5 }),
      sample('d-tap', BASE + 3 * HOUR, { ph: 7.5 }),
    ]);
    expect(await s.labCounts({ from: BASE, to: BASE + HOUR })).toEqual([
      { schemeId: 'sch-a', countyId: 'cty-x', samples: 2, compliant: 1 },
      { schemeId: 'sch-b', countyId: 'cty-x', samples: 1, compliant: 1 },
    ]);
    expect(await s.labCounts({ from: BASE + 2 * HOUR, to: BASE + 2 * HOUR })).toEqual([]);
  });
}
