/** flatline and stale on hand-written sequences: a stuck sensor, and a silent device on an injected clock. */
import { describe, expect, it } from 'vitest';
import { checkStale } from '../../core/rules/stale.js';
import { Feed, registryWith, T0 } from '../helpers/rule-run.js';

describe('flatline', () => {
  it('raises on the 10th identical consecutive value and clears on the first different one', () => {
    const feed = new Feed('d-0002');
    const values = [0.31, ...Array.from({ length: 12 }, () => 0.3), 0.301];
    expect(feed.series('chlorine', values)).toEqual(['raised flatline@10', 'cleared flatline@13']);
    expect(feed.log[10]!.events[0]!.alert).toMatchObject({
      kind: 'flatline',
      metric: 'chlorine',
      severity: 'warning',
      value: 0.3,
      limit: 10,
      message:
        'free chlorine stuck at 0.3 mg/L for 10 consecutive readings at pipe xiji-s1-p1: a stuck sensor?',
    });
  });

  it('shares one alert between stuck metrics: named after the first, cleared when none is stuck', () => {
    const feed = new Feed('d-0002');
    for (let i = 0; i < 10; i++) feed.push({ pressure: 0.4, chlorine: 0.3 });
    const raised = feed.log[9]!.events.filter((e) => e.alert.ruleId === 'flatline');
    expect(raised.map((e) => [e.type, e.alert.metric])).toEqual([['raised', 'pressure']]);
    expect(feed.push({ pressure: 0.41, chlorine: 0.3 }).events).toEqual([]);
    expect(feed.push({ pressure: 0.42, chlorine: 0.31 }).events.map((e) => e.type)).toEqual(['cleared']);
  });

  it('counts a metric over the Readings that carry it', () => {
    const feed = new Feed('d-0002');
    for (let i = 0; i < 9; i++) {
      feed.push({ chlorine: 0.3 });
      feed.push({ pressure: 0.3 + i / 100 });
    }
    expect(feed.push({ chlorine: 0.3 }).events.map((e) => e.alert.ruleId)).toEqual(['flatline']);
  });

  it('takes its count from the registry', () => {
    const feed = new Feed('d-0002', registryWith([{ rule: 'flatline', count: 3 }]));
    expect(feed.series('chlorine', [0.3, 0.3, 0.3])).toEqual(['raised flatline@2']);
  });
});

describe('stale', () => {
  const registry = registryWith();
  const stale = (feed: Feed) => feed.rules.find((r) => r.rule === 'stale')!;

  it('raises once 3 × intervalS have passed without a Reading, counting from the start for a silent device', () => {
    const feed = new Feed('d-0001', registry);
    expect(checkStale(feed.state, feed.device, stale(feed), T0 + 180_000).event).toBeUndefined();
    const r = checkStale(feed.state, feed.device, stale(feed), T0 + 181_000);
    expect(r.event?.alert).toMatchObject({
      id: `stale.d-0001.${T0 + 181_000}`,
      kind: 'stale',
      severity: 'warning',
      value: 181,
      limit: 180,
      message: 'no reading from d-0001 for 181 s (it reports every 60 s) at plant xiji-s1-plant',
    });
    expect(r.event?.alert.metric).toBeUndefined();
    // Raised once: later checks find it active.
    expect(checkStale(r.state, feed.device, stale(feed), T0 + 900_000).event).toBeUndefined();
  });

  it('clears on the next Reading and counts the deadline from when the device was heard', () => {
    const feed = new Feed('d-0001', registry);
    feed.state = checkStale(feed.state, feed.device, stale(feed), T0 + 200_000).state;
    const step = feed.push({ ph: 7.2 }, T0 + 210_000);
    expect(step.events.map((e) => [e.type, e.alert.ruleId])).toEqual([['cleared', 'stale']]);
    expect(checkStale(feed.state, feed.device, stale(feed), T0 + 390_000).event).toBeUndefined();
    expect(checkStale(feed.state, feed.device, stale(feed), T0 + 390_001).event).toBeDefined();
  });

  it('uses the receiving clock, so a device whose clock is behind is not stale while it reports', () => {
    const feed = new Feed('d-0001', registry);
    const late = feed.rules;
    const tenMinutesBehind = T0 + 300_000 - 600_000;
    for (let i = 0; i < 5; i++) {
      const r = feed.push({ ph: 7 + i / 10 }, tenMinutesBehind + i * 60_000);
      expect(r.outcome).toBe('live');
    }
    expect(late).toBe(feed.rules);
    expect(checkStale(feed.state, feed.device, stale(feed), T0 + 60_000).event).toBeUndefined();
  });

  it('takes its factor from the registry', () => {
    const feed = new Feed('d-0001', registryWith([{ rule: 'stale', device: 'd-0001', factor: 1 }]));
    expect(checkStale(feed.state, feed.device, stale(feed), T0 + 60_001).event).toBeDefined();
  });
});
