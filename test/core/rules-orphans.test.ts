/** Alerts a registry change leaves without a rule to clear them clear at once, saying why. */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { orphanedAlerts } from '../../core/rules/orphans.js';
import { Feed, registryWith, T0 } from '../helpers/rule-run.js';

/** A real alert: d-0001 (plant) raising chlorine-plant on two low Readings, and ph-range on two high ones. */
function activeAlerts(): Alert[] {
  const feed = new Feed('d-0001');
  feed.push({ chlorine: 0.1, ph: 9 });
  feed.push({ chlorine: 0.1, ph: 9 });
  const alerts = Object.values(feed.state.active) as Alert[];
  expect(alerts.map((a) => a.ruleId).sort()).toEqual(['chlorine-plant', 'ph-range']);
  return alerts;
}

describe('orphanedAlerts', () => {
  it('clears nothing while every active alert still has its device and rule', () => {
    expect(orphanedAlerts(activeAlerts(), registryWith(), T0 + 3_600_000)).toEqual([]);
  });

  it('clears the alert of a disabled rule with reason rule-disabled, at the reload, keeping the others', () => {
    const now = T0 + 3_600_000;
    const events = orphanedAlerts(
      activeAlerts(),
      registryWith([{ rule: 'chlorine-plant', device: 'd-0001', enabled: false }]),
      now,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'cleared',
      reason: 'rule-disabled',
      at: new Date(now).toISOString(),
      alert: {
        ruleId: 'chlorine-plant',
        deviceId: 'd-0001',
        active: false,
        clearedAt: new Date(now).toISOString(),
      },
    });
    expect(events[0]!.alert.acknowledged).toBe(false);
  });

  it('clears every alert of a removed device with reason device-removed', () => {
    const events = orphanedAlerts(
      activeAlerts(),
      registryWith([], (f) => {
        f.devices = f.devices.filter((d) => d.id !== 'd-0001');
        f.rules = [];
      }),
      T0 + 3_600_000,
    );
    expect(events.map((e) => [e.alert.ruleId, e.reason]).sort()).toEqual([
      ['chlorine-plant', 'device-removed'],
      ['ph-range', 'device-removed'],
    ]);
  });

  it('clears an alert whose rule no longer applies where the device now is, and never before its raise', () => {
    // d-0001 moves from the plant to a pipe: chlorine-plant does not apply to pipes.
    const moved = registryWith([], (f) => {
      f.devices[0]!.site = 'xiji-s1-p1';
    });
    const events = orphanedAlerts(activeAlerts(), moved, T0 - 1_000);
    expect(events.map((e) => [e.alert.ruleId, e.reason])).toEqual([['chlorine-plant', 'rule-disabled']]);
    expect(Date.parse(events[0]!.at)).toBe(Date.parse(events[0]!.alert.raisedAt));
  });

  it('ignores alerts already cleared', () => {
    const inactive = activeAlerts().map((a) => ({ ...a, active: false }));
    const none = registryWith([], (f) => {
      f.devices = f.devices.filter((d) => d.id !== 'd-0001');
    });
    expect(orphanedAlerts(inactive, none, T0 + 1)).toEqual([]);
  });
});
