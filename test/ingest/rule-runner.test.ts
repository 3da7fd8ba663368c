/** The ingest rule runner after a registry reload: orphaned alerts clear once, with their reason. */
import { describe, expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../core/alert.js';
import type { Registry } from '../../core/registry.js';
import { createRuleRunner } from '../../ingest/rule-runner.js';
import { registryWith, T0 } from '../helpers/rule-run.js';

function runnerWithAlert() {
  let registry: Registry = registryWith();
  const runner = createRuleRunner(() => registry);
  runner.restore([], T0);
  const judge = (ts: number, chlorine: number) =>
    runner.judge(runner.setup('d-0001')!, { ts, values: { chlorine } }, ts).events;
  judge(T0 + 60_000, 0.1);
  const raised = judge(T0 + 120_000, 0.1);
  expect(raised.map((e) => [e.type, e.alert.ruleId])).toEqual([['raised', 'chlorine-plant']]);
  return {
    runner,
    judge,
    swap: (next: Registry) => {
      registry = next;
    },
  };
}

describe('rule runner reconcile', () => {
  it('clears the alert of a rule disabled by a reload, once, and forgets it', () => {
    const { runner, judge, swap } = runnerWithAlert();
    const now = T0 + 180_000;
    expect(runner.reconcile(now)).toEqual([]);
    swap(registryWith([{ rule: 'chlorine-plant', enabled: false }]));
    const events = runner.reconcile(now);
    expect(events.map((e) => [e.type, e.reason, e.alert.ruleId, e.at])).toEqual([
      ['cleared', 'rule-disabled', 'chlorine-plant', new Date(now).toISOString()],
    ]);
    expect(runner.activeAlerts()).toBe(0);
    expect(runner.reconcile(now + 1)).toEqual([]);
    // Enabled again: the next breaching Readings raise a new alert, as after any clear.
    swap(registryWith());
    expect(judge(T0 + 240_000, 0.1)).toEqual([]);
    expect(judge(T0 + 300_000, 0.1).map((e) => e.type)).toEqual(['raised']);
  });

  it('delivers the clears of a removed device through the next stale check, once', () => {
    const { runner, swap } = runnerWithAlert();
    // Other devices of the registry have gone stale meanwhile; only d-0001 matters here.
    const mine = (events: AlertEvent[]) => events.filter((e) => e.alert.deviceId === 'd-0001');
    expect(mine(runner.checkStale(T0 + 121_000))).toEqual([]);
    const before = runner.activeAlerts();
    swap(
      registryWith([], (f) => {
        f.devices = f.devices.filter((d) => d.id !== 'd-0001');
      }),
    );
    const first = mine(runner.checkStale(T0 + 122_000));
    expect(first.map((e) => [e.type, e.reason, e.alert.deviceId])).toEqual([
      ['cleared', 'device-removed', 'd-0001'],
    ]);
    expect(runner.activeAlerts()).toBe(before - 1);
    expect(mine(runner.checkStale(T0 + 123_000))).toEqual([]);
  });

  it('clears at the first stale check after a restore the alerts the registry no longer backs', () => {
    // The store's active alert of d-0001, handed to a runner restarted with a registry without d-0001.
    const stored: Alert[] = [];
    const raiser = createRuleRunner(() => registryWith());
    raiser.restore([], T0);
    const rs = raiser.setup('d-0001')!;
    raiser.judge(rs, { ts: T0 + 60_000, values: { chlorine: 0.1 } }, T0 + 60_000);
    stored.push(
      raiser.judge(rs, { ts: T0 + 120_000, values: { chlorine: 0.1 } }, T0 + 120_000).events[0]!.alert,
    );

    const restarted = createRuleRunner(() =>
      registryWith([], (f) => {
        f.devices = f.devices.filter((d) => d.id !== 'd-0001');
      }),
    );
    restarted.restore(stored, T0 + 200_000);
    expect(restarted.activeAlerts()).toBe(1);
    const clears = restarted.checkStale(T0 + 201_000).filter((e) => e.type === 'cleared');
    expect(clears.map((e) => [e.reason, e.alert.id])).toEqual([['device-removed', stored[0]!.id]]);
    expect(restarted.activeAlerts()).toBe(0);
  });
});
