/** The rule engine as a whole: backfill and duplicates never raise or clear, and state rebuilt after a restart. */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { BACKFILL_MS } from '../../core/rules/evaluate.js';
import { rebuildStates } from '../../core/rules/rebuild.js';
import { initialState } from '../../core/rules/rule-state.js';
import { rulesFor } from '../../core/rules/settings.js';
import { Feed, registryWith, T0 } from '../helpers/rule-run.js';

describe('evaluate', () => {
  it('stores but never judges a Reading more than 10 minutes older than the newest (backfill)', () => {
    const feed = new Feed('d-0002');
    const newest = T0 + 3_600_000;
    feed.push({ chlorine: 0.3 }, newest);
    expect(feed.push({ chlorine: 0 }, newest - BACKFILL_MS - 1).outcome).toBe('backfill');
    expect(feed.push({ chlorine: 0 }, newest - BACKFILL_MS - 2).events).toEqual([]);
    // Exactly 10 minutes older is not "more than": it is live, and with the next one it raises.
    expect(feed.push({ chlorine: 0 }, newest - BACKFILL_MS).outcome).toBe('live');
    expect(feed.push({ chlorine: 0 }, newest + 1000).events.map((e) => e.alert.ruleId)).toEqual([
      'chlorine-network',
    ]);
  });

  it('never clears an alert with backfill', () => {
    const feed = new Feed('d-0002');
    feed.push({ chlorine: 0 }, T0 + 3_600_000);
    feed.push({ chlorine: 0.01 }, T0 + 3_601_000);
    expect(Object.keys(feed.state.active)).toEqual(['chlorine-network']);
    for (let i = 0; i < 5; i++) expect(feed.push({ chlorine: 0.4 }, T0 + i * 1000).outcome).toBe('backfill');
    expect(Object.keys(feed.state.active)).toEqual(['chlorine-network']);
  });

  it('judges a redelivered duplicate once: it does not count as a second consecutive breach', () => {
    const feed = new Feed('d-0002');
    feed.push({ chlorine: 0.01 }, T0);
    const again = feed.push({ chlorine: 0.01 }, T0);
    expect(again).toMatchObject({ outcome: 'duplicate', events: [] });
    expect(feed.push({ chlorine: 0.01 }, T0 + 1000).events).toHaveLength(1);
  });

  it('judges a late Reading within 10 minutes of the newest as live', () => {
    const feed = new Feed('d-0002');
    feed.push({ chlorine: 0.01 }, T0 + 120_000);
    const late = feed.push({ chlorine: 0.01 }, T0 + 60_000);
    expect(late.outcome).toBe('live');
    expect(late.events.map((e) => e.type)).toEqual(['raised']);
    expect(feed.state.newestTs).toBe(T0 + 120_000);
  });

  it('does not mutate the state it is given', () => {
    const feed = new Feed('d-0002');
    const before = feed.state;
    const frozen = JSON.stringify(before);
    feed.push({ chlorine: 0.01, pressure: 0.4 });
    feed.push({ chlorine: 0.01, pressure: 0.1 });
    expect(JSON.stringify(before)).toBe(frozen);
    expect(feed.state).not.toBe(before);
  });
});

describe('rebuildStates', () => {
  const registry = registryWith();
  const rulesOf = (id: string) => {
    const d = registry.devices.get(id);
    return d ? rulesFor(d, []) : undefined;
  };
  const raisedBy = (values: number[], metric: 'chlorine' | 'pressure' = 'chlorine'): Alert => {
    const feed = new Feed('d-0002', registry);
    feed.series(metric, values);
    return Object.values(feed.state.active)[0]!;
  };

  it('keeps an active alert across a restart: a persisting breach raises nothing new', () => {
    const alert = raisedBy([0.01, 0.01]);
    const states = rebuildStates([alert], T0, rulesOf);
    const feed = new Feed('d-0002', registry, states.get('d-0002'));
    expect(feed.series('chlorine', [0.01, 0.02, 0.01, 0.03])).toEqual([]);
    const cleared = feed.series('chlorine', [0.3, 0.3]);
    expect(cleared).toEqual(['cleared chlorine-network@5']);
    expect(feed.log[5]!.events[0]!.alert.id).toBe(alert.id);
  });

  it('keeps a flatline active while the stuck value persists, and clears it on a different one', () => {
    const alert = raisedBy(Array.from({ length: 10 }, () => 0.3));
    expect(alert.ruleId).toBe('flatline');
    const feed = new Feed('d-0002', registry, rebuildStates([alert], T0, rulesOf).get('d-0002'));
    expect(feed.series('chlorine', [0.3, 0.3])).toEqual([]);
    expect(feed.series('chlorine', [0.32])).toEqual(['cleared flatline@2']);
  });

  it('recovers the pressure high before a drop from the alert, so recovery still clears it', () => {
    const alert = raisedBy([0.4, 0.2], 'pressure');
    expect(alert.ruleId).toBe('pressure-drop');
    const feed = new Feed('d-0002', registry, rebuildStates([alert], T0, rulesOf).get('d-0002'));
    expect(feed.series('pressure', [0.35, 0.37, 0.37])).toEqual(['cleared pressure-drop@2']);
  });

  it('keeps the newest of two active alerts for one device and rule, and starts other devices fresh', () => {
    const a = raisedBy([0.01, 0.01]);
    const b = { ...a, id: 'newer', raisedAt: new Date(Date.parse(a.raisedAt) + 1000).toISOString() };
    const states = rebuildStates([b, a], T0, rulesOf);
    expect(states.get('d-0002')!.active['chlorine-network']!.id).toBe('newer');
    expect(states.get('d-0001')).toBeUndefined();
    expect(initialState(T0).heardAt).toBe(T0);
  });
});
