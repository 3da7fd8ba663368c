/**
 * Simulated readings through the platform's own pure rule engine: a healthy day raises nothing, the
 * same seed gives the same readings, and injected faults raise what the ground truth expects.
 */
import { Workspace } from 'epanet-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../bin/load-registry.js';
import type { AlertEvent } from '../../core/alert.js';
import type { ValidReading } from '../../core/reading.js';
import type { DeviceInfo, Registry } from '../../core/registry.js';
import { RULE_IDS } from '../../core/registry-schema.js';
import { evaluate } from '../../core/rules/evaluate.js';
import { initialState } from '../../core/rules/rule-state.js';
import { effectiveSettings } from '../../core/rules/settings.js';
import { createEpanet, type Epanet } from '../../devices-sim/epanet-run.js';
import type { Fault } from '../../devices-sim/faults.js';
import { createReadingSource } from '../../devices-sim/reading-source.js';
import { resolveScenario } from '../../devices-sim/scenario-resolve.js';
import { faultTruth } from '../../devices-sim/truth.js';
import { simRegistry } from './sim-registry.js';

const registry = simRegistry();
const devices = [...registry.devices.values()];
const START = Date.parse('2026-05-01T00:00:00+08:00');
const H = 3_600_000;

interface Raised {
  ruleId: string;
  deviceId: string;
  at: number;
}

/** Runs `hours` of readings through the rule engine, as ingest would (all sent readings, in order). */
function replay(
  epanet: Epanet,
  faults: Fault[],
  hours: number,
  seed = 1,
  reg: Registry = registry,
  devs = devices,
) {
  const source = createReadingSource({
    registry: reg,
    devices: devs,
    faults,
    epanet,
    seed,
    start: START,
    firstWithinMs: 60_000,
  });
  const state = new Map<string, ReturnType<typeof initialState>>();
  const rules = (d: DeviceInfo) =>
    RULE_IDS.map((r) => effectiveSettings(r, d, [])).filter((s) => s !== null && s.rule !== 'stale');
  const raised: Raised[] = [];
  const readings: string[] = [];
  source.drain(START + hours * H, Number.MAX_SAFE_INTEGER, (sim, e) => {
    readings.push(JSON.stringify(e.reading));
    if (e.mode !== 'send') return;
    const d = sim.device;
    const r: ValidReading = { ts: Number(e.reading.ts), values: e.reading.values };
    const out = evaluate(state.get(d.id) ?? initialState(r.ts), d, r, rules(d) as never);
    state.set(d.id, out.state);
    for (const ev of out.events as AlertEvent[]) {
      if (ev.type === 'raised')
        raised.push({ ruleId: ev.alert.ruleId, deviceId: d.id, at: Date.parse(ev.alert.raisedAt) });
    }
  });
  return { raised, readings, source };
}

describe('simulated readings judged by the rule engine', () => {
  let epanet: Epanet;
  beforeAll(async () => {
    epanet = await createEpanet(new Workspace());
  });

  it('raises nothing over a healthy day, and sends every declared metric within its limits', () => {
    const { raised, readings } = replay(epanet, [], 24);
    expect(raised).toEqual([]);
    expect(readings.length).toBeGreaterThan(5000);
  });

  it('raises nothing over a healthy day in two counties of the demo registry', () => {
    const demo = loadRegistry(null);
    if (!demo.ok) throw new Error('demo registry invalid');
    const some = [...demo.value.devices.values()].filter(
      (d) => d.countyId === 'xiji' || d.countyId === 'yongning',
    );
    const { raised } = replay(epanet, [], 24, 3, demo.value, some);
    expect(raised).toEqual([]);
  });

  it('gives the same readings for the same seed, and different ones for another', () => {
    const a = replay(epanet, [], 2, 7).readings;
    const b = replay(epanet, [], 2, 7).readings;
    const c = replay(epanet, [], 2, 8).readings;
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('raises the alerts the ground truth expects for a burst, a stuck sensor and a dosing failure', () => {
    const resolved = resolveScenario({
      registry,
      devices,
      seed: 1,
      simStart: START,
      entries: [
        { kind: 'burst', at: '+3h', for: '1h', site: 'hill-s1-p2' },
        { kind: 'sensor-stuck', at: '+2h', for: '2h', device: 'd-0103' },
        { kind: 'dosing-failure', at: '+5h', for: '12h', scheme: 'hill-s1' },
        { kind: 'malformed', at: '+1h', for: '1h', device: 'd-0002' },
      ],
    });
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    const { raised, source } = replay(epanet, resolved.value, 20);
    const truth = resolved.value.map((f) =>
      faultTruth({ registry, devices, world: source.world, wallAt: (t) => t }, f),
    );
    for (const t of truth.filter((x) => x.kind !== 'malformed')) {
      expect(t.expected.length, t.kind).toBeGreaterThan(0);
      for (const e of t.expected) {
        const hit = raised.find(
          (r) => r.ruleId === e.ruleId && r.deviceId === e.deviceId && r.at >= Date.parse(t.start) - 60_000,
        );
        expect(hit, `${t.kind}: ${e.ruleId} on ${e.deviceId}`).toBeDefined();
        expect(hit!.at).toBeLessThanOrEqual(Date.parse(t.effectEnd));
      }
    }
    expect(truth.find((t) => t.kind === 'burst')!.expected.map((e) => e.ruleId)).toContain('pressure-drop');
    // Everything raised is explained by some fault: expected or allowed, in its window.
    for (const r of raised) {
      const why = truth.find(
        (t) =>
          [...t.expected, ...t.allowed].some((e) => e.ruleId === r.ruleId && e.deviceId === r.deviceId) &&
          r.at >= Date.parse(t.start) - 60_000 &&
          r.at <= Date.parse(t.effectEnd),
      );
      expect(why, `${r.ruleId} on ${r.deviceId} at ${new Date(r.at).toISOString()}`).toBeDefined();
    }
  });
});
