/** Scenario entries resolved to places and times: named targets checked, random picks seeded and spread. */
import { describe, expect, it } from 'vitest';
import { parseAt, resolveScenario } from '../../devices-sim/scenario-resolve.js';
import { simRegistry } from './sim-registry.js';

const registry = simRegistry();
const devices = [...registry.devices.values()];
const START = Date.parse('2026-05-01T00:02:00Z');

describe('resolving a scenario', () => {
  it('reads times relative to the start or absolute', () => {
    expect(parseAt('+1h30m', START)).toBe(START + 90 * 60_000);
    expect(parseAt('2026-05-01T08:00:00+08:00', START)).toBe(Date.parse('2026-05-01T00:00:00Z'));
    expect(parseAt('soon', START)).toBeNull();
  });

  it('starts a "+1m" burst at one minute, later network faults on its five-minute grid, and a device fault at its exact time', () => {
    const r = resolveScenario({
      registry,
      devices,
      seed: 1,
      simStart: START,
      entries: [
        { kind: 'burst', at: '+1m', for: '30m', site: 'hill-s1-p2' },
        { kind: 'sensor-stuck', at: '+1m', for: '30m', device: 'd-0103' },
        { kind: 'burst', at: '+13m', for: '30m', site: 'xiji-s1-p1' },
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value[0]).toMatchObject({
      kind: 'burst',
      siteId: 'hill-s1-p2',
      schemeId: 'hill-s1',
      countyId: 'xiji',
    });
    expect(r.value[0]!.start).toBe(START + 60_000);
    expect(r.value[0]!.end).toBe(START + 31 * 60_000);
    // 13 min is 12 min after the first: the next 5-minute step of its grid is 15 min after it.
    expect(r.value[2]!.start).toBe(START + 16 * 60_000);
    expect(r.value[1]).toMatchObject({ kind: 'sensor-stuck', deviceIds: ['d-0103'], start: START + 60_000 });
  });

  it('picks places where the fault can be seen, the same ones for the same seed', () => {
    const entries = [{ kind: 'burst' as const, at: '+1h', for: '1h', count: 2 }];
    const a = resolveScenario({ registry, devices, seed: 5, simStart: START, entries });
    const b = resolveScenario({ registry, devices, seed: 5, simStart: START, entries });
    if (!a.ok || !b.ok) throw new Error('not resolved');
    expect(a.value.map((f) => f.siteId)).toEqual(b.value.map((f) => f.siteId));
    // One per scheme while there are fresh ones, each where a pressure monitor sits at or below it.
    expect(new Set(a.value.map((f) => f.schemeId))).toEqual(new Set(['hill-s1', 'xiji-s1']));
    for (const f of a.value)
      expect(['hill-s1-p1', 'hill-s1-p2', 'hill-s1-p3', 'hill-s1-t1', 'hill-s1-t2', 'xiji-s1-p1']).toContain(
        f.siteId,
      );
  });

  it('silences the plant monitors in a plant outage', () => {
    const r = resolveScenario({
      registry,
      devices,
      seed: 1,
      simStart: START,
      entries: [{ kind: 'plant-outage', at: '+1h', for: '2h', site: 'hill-s1-plant' }],
    });
    expect(r).toMatchObject({ ok: true, value: [{ deviceIds: ['d-0101'] }] });
  });

  it('reports every bad entry with its index', () => {
    const r = resolveScenario({
      registry,
      devices,
      seed: 1,
      simStart: START,
      entries: [
        { kind: 'burst', at: '+1h', for: '1h', site: 'hill-s1-plant' },
        { kind: 'sensor-drift', at: 'later', for: '1h', device: 'd-0103' },
        { kind: 'device-offline', at: '+1h', for: '1h', device: 'd-9999' },
      ],
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues.map((i) => i.path)).toEqual(['faults[0].site', 'faults[1].at', 'faults[2].device']);
  });
});
