/** Ground truth for the faster detections: offline for a device that drops its connection, chlorine-rate at a works that stops dosing. */
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../core/metrics.js';
import type { DeviceInfo } from '../../core/registry.js';
import type { Fault } from '../../devices-sim/faults.js';
import { faultTruth } from '../../devices-sim/truth.js';
import type { World } from '../../devices-sim/world.js';
import { simRegistry } from './sim-registry.js';

const T = Date.parse('2026-12-01T00:00:00Z');
const H = 3_600_000;
const registry = simRegistry();
const devices = [...registry.devices.values()];

/** Steady water, but the works outlet's chlorine falls to nothing within two minutes of `doseStops`. */
const world = (doseStops = Number.POSITIVE_INFINITY): World => ({
  value(d: DeviceInfo, m: Metric, ts: number) {
    if (m === 'chlorine' && d.siteKind === 'plant')
      return ts < doseStops ? 0.8 : Math.max(0, 0.8 - (0.4 * (ts - doseStops)) / 60_000);
    return { pressure: 0.35, flow: 50, chlorine: 0.5, turbidity: 0.2, ph: 7.4, level: 3 }[m as string] ?? 1;
  },
  prepare() {},
  stats: () => ({ schemes: 1, solveMs: 0 }),
});
const truthOf = (f: Fault, w = world()) =>
  faultTruth({ registry, devices, world: w, wallAt: (t) => t, staleClock: 'readings' }, f);
const fault = (o: Partial<Fault>): Fault => ({
  id: 'f-1',
  kind: 'device-offline',
  start: T,
  end: T + H,
  schemeId: 'hill-s1',
  countyId: 'xiji',
  siteId: 'hill-s1-p1',
  deviceIds: ['d-0103'],
  params: {},
  ...o,
});
const refs = (list: { ruleId: string; deviceId: string }[]) => list.map((r) => `${r.ruleId}|${r.deviceId}`);

describe('ground truth of faster detection', () => {
  it('expects offline 1.5 intervals in, and stale, for a device that drops its connection', () => {
    const t = truthOf(fault({}));
    expect(refs(t.expected).sort()).toEqual(['offline|d-0103', 'stale|d-0103']);
    expect(t.expected.find((r) => r.ruleId === 'offline')!.at).toBe(new Date(T + 45_000).toISOString());
  });

  it('expects no offline for a device whose clock is wrong: it keeps its connection', () => {
    const t = truthOf(fault({ kind: 'clock-skew', params: { skewS: 3600 } }));
    expect(refs([...t.expected, ...t.allowed])).not.toContain('offline|d-0103');
  });

  it('expects offline of the works monitors an outage silences', () => {
    const t = truthOf(
      fault({ kind: 'plant-outage', siteId: 'hill-s1-plant', deviceIds: ['d-0101'], end: T + 4 * H }),
    );
    expect(refs(t.expected)).toContain('offline|d-0101');
  });

  it('expects chlorine-rate at the works outlet when its dose stops', () => {
    const t = truthOf(
      fault({ kind: 'dosing-failure', siteId: 'hill-s1-plant', deviceIds: [], end: T + 6 * H }),
      world(T),
    );
    expect(refs(t.expected)).toContain('chlorine-rate|d-0101');
  });
});
