/** The board's grouping of alerts into incident rows, and which rows start unfolded. */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { groupIncidents, isUnfolded } from '../../web/client/incident-model.js';

const a = (id: string, deviceId: string, incidentId?: string): Alert => ({
  id,
  ruleId: 'pressure-low',
  kind: 'threshold',
  deviceId,
  siteId: `s-${deviceId}`,
  schemeId: 'sch',
  countyId: 'c',
  severity: 'warning',
  active: true,
  acknowledged: false,
  raisedAt: '2026-11-20T08:00:00.000Z',
  message: id,
  ...(incidentId ? { incidentId } : {}),
});

describe('incident rows', () => {
  it('groups alerts by incident in the order of their first alert, an alert without one alone', () => {
    const groups = groupIncidents([a('1', 'd1', 'i.x'), a('2', 'd2'), a('3', 'd3', 'i.x')]);
    expect(groups.map((g) => [g.id, g.alerts.map((x) => x.id)])).toEqual([
      ['i.x', ['1', '3']],
      ['i.2', ['2']],
    ]);
  });

  it('folds communication incidents and incidents of many devices, and keeps the operator’s choice', () => {
    const works = { id: 'i.w', alerts: ['1', '2', '3', '4', '5'].map((id) => a(id, 'd1', 'i.w')) };
    const burst = { id: 'i.b', alerts: ['1', '2', '3', '4'].map((id) => a(id, `d${id}`, 'i.b')) };
    const comm = { id: 'c.c.1', alerts: [a('1', 'd1', 'c.c.1'), a('2', 'd2', 'c.c.1')] };
    const none = new Map<string, boolean>();
    expect(isUnfolded(works, none)).toBe(true);
    expect(isUnfolded(burst, none)).toBe(false);
    expect(isUnfolded(comm, none)).toBe(false);
    expect(isUnfolded(comm, new Map([['c.c.1', true]]))).toBe(true);
  });
});
