/** The rule runner forgets an alert resolved by hand, so the next breach raises a new one (no timers, no I/O). */
import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../core/alert.js';
import type { Metric } from '../../core/metrics.js';
import { createRuleRunner } from '../../ingest/rule-runner.js';
import { registryWith, T0 } from '../helpers/rule-run.js';

const MIN = 60_000;

/** A runner over the small registry, fed one device's Readings a minute apart from T0. */
function runner() {
  const registry = registryWith();
  const r = createRuleRunner(() => registry);
  r.restore([], T0);
  let n = 0;
  const push = (deviceId: string, values: Partial<Record<Metric, number>>): AlertEvent[] => {
    const ts = T0 + ++n * MIN;
    return r.judge(r.setup(deviceId)!, { ts, values }, ts).events;
  };
  return { r, push, now: () => T0 + n * MIN };
}

/** The alert as the API's resolve leaves it. */
const resolvedCopy = (a: Alert, at: number): Alert => ({
  ...a,
  active: false,
  clearedAt: new Date(at).toISOString(),
  resolvedBy: 'ops-xiji',
  resolutionNote: 'valve replaced',
});

describe('rule runner: resolved alerts', () => {
  it('raises a new turbidity alert after a resolve, on the 2nd breaching Reading as usual', () => {
    const { r, push, now } = runner();
    push('d-0001', { turbidity: 1.5 });
    const [raised] = push('d-0001', { turbidity: 1.6 });
    expect(raised).toMatchObject({ type: 'raised', alert: { ruleId: 'turbidity-max' } });
    // Still breaching: the active alert absorbs it.
    expect(push('d-0001', { turbidity: 1.7 })).toEqual([]);
    expect(r.activeAlerts()).toBe(1);

    expect(r.resolved(resolvedCopy(raised!.alert, now()))).toBe(true);
    expect(r.activeAlerts()).toBe(0);
    expect(push('d-0001', { turbidity: 1.7 })).toEqual([]);
    const [again] = push('d-0001', { turbidity: 1.8 });
    expect(again).toMatchObject({ type: 'raised', alert: { ruleId: 'turbidity-max', active: true } });
    expect(again!.alert.id).not.toBe(raised!.alert.id);
  });

  it('never clears a resolved alert later: readings back inside raise nothing and clear nothing', () => {
    const { r, push, now } = runner();
    push('d-0001', { turbidity: 1.5 });
    const [raised] = push('d-0001', { turbidity: 1.6 });
    r.resolved(resolvedCopy(raised!.alert, now()));
    expect(push('d-0001', { turbidity: 0.2 })).toEqual([]);
    expect(push('d-0001', { turbidity: 0.2 })).toEqual([]);
  });

  it('ignores a resolve of an alert that is not the active one (unknown, or already superseded)', () => {
    const { r, push, now } = runner();
    push('d-0001', { turbidity: 1.5 });
    const [raised] = push('d-0001', { turbidity: 1.6 });
    const other = { ...raised!.alert, id: 'turbidity-max.d-0001.1' };
    expect(r.resolved(resolvedCopy(other, now()))).toBe(false);
    expect(r.resolved(resolvedCopy({ ...raised!.alert, deviceId: 'd-9999' }, now()))).toBe(false);
    expect(r.activeAlerts()).toBe(1);
    // The active alert still holds: no second raise.
    expect(push('d-0001', { turbidity: 1.7 })).toEqual([]);
  });

  it('counts stale afresh from the resolve, not from the last Reading', () => {
    const { r } = runner();
    // d-0001 reports every 60 s: stale after 3 minutes of silence.
    const [stale] = r.checkStale(T0 + 4 * MIN);
    expect(stale).toMatchObject({ type: 'raised', alert: { ruleId: 'stale', deviceId: 'd-0001' } });
    const at = T0 + 10 * MIN;
    expect(r.resolved(resolvedCopy(stale!.alert, at))).toBe(true);
    expect(r.checkStale(at + 2 * MIN).filter((e) => e.alert.deviceId === 'd-0001')).toEqual([]);
    const [again] = r.checkStale(at + 4 * MIN).filter((e) => e.alert.deviceId === 'd-0001');
    expect(again).toMatchObject({ type: 'raised', alert: { ruleId: 'stale' } });
    expect(again!.alert.id).not.toBe(stale!.alert.id);
  });

  it('needs a fresh run of identical values to raise flatline again', () => {
    const { r, push, now } = runner();
    let raised: AlertEvent | undefined;
    for (let i = 0; i < 10; i++)
      raised ??= push('d-0001', { ph: 7.2 }).find((e) => e.alert.ruleId === 'flatline');
    expect(raised).toBeDefined();
    r.resolved(resolvedCopy(raised!.alert, now()));
    const after: AlertEvent[] = [];
    for (let i = 0; i < 9; i++) after.push(...push('d-0001', { ph: 7.2 }));
    expect(after).toEqual([]);
    const [again] = push('d-0001', { ph: 7.2 });
    expect(again).toMatchObject({ type: 'raised', alert: { ruleId: 'flatline' } });
  });
});
