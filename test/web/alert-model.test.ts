/** The board's alert bookkeeping: out-of-order merges never undo a state, and the order and filters hold. */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import {
  compareAlerts,
  mergeAlert,
  NO_FILTER,
  parseAlertEvent,
  visibleAlerts,
} from '../../web/client/alert-model.js';

const base: Alert = {
  id: 'a1',
  ruleId: 'chlorine-plant',
  kind: 'threshold',
  metric: 'chlorine',
  deviceId: 'd-0001',
  siteId: 'xiji-s1-plant',
  schemeId: 'xiji-s1',
  countyId: 'xiji',
  severity: 'critical',
  active: true,
  acknowledged: false,
  raisedAt: '2026-11-27T06:00:00.000Z',
  value: 0.01,
  limit: 0.3,
  message: 'free chlorine 0.01 mg/L below 0.3 mg/L',
};
const acked: Alert = {
  ...base,
  acknowledged: true,
  acknowledgedAt: '2026-11-27T06:05:00.000Z',
  acknowledgedBy: 'ops-xiji',
  note: 'on it',
};
const cleared: Alert = { ...base, active: false, clearedAt: '2026-11-27T06:10:00.000Z' };

describe('the board merging a resolve', () => {
  const resolved: Alert = {
    ...base,
    active: false,
    clearedAt: '2026-11-27T06:30:00.000Z',
    resolvedBy: 'ops-xiji',
    resolutionNote: 'dosing pump restarted',
  };

  it('keeps who resolved it and why whatever order the snapshots arrive in', () => {
    expect(mergeAlert(base, resolved)).toMatchObject({ active: false, resolvedBy: 'ops-xiji' });
    expect(mergeAlert(resolved, base)).toMatchObject({
      active: false,
      clearedAt: resolved.clearedAt,
      resolvedBy: 'ops-xiji',
      resolutionNote: 'dosing pump restarted',
    });
  });

  it('does not let a resolve that came after the rule cleared it claim the alert', () => {
    const clearedByRule: Alert = { ...base, active: false, clearedAt: '2026-11-27T06:20:00.000Z' };
    const merged = mergeAlert(clearedByRule, resolved);
    expect(merged).toMatchObject({ active: false, clearedAt: clearedByRule.clearedAt });
    expect(merged.resolvedBy).toBeUndefined();
    expect(merged.resolutionNote).toBeUndefined();
  });

  it('accepts a resolved event from the stream', () => {
    const e = parseAlertEvent(JSON.stringify({ type: 'resolved', at: resolved.clearedAt, alert: resolved }));
    expect(e?.type).toBe('resolved');
  });
});

describe('the alert board model', () => {
  it('keeps an acknowledgement and a clearing whatever order the states arrive in', () => {
    const forward = mergeAlert(mergeAlert(mergeAlert(undefined, base), acked), cleared);
    const backward = mergeAlert(mergeAlert(mergeAlert(undefined, cleared), acked), base);
    for (const a of [forward, backward]) {
      expect(a).toMatchObject({
        active: false,
        clearedAt: cleared.clearedAt,
        acknowledged: true,
        note: 'on it',
      });
      expect(a.acknowledgedBy).toBe('ops-xiji');
    }
  });

  it('orders critical before warning, then newest first', () => {
    const warning: Alert = { ...base, id: 'w', severity: 'warning', raisedAt: '2026-11-27T07:00:00.000Z' };
    const older: Alert = { ...base, id: 'old', raisedAt: '2026-11-27T05:00:00.000Z' };
    const newer: Alert = { ...base, id: 'new', raisedAt: '2026-11-27T06:30:00.000Z' };
    expect([warning, older, newer].sort(compareAlerts).map((a) => a.id)).toEqual(['new', 'old', 'w']);
  });

  it('filters by state, severity, acknowledgement, county and text', () => {
    const now = Date.parse('2026-11-27T08:00:00.000Z');
    const other: Alert = { ...base, id: 'b', countyId: 'longde', deviceId: 'd-0003', severity: 'warning' };
    const all = [acked, other, { ...cleared, id: 'c' }];
    expect(visibleAlerts(all, NO_FILTER, now).map((a) => a.id)).toEqual(['a1', 'b']);
    expect(visibleAlerts(all, { ...NO_FILTER, status: 'recent' }, now)).toHaveLength(3);
    expect(visibleAlerts(all, { ...NO_FILTER, severity: 'warning' }, now).map((a) => a.id)).toEqual(['b']);
    expect(visibleAlerts(all, { ...NO_FILTER, ack: 'no' }, now).map((a) => a.id)).toEqual(['b']);
    expect(visibleAlerts(all, { ...NO_FILTER, county: 'xiji' }, now).map((a) => a.id)).toEqual(['a1']);
    expect(visibleAlerts(all, { ...NO_FILTER, q: 'D-0003' }, now).map((a) => a.id)).toEqual(['b']);
    expect(visibleAlerts(all, { ...NO_FILTER, q: '余氯' }, now, () => ['出厂水余氯异常']).length).toBe(2);
  });

  it('accepts only well-formed alert events from the stream', () => {
    expect(
      parseAlertEvent(JSON.stringify({ type: 'raised', at: base.raisedAt, alert: base }))?.alert.id,
    ).toBe('a1');
    expect(parseAlertEvent('not json')).toBeNull();
    expect(parseAlertEvent(JSON.stringify({ type: 'raised', alert: { id: 'x' } }))).toBeNull();
  });
});
