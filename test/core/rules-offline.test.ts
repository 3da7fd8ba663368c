/** offline: a device whose connection closed is reported once its Reading is 1.5 intervals overdue, before stale's 3. */
import { describe, expect, it } from 'vitest';
import { checkOffline } from '../../core/rules/offline.js';
import { checkStale } from '../../core/rules/stale.js';
import { Feed, registryWith, T0 } from '../helpers/rule-run.js';

describe('offline', () => {
  const rule = (feed: Feed, id = 'offline') => feed.rules.find((r) => r.rule === id)!;

  it('raises 1.5 intervals after the last Reading when the connection is closed, and clears on the next Reading', () => {
    const feed = new Feed('d-0001');
    feed.push({ chlorine: 0.8 });
    const last = T0 + 60_000;
    expect(checkOffline(feed.state, feed.device, rule(feed), last + 90_000, true).event).toBeUndefined();
    const r = checkOffline(feed.state, feed.device, rule(feed), last + 91_000, true);
    expect(r.event?.alert).toMatchObject({
      ruleId: 'offline',
      kind: 'stale',
      severity: 'warning',
      value: 91,
      limit: 90,
      message:
        'no reading from d-0001 for 91 s (it reports every 60 s) at plant xiji-s1-plant: its connection to the broker is closed',
    });
    // Once only.
    expect(checkOffline(r.state, feed.device, rule(feed), last + 120_000, true).event).toBeUndefined();
    feed.state = r.state;
    const back = feed.push({ chlorine: 0.8 }, last + 150_000);
    expect(back.events.map((e) => [e.type, e.alert.ruleId])).toEqual([['cleared', 'offline']]);
  });

  it('raises nothing while the device is connected, however late its Reading', () => {
    const feed = new Feed('d-0001');
    feed.push({ chlorine: 0.8 });
    expect(
      checkOffline(feed.state, feed.device, rule(feed), T0 + 60_000 + 170_000, false).event,
    ).toBeUndefined();
  });

  it('adds nothing to an active stale alert', () => {
    const feed = new Feed('d-0001');
    feed.push({ chlorine: 0.8 });
    const stale = checkStale(feed.state, feed.device, rule(feed, 'stale'), T0 + 60_000 + 181_000);
    expect(stale.event).toBeDefined();
    expect(
      checkOffline(stale.state, feed.device, rule(feed), T0 + 60_000 + 182_000, true).event,
    ).toBeUndefined();
  });

  it('takes its factor from the registry, and can be switched off', () => {
    const feed = new Feed('d-0001', registryWith([{ rule: 'offline', factor: 2 }]));
    feed.push({ chlorine: 0.8 });
    expect(
      checkOffline(feed.state, feed.device, rule(feed), T0 + 60_000 + 119_000, true).event,
    ).toBeUndefined();
    expect(
      checkOffline(feed.state, feed.device, rule(feed), T0 + 60_000 + 121_000, true).event,
    ).toBeDefined();
    const off = new Feed('d-0001', registryWith([{ rule: 'offline', enabled: false }]));
    expect(off.rules.some((r) => r.rule === 'offline')).toBe(false);
  });
});
