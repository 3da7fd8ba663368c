/** Threshold rules on hand-written sequences: CONTRACT §5 raise-after-2, clear-after-2 with a 5 % deadband. */
import { describe, expect, it } from 'vitest';
import { rulesFor } from '../../core/rules/settings.js';
import { Feed, registryWith, T0 } from '../helpers/rule-run.js';

describe('threshold rules', () => {
  it('raises free chlorine at a pipe on the 2nd consecutive reading below 0.05 mg/L, not on an isolated one', () => {
    const feed = new Feed('d-0002');
    expect(feed.series('chlorine', [0.3, 0.04, 0.3, 0.04, 0.02])).toEqual(['raised chlorine-network@4']);
    const alert = feed.log[4]!.events[0]!.alert;
    expect(alert).toMatchObject({
      id: `chlorine-network.d-0002.${T0 + 5 * 30_000}`,
      ruleId: 'chlorine-network',
      kind: 'threshold',
      metric: 'chlorine',
      deviceId: 'd-0002',
      siteId: 'xiji-s1-p1',
      schemeId: 'xiji-s1',
      countyId: 'xiji',
      severity: 'critical',
      active: true,
      acknowledged: false,
      raisedAt: new Date(T0 + 5 * 30_000).toISOString(),
      value: 0.02,
      limit: 0.05,
      message: 'free chlorine 0.02 mg/L below 0.05 mg/L at pipe xiji-s1-p1',
    });
  });

  it('clears only on the 2nd consecutive reading at or above 0.0525 (the deadband edge of 0.05)', () => {
    const feed = new Feed('d-0002');
    const events = feed.series('chlorine', [0.01, 0.01, 0.02, 0.05, 0.052, 0.0525, 0.04, 0.0525, 0.0525]);
    expect(events).toEqual(['raised chlorine-network@1', 'cleared chlorine-network@8']);
    const clear = feed.log[8]!.events[0]!;
    expect(clear.alert).toMatchObject({ active: false, acknowledged: false, clearedAt: clear.at });
    expect(clear.alert.id).toBe(feed.log[1]!.events[0]!.alert.id);
  });

  it('does not clear with 0.0524, just inside the limit but not by the deadband', () => {
    const feed = new Feed('d-0002');
    expect(feed.series('chlorine', [0.01, 0.01, 0.0524, 0.0524, 0.0524, 0.0524])).toEqual([
      'raised chlorine-network@1',
    ]);
  });

  it('judges turbidity at a scale scheme against 1 NTU: 1 complies, clearing needs ≤ 0.95', () => {
    const feed = new Feed('d-0001');
    const events = feed.series('turbidity', [1, 1, 1.01, 1.2, 0.96, 0.95, 0.951, 0.95, 0.95]);
    expect(events).toEqual(['raised turbidity-max@3', 'cleared turbidity-max@8']);
    expect(feed.log[3]!.events[0]!.alert.message).toBe(
      'turbidity 1.2 NTU above 1 NTU at plant xiji-s1-plant',
    );
  });

  it('judges turbidity at a small scheme against 3 NTU (GB 5749-2022 Table 1 note), clearing at ≤ 2.85', () => {
    const feed = new Feed('d-0003');
    expect(feed.series('turbidity', [2.9, 3, 3, 2.5])).toEqual([]);
    const events = feed.series('turbidity', [3.1, 3.2, 2.9, 2.86, 2.85, 2.85]);
    expect(events).toEqual(['raised turbidity-max@5', 'cleared turbidity-max@9']);
    expect(feed.log[5]!.events[0]!.alert).toMatchObject({ limit: 3, value: 3.2, severity: 'critical' });
  });

  it('holds free chlorine at the plant outlet to 0.3–2 mg/L, each side with its own deadband', () => {
    const low = new Feed('d-0001');
    expect(low.series('chlorine', [0.29, 0.29, 0.31, 0.315, 0.315])).toEqual([
      'raised chlorine-plant@1',
      'cleared chlorine-plant@4',
    ]);
    const high = new Feed('d-0001');
    expect(high.series('chlorine', [2.1, 2.5, 1.95, 1.9, 1.9])).toEqual([
      'raised chlorine-plant@1',
      'cleared chlorine-plant@4',
    ]);
    expect(high.log[1]!.events[0]!.alert).toMatchObject({ limit: 2, value: 2.5 });
  });

  it('holds pH to 6.5–8.5: clearing a low pH needs ≥ 6.825, a high one ≤ 8.075', () => {
    const low = new Feed('d-0001');
    expect(low.series('ph', [6.4, 6.3, 6.8, 6.825, 6.83])).toEqual([
      'raised ph-range@1',
      'cleared ph-range@4',
    ]);
    expect(low.log[1]!.events[0]!.alert.message).toBe('pH 6.3 below 6.5 at plant xiji-s1-plant');
    const high = new Feed('d-0001');
    expect(high.series('ph', [8.6, 8.6, 8.1, 8.075, 8.07])).toEqual([
      'raised ph-range@1',
      'cleared ph-range@4',
    ]);
  });

  it('warns on network pressure below 0.10 or above 0.60 MPa', () => {
    const feed = new Feed('d-0002');
    expect(feed.series('pressure', [0.09, 0.09, 0.2, 0.2])).toEqual([
      'raised pressure-low@1',
      'cleared pressure-low@3',
    ]);
    expect(feed.log[1]!.events[0]!.alert.severity).toBe('warning');
    expect(new Feed('d-0002').series('pressure', [0.61, 0.65, 0.57, 0.57])).toEqual([
      'raised pressure-high@1',
      'cleared pressure-high@3',
    ]);
  });

  it('counts breaches of either limit as consecutive, and keeps the alert while the other side is breached', () => {
    const feed = new Feed('d-0001');
    // The threshold's own events (the swings also set off chlorine-rate once it knows a typical value).
    const events = feed.series('chlorine', [2.5, 0.1, 0.1, 2.5, 0.5, 0.5]);
    expect(events.filter((e) => e.includes('chlorine-plant'))).toEqual([
      'raised chlorine-plant@1',
      'cleared chlorine-plant@5',
    ]);
  });

  it('ignores Readings that do not carry the metric: they neither break nor extend a run', () => {
    const feed = new Feed('d-0002');
    feed.push({ chlorine: 0.01 });
    feed.push({ pressure: 0.3 });
    expect(feed.push({ chlorine: 0.01 }).events.map((e) => e.type)).toEqual(['raised']);
  });

  it('never raises a second alert while one is active', () => {
    const feed = new Feed('d-0002');
    // Alternating values, so the flatline rule stays out of it.
    const events = feed.series(
      'chlorine',
      Array.from({ length: 50 }, (_, i) => (i % 2) * 0.01),
    );
    expect(events).toEqual(['raised chlorine-network@1']);
  });

  it('does not judge drinking-water quality at a source', () => {
    const registry = registryWith([], (f) => {
      f.devices.push({ ...f.devices[0]!, id: 'd-src', site: 'xiji-s1-src' });
    });
    // Raw water is watched only for changes (rate rules), never against drinking-water limits.
    const rules = rulesFor(registry.devices.get('d-src')!, [])
      .filter((r) => r.kind !== 'rate')
      .map((r) => r.rule);
    expect(rules).toEqual(['stale', 'flatline', 'offline']);
    expect(new Feed('d-src', registry).series('turbidity', [50, 60, 70])).toEqual([]);
  });
});

describe('rule overrides from the registry', () => {
  it('applies the most specific override, taking missing fields from less specific ones', () => {
    const registry = registryWith([
      { rule: 'chlorine-network', min: 0.1, severity: 'warning' },
      { rule: 'chlorine-network', siteKind: 'pipe', min: 0.2 },
      { rule: 'chlorine-network', device: 'd-0002', raiseAfter: 3 },
    ]);
    const feed = new Feed('d-0002', registry);
    expect(feed.series('chlorine', [0.19, 0.19, 0.19])).toEqual(['raised chlorine-network@2']);
    expect(feed.log[2]!.events[0]!.alert).toMatchObject({ limit: 0.2, severity: 'warning' });
    // Deadband of 5 % of 0.2: back inside at 0.21.
    expect(feed.series('chlorine', [0.209, 0.21, 0.21])).toEqual(['cleared chlorine-network@5']);
  });

  it('disables a rule for one site, and changes the deadband and clear count', () => {
    const registry = registryWith([
      { rule: 'chlorine-network', site: 'xiji-s1-p1', enabled: false },
      { rule: 'pressure-low', device: 'd-0002', deadband: 0.5, clearAfter: 3 },
    ]);
    const feed = new Feed('d-0002', registry);
    expect(feed.series('chlorine', [0, 0, 0])).toEqual([]);
    expect(feed.series('pressure', [0.05, 0.05, 0.14, 0.15, 0.15, 0.15])).toEqual([
      'raised pressure-low@4',
      'cleared pressure-low@8',
    ]);
  });

  it('makes a rule apply where it would not by default when scoped there', () => {
    const registry = registryWith([{ rule: 'turbidity-max', siteKind: 'source', max: 50 }], (f) => {
      f.devices.push({ ...f.devices[0]!, id: 'd-src', site: 'xiji-s1-src' });
    });
    expect(new Feed('d-src', registry).series('turbidity', [60, 70])).toEqual(['raised turbidity-max@1']);
  });
});
