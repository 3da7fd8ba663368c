/** The incident part of the store conformance suite: alerts grouped by incidentId, filtered, scoped and paged. */
import { expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { BadCursorError } from '../../store/alert-cursor.js';
import { StoreError, type TelemetryStore } from '../../store/telemetry-store.js';
import { alert, BASE, iso, MIN, raised } from './fixtures.js';

export function incidentTests(store: () => TelemetryStore): void {
  const seed = async (s: TelemetryStore) => {
    const all: Alert[] = [
      // A burst: three alerts of one incident, one of them cleared.
      alert('b-1', { raisedAt: iso(BASE), deviceId: 'd-pipe', severity: 'warning', incidentId: 'i.b-1' }),
      alert('b-2', { raisedAt: iso(BASE + MIN), deviceId: 'd-plant', incidentId: 'i.b-1' }),
      alert('b-3', { raisedAt: iso(BASE + 2 * MIN), deviceId: 'd-pipe', active: false, incidentId: 'i.b-1' }),
      // A communication incident across two counties.
      alert('c-1', {
        raisedAt: iso(BASE + 3 * MIN),
        deviceId: 'd-tap',
        severity: 'warning',
        incidentId: 'c.region.1',
      }),
      alert('c-2', {
        raisedAt: iso(BASE + 4 * MIN),
        deviceId: 'd-src',
        severity: 'warning',
        incidentId: 'c.region.1',
      }),
      // An alert stored before incidents existed, cleared: an incident by itself.
      alert('old', { raisedAt: iso(BASE + 5 * MIN), deviceId: 'd-res', active: false }),
    ];
    await s.appendAlertEvents(all.map(raised));
    return all;
  };

  it('groups alerts by incidentId, newest opened first, each incident oldest alert first', async () => {
    const s = store();
    await seed(s);
    const page = await s.listIncidents({ limit: 10 });
    expect(page.items.map((g) => [g.id, g.alerts.map((a) => a.id)])).toEqual([
      ['i.old', ['old']],
      ['c.region.1', ['c-1', 'c-2']],
      ['i.b-1', ['b-1', 'b-2', 'b-3']],
    ]);
    expect(page.nextCursor).toBeUndefined();
    expect((await s.getIncident('i.b-1'))?.alerts.map((a) => a.incidentId)).toEqual([
      'i.b-1',
      'i.b-1',
      'i.b-1',
    ]);
    expect(await s.getIncident('i.none')).toBeNull();
  });

  it('filters incidents as a whole: active while any alert is, critical when any is, in a county when any alert is', async () => {
    const s = store();
    await seed(s);
    const ids = async (q: Parameters<TelemetryStore['listIncidents']>[0]) =>
      (await s.listIncidents(q)).items.map((g) => g.id);
    expect(await ids({ limit: 10, active: true })).toEqual(['c.region.1', 'i.b-1']);
    expect(await ids({ limit: 10, active: false })).toEqual(['i.old']);
    expect(await ids({ limit: 10, severity: 'critical' })).toEqual(['i.old', 'i.b-1']);
    expect(await ids({ limit: 10, severity: 'warning' })).toEqual(['c.region.1']);
    expect(await ids({ limit: 10, countyId: 'cty-y' })).toEqual(['i.old', 'c.region.1']);
    expect(await ids({ limit: 10, since: BASE + 3 * MIN })).toEqual(['i.old', 'c.region.1']);
    // The whole active incident, also its cleared alert.
    const active = await s.listIncidents({ limit: 10, active: true });
    expect(active.items[1]!.alerts).toHaveLength(3);
  });

  it('shows a scoped caller only its counties’ part of an incident', async () => {
    const s = store();
    await seed(s);
    const page = await s.listIncidents({ limit: 10, counties: ['cty-x'] });
    expect(page.items.map((g) => [g.id, g.alerts.map((a) => a.id)])).toEqual([
      ['c.region.1', ['c-1']],
      ['i.b-1', ['b-1', 'b-2', 'b-3']],
    ]);
    expect(await s.getIncident('c.region.1', ['cty-y'])).toMatchObject({ alerts: [{ id: 'c-2' }] });
    expect(await s.getIncident('i.b-1', ['cty-y'])).toBeNull();
    expect((await s.listIncidents({ limit: 10, counties: [] })).items).toEqual([]);
  });

  it('pages through incidents with a cursor and refuses a cursor it did not issue', async () => {
    const s = store();
    await seed(s);
    const first = await s.listIncidents({ limit: 2 });
    expect(first.items.map((g) => g.id)).toEqual(['i.old', 'c.region.1']);
    const second = await s.listIncidents({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((g) => g.id)).toEqual(['i.b-1']);
    expect(second.nextCursor).toBeUndefined();
    const bad = s.listIncidents({ limit: 2, cursor: 'nonsense' });
    await expect(bad).rejects.toBeInstanceOf(BadCursorError);
    await expect(s.listIncidents({ limit: 2, cursor: 'nonsense' })).rejects.toBeInstanceOf(StoreError);
  });

  it('moves an alert to another incident on a grouped event and keeps it acknowledged', async () => {
    const s = store();
    const a = alert('s-1', { deviceId: 'd-tap', kind: 'stale', ruleId: 'stale', incidentId: 'i.s-1' });
    await s.appendAlertEvents([raised(a)]);
    await s.appendAlertEvents([
      {
        type: 'acknowledged',
        at: iso(BASE + MIN),
        alert: { ...a, acknowledged: true, acknowledgedBy: 'ops' },
      },
    ]);
    const moved = { ...a, incidentId: 'c.cty-x.9' };
    await s.appendAlertEvents([
      { type: 'grouped', at: iso(BASE + 2 * MIN), alert: moved, incidentId: 'c.cty-x.9' },
    ]);
    expect(await s.getIncident('i.s-1')).toBeNull();
    const g = await s.getIncident('c.cty-x.9');
    expect(g?.alerts).toHaveLength(1);
    expect(g?.alerts[0]).toMatchObject({
      acknowledged: true,
      acknowledgedBy: 'ops',
      incidentId: 'c.cty-x.9',
    });
  });
}
