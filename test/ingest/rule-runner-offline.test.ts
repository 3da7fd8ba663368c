/** The rule runner's `offline`: what the broker says of a device's connection decides it, on the wall or the Readings' clock. */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../core/alert.js';
import { createRuleRunner } from '../../ingest/rule-runner.js';
import { registryWith, T0 } from '../helpers/rule-run.js';
import { simRegistry } from '../sim/sim-registry.js';

const raisedOf = (events: AlertEvent[], id: string) =>
  events.filter((e) => e.type === 'raised' && e.alert.deviceId === id).map((e) => e.alert.ruleId);

describe('offline in the rule runner', () => {
  it('raises offline for a disconnected device 1.5 intervals after its last Reading, and stale later', () => {
    const runner = createRuleRunner(() => registryWith());
    runner.restore([], T0);
    const s = runner.setup('d-0001')!;
    runner.judge(s, { ts: T0, values: { chlorine: 0.8 } }, T0);
    runner.connection('d-0001', false);
    expect(raisedOf(runner.checkStale(T0 + 90_000), 'd-0001')).toEqual([]);
    expect(raisedOf(runner.checkStale(T0 + 91_000), 'd-0001')).toEqual(['offline']);
    expect(raisedOf(runner.checkStale(T0 + 181_000), 'd-0001')).toEqual(['stale']);
    // Back: one Reading clears both.
    const back = runner.judge(s, { ts: T0 + 200_000, values: { chlorine: 0.8 } }, T0 + 200_000).events;
    expect(
      back
        .filter((e) => e.type === 'cleared')
        .map((e) => e.alert.ruleId)
        .sort(),
    ).toEqual(['offline', 'stale']);
  });

  it('raises no offline for a device still connected, nor for one that connected again', () => {
    const runner = createRuleRunner(() => registryWith());
    runner.restore([], T0);
    const s = runner.setup('d-0001')!;
    runner.judge(s, { ts: T0, values: { chlorine: 0.8 } }, T0);
    expect(raisedOf(runner.checkStale(T0 + 120_000), 'd-0001')).toEqual([]);
    runner.connection('d-0001', false);
    runner.connection('d-0001', true);
    expect(raisedOf(runner.checkStale(T0 + 150_000), 'd-0001')).toEqual([]);
  });

  it('dates offline from its deadline on the Readings’ clock', () => {
    const WALL = Date.parse('2026-12-01T12:00:00Z');
    const SIM = WALL - 86_400_000;
    const registry = simRegistry();
    const runner = createRuleRunner(() => registry, { staleClock: 'readings' });
    runner.restore([], WALL);
    const plant = runner.setup('d-0101')!;
    const pipe = runner.setup('d-0103')!;
    const events: AlertEvent[] = [];
    events.push(...runner.judge(plant, { ts: SIM, values: { flow: 100, chlorine: 0.8 } }, WALL).events);
    runner.connection('d-0101', false);
    // Up to 3 simulated minutes: the clock, a minute behind the front, passes 90 s but not stale's 180 s.
    for (let i = 0; i <= 6; i++)
      events.push(
        ...runner.judge(
          pipe,
          { ts: SIM + i * 30_000, values: { pressure: 0.4, flow: 50, chlorine: 0.5 } },
          WALL,
        ).events,
      );
    const offline = events.find((e) => e.type === 'raised' && e.alert.ruleId === 'offline');
    expect(offline?.alert.deviceId).toBe('d-0101');
    expect(offline?.alert.raisedAt).toBe(new Date(SIM + 90_001).toISOString());
    expect(raisedOf(events, 'd-0101')).not.toContain('stale');
  });
});
