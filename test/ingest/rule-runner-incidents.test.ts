/** The rule runner's incidents and its stale clock, on hand-fed Readings (the pure engine under ingest, no broker). */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../core/alert.js';
import { createRuleRunner } from '../../ingest/rule-runner.js';
import { simRegistry } from '../sim/sim-registry.js';

const WALL = Date.parse('2026-12-01T12:00:00Z');
const SIM = WALL - 86_400_000;

describe('the rule runner', () => {
  it('counts stale on the Readings’ own time when told to, so a fast replay is judged on simulated time', () => {
    const registry = simRegistry();
    const runner = createRuleRunner(() => registry, { staleClock: 'readings' });
    runner.restore([], WALL);
    // Nothing is stale before the replay's first Reading: its clock has not started.
    expect(runner.checkStale(WALL + 3_600_000)).toEqual([]);
    const plant = runner.setup('d-0101')!;
    const pipe = runner.setup('d-0103')!;
    // Ten simulated minutes of the pipe (every 30 s); the plant (every 60 s) stops after its first Reading.
    const events: AlertEvent[] = [];
    events.push(
      ...runner.judge(plant, { ts: SIM, values: { flow: 100, chlorine: 0.8, ph: 7.3, turbidity: 0.2 } }, WALL)
        .events,
    );
    for (let i = 0; i <= 20; i++)
      events.push(
        ...runner.judge(
          pipe,
          { ts: SIM + i * 30_000, values: { pressure: 0.4, flow: 50, chlorine: 0.5 } },
          WALL + i * 300,
        ).events,
      );
    events.push(...runner.checkStale(WALL + 6_000));
    // Wall time has hardly moved, yet the plant has been silent 10 simulated minutes (> 3 × 60 s): it is
    // found stale once the simulated clock is well past its deadline, and stale from that deadline on.
    const stale = events.filter((e) => e.alert.ruleId === 'stale' && e.type === 'raised');
    const ids = stale.map((e) => e.alert.deviceId);
    expect(ids).toContain('d-0101');
    expect(ids).not.toContain('d-0103');
    expect(stale.find((e) => e.alert.deviceId === 'd-0101')!.alert.raisedAt).toBe(
      new Date(SIM + 180_001).toISOString(),
    );
  });

  it('keeps counting stale on the wall clock by default', () => {
    const registry = simRegistry();
    const runner = createRuleRunner(() => registry);
    runner.restore([], WALL);
    const pipe = runner.setup('d-0103')!;
    for (let i = 0; i <= 20; i++)
      runner.judge(
        pipe,
        { ts: SIM + i * 30_000, values: { pressure: 0.4, flow: 50, chlorine: 0.5 } },
        WALL + i * 300,
      );
    expect(runner.checkStale(WALL + 6_000).filter((e) => e.alert.ruleId === 'stale')).toEqual([]);
  });

  it('gives every event an incident, and the stale alerts of many silent devices one communication incident', () => {
    const registry = simRegistry();
    const runner = createRuleRunner(() => registry);
    runner.restore([], WALL);
    const events: AlertEvent[] = runner.checkStale(WALL + 3_600_000);
    const raised = events.filter((e) => e.type === 'raised');
    expect(raised.length).toBeGreaterThanOrEqual(5);
    expect(events.every((e) => e.incidentId !== undefined && e.alert.incidentId === e.incidentId)).toBe(true);
    // The last word on each alert's incident is its last event: every alert ends in communication incidents.
    const last = new Map<string, string>();
    for (const e of events) last.set(e.alert.id, e.incidentId!);
    const xiji = raised.filter((e) => e.alert.countyId === 'xiji').map((e) => last.get(e.alert.id));
    expect(new Set(xiji).size).toBe(1);
    expect([...new Set(xiji)][0]).toMatch(/^c\.xiji\./);
    expect(events.some((e) => e.type === 'grouped')).toBe(true);
  });
});
