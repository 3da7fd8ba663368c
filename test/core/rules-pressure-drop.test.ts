/** pressure-drop on hand-written sequences: more than 30 % below the previous 5 minutes' highest, a burst. */
import { describe, expect, it } from 'vitest';
import { Feed, registryWith, T0 } from '../helpers/rule-run.js';

describe('pressure-drop', () => {
  it('raises on the Reading that shows a fall of more than 30 % below the 5-minute high', () => {
    const feed = new Feed('d-0002');
    // 0.41 × 0.7 = 0.287: exactly 30 % below is not "more than".
    expect(feed.series('pressure', [0.4, 0.41, 0.4, 0.39, 0.287, 0.28])).toEqual(['raised pressure-drop@5']);
    expect(feed.log[5]!.events[0]!.alert).toMatchObject({
      ruleId: 'pressure-drop',
      kind: 'rate',
      metric: 'pressure',
      severity: 'critical',
      value: 0.28,
      message:
        'pressure 0.28 MPa, 32 % below the highest of the previous 5 min (0.41 MPa) at pipe xiji-s1-p1: a possible burst',
    });
    expect(feed.log[5]!.events[0]!.alert.limit).toBeCloseTo(0.287, 9);
  });

  it('clears after 2 consecutive Readings above 90 % of the high before the drop', () => {
    const feed = new Feed('d-0002');
    // The high was 0.4: recovery means above 0.36.
    const events = feed.series('pressure', [0.4, 0.2, 0.3, 0.37, 0.36, 0.37, 0.38]);
    expect(events).toEqual(['raised pressure-drop@1', 'cleared pressure-drop@6']);
  });

  it('forgets a high older than the window', () => {
    const feed = new Feed('d-0002');
    feed.push({ pressure: 0.5 }, T0);
    for (let i = 1; i <= 10; i++) feed.push({ pressure: i % 2 ? 0.4 : 0.399 }, T0 + i * 30_000);
    // 0.5 was 330 s ago: the highest of the last 300 s is 0.4, and 0.3 is 25 % below it.
    expect(feed.push({ pressure: 0.3 }, T0 + 330_000).events).toEqual([]);
    // Within the window it counts: 0.5 was 300 s before this Reading.
    const near = new Feed('d-0002');
    near.push({ pressure: 0.5 }, T0);
    expect(near.push({ pressure: 0.3 }, T0 + 300_000).events.map((e) => e.alert.ruleId)).toEqual([
      'pressure-drop',
    ]);
  });

  it('takes dropRatio and windowS from the registry', () => {
    const registry = registryWith([{ rule: 'pressure-drop', device: 'd-0002', dropRatio: 0.5, windowS: 60 }]);
    const feed = new Feed('d-0002', registry);
    expect(feed.series('pressure', [0.4, 0.25, 0.19])).toEqual(['raised pressure-drop@2']);
    const old = new Feed('d-0002', registry);
    old.push({ pressure: 0.4 }, T0);
    expect(old.push({ pressure: 0.1 }, T0 + 61_000).events.map((e) => e.alert.ruleId)).toEqual([]);
  });

  it('does not judge a late Reading, whose window before it is incomplete', () => {
    const feed = new Feed('d-0002');
    feed.push({ pressure: 0.4 }, T0 + 60_000);
    expect(feed.push({ pressure: 0.2 }, T0 + 30_000).events).toEqual([]);
  });
});
