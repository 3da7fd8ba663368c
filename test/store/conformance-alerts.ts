/** The alert half of the store conformance suite: history, merged state, filters, pages and the event feed. */
import { expect, it } from 'vitest';
import type { Alert, AlertEvent } from '../../core/alert.js';
import { BadCursorError } from '../../store/alert-cursor.js';
import { StoreError, type TelemetryStore } from '../../store/telemetry-store.js';
import { alert, BASE, iso, MIN, raised } from './fixtures.js';

export function alertTests(store: () => TelemetryStore): void {
  it('keeps an alert with its history, merging acknowledgement and clearing so neither undoes the other', async () => {
    const s = store();
    const a = alert('a-1');
    const acked: Alert = {
      ...a,
      acknowledged: true,
      acknowledgedAt: iso(BASE + MIN),
      acknowledgedBy: 'ops-x',
      note: 'crew sent',
    };
    // Ingest clears from its own snapshot, which has not seen the acknowledgement.
    const cleared: Alert = { ...a, active: false, clearedAt: iso(BASE + 2 * MIN) };
    const events: AlertEvent[] = [
      raised(a),
      { type: 'acknowledged', at: iso(BASE + MIN), alert: acked },
      { type: 'cleared', at: iso(BASE + 2 * MIN), alert: cleared },
    ];
    await s.appendAlertEvents([events[0]!]);
    expect(await s.activeAlerts()).toEqual([a]);
    await s.appendAlertEvents(events.slice(1));
    const merged: Alert = { ...acked, active: false, clearedAt: iso(BASE + 2 * MIN) };
    expect(await s.getAlert('a-1')).toEqual({ alert: merged, events });
    expect(await s.activeAlerts()).toEqual([]);
    // A later acknowledgement from a writer that missed the first changes nothing.
    const again: Alert = {
      ...acked,
      acknowledgedAt: iso(BASE + 3 * MIN),
      acknowledgedBy: 'ops-y',
      note: 'late',
    };
    await s.appendAlertEvents([{ type: 'acknowledged', at: iso(BASE + 3 * MIN), alert: again }]);
    expect((await s.getAlert('a-1'))?.alert).toEqual(merged);
  });

  it('keeps notification events in the history without letting them change the alert; filters suppressed', async () => {
    const s = store();
    const a = alert('a-1');
    const acked: Alert = {
      ...a,
      acknowledged: true,
      acknowledgedAt: iso(BASE + MIN),
      acknowledgedBy: 'ops-x',
    };
    const notification = {
      channel: 'wx',
      channelType: 'wecom',
      recipient: 'wx',
      step: 'raised',
      level: 'county',
      attempt: 1,
    };
    await s.appendAlertEvents([raised(a), { type: 'acknowledged', at: iso(BASE + MIN), alert: acked }]);
    // The notifier's snapshot is older than the acknowledgement: it must not undo it.
    await s.appendAlertEvents([
      { type: 'notified', at: iso(BASE + 2 * MIN), alert: { ...a, value: 42 }, notification },
      {
        type: 'notify-failed',
        at: iso(BASE + 2 * MIN + 1),
        alert: a,
        notification: { ...notification, attempt: 2, error: 'HTTP 503' },
      },
    ]);
    const got = await s.getAlert('a-1');
    expect(got?.alert).toEqual(acked);
    expect(got?.events.map((e) => e.type)).toEqual(['raised', 'acknowledged', 'notified', 'notify-failed']);
    expect(got?.events[2]?.notification).toEqual(notification);
    await s.appendAlertEvents([raised(alert('a-2', { raisedAt: iso(BASE + MIN) }))]);
    await s.appendAlertEvents([
      { type: 'suppressed', at: iso(BASE + MIN), alert: alert('a-2', { raisedAt: iso(BASE + MIN) }) },
    ]);
    expect((await s.getAlert('a-2'))?.alert.suppressed).toBe(true);
    expect((await s.listAlerts({ limit: 10, suppressed: true })).items.map((x) => x.id)).toEqual(['a-2']);
    expect((await s.listAlerts({ limit: 10, suppressed: false })).items.map((x) => x.id)).toEqual(['a-1']);
  });

  it('stores an event with the same alert, type and time once', async () => {
    const s = store();
    const e = raised(alert('a-1'));
    await s.appendAlertEvents([e, e]);
    await s.appendAlertEvents([e]);
    expect((await s.getAlert('a-1'))?.events).toEqual([e]);
    expect(await s.alertEventsAfter(null, 10)).toHaveLength(1);
    expect((await s.listAlerts({ limit: 10 })).items).toHaveLength(1);
  });

  it('lists alerts newest first with the filters of the contract, a page at a time', async () => {
    const s = store();
    const all = [
      alert('a-1', { raisedAt: iso(BASE) }),
      alert('a-2', { raisedAt: iso(BASE + MIN), severity: 'warning', deviceId: 'd-pipe' }),
      alert('a-3', { raisedAt: iso(BASE + MIN), deviceId: 'd-res' }),
      alert('a-4', { raisedAt: iso(BASE + 2 * MIN), deviceId: 'd-src', active: false }),
      alert('a-5', {
        raisedAt: iso(BASE + 3 * MIN),
        acknowledged: true,
        acknowledgedAt: iso(BASE + 4 * MIN),
      }),
    ];
    await s.appendAlertEvents(all.map(raised));
    const ids = async (q: Parameters<TelemetryStore['listAlerts']>[0]) =>
      (await s.listAlerts(q)).items.map((a) => a.id);
    expect(await ids({ limit: 10 })).toEqual(['a-5', 'a-4', 'a-3', 'a-2', 'a-1']);
    expect(await ids({ limit: 10, active: true })).toEqual(['a-5', 'a-3', 'a-2', 'a-1']);
    expect(await ids({ limit: 10, acknowledged: false })).toEqual(['a-4', 'a-3', 'a-2', 'a-1']);
    expect(await ids({ limit: 10, severity: 'warning' })).toEqual(['a-2']);
    expect(await ids({ limit: 10, countyId: 'cty-y' })).toEqual(['a-4', 'a-3']);
    expect(await ids({ limit: 10, counties: ['cty-x'] })).toEqual(['a-5', 'a-2', 'a-1']);
    expect(await ids({ limit: 10, counties: [] })).toEqual([]);
    expect(await ids({ limit: 10, deviceId: 'd-pipe' })).toEqual(['a-2']);
    expect(await ids({ limit: 10, since: BASE + MIN })).toEqual(['a-5', 'a-4', 'a-3', 'a-2']);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.listAlerts({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(['a-5', 'a-4', 'a-3', 'a-2', 'a-1']);
    const last = await s.listAlerts({ limit: 5 });
    expect(last.nextCursor).toBeUndefined();

    const bad = s.listAlerts({ limit: 2, cursor: 'not-a-cursor' });
    await expect(bad).rejects.toBeInstanceOf(BadCursorError);
    await expect(bad).rejects.toBeInstanceOf(StoreError);
  });

  it('ends an alert resolved by hand, keeping who and why against a clear that lands after it', async () => {
    const s = store();
    const a = alert('r-1');
    const resolved: Alert = {
      ...a,
      active: false,
      clearedAt: iso(BASE + MIN),
      resolvedBy: 'ops-x',
      resolutionNote: 'valve replaced',
    };
    // Ingest had not heard of the resolve, and clears from its own snapshot a moment later.
    const late: Alert = { ...a, active: false, clearedAt: iso(BASE + 2 * MIN) };
    const events: AlertEvent[] = [
      raised(a),
      { type: 'resolved', at: iso(BASE + MIN), alert: resolved },
      { type: 'cleared', at: iso(BASE + 2 * MIN), alert: late },
    ];
    await s.appendAlertEvents(events.slice(0, 2));
    expect(await s.activeAlerts()).toEqual([]);
    expect((await s.getAlert('r-1'))?.alert).toEqual(resolved);
    await s.appendAlertEvents(events.slice(2));
    expect(await s.getAlert('r-1')).toEqual({ alert: resolved, events });
    expect((await s.listAlerts({ active: false, limit: 5 })).items).toEqual([resolved]);
    expect((await s.alertEventsAfter(null, 10)).map((e) => e.event.type)).toEqual([
      'raised',
      'resolved',
      'cleared',
    ]);
  });

  it('does not let a resolve that lands after a clear claim the alert', async () => {
    const s = store();
    const a = alert('r-2');
    const cleared: Alert = { ...a, active: false, clearedAt: iso(BASE + MIN) };
    const resolved: Alert = {
      ...a,
      active: false,
      clearedAt: iso(BASE + 2 * MIN),
      resolvedBy: 'ops-x',
      resolutionNote: 'too late',
    };
    await s.appendAlertEvents([
      raised(a),
      { type: 'cleared', at: iso(BASE + MIN), alert: cleared },
      { type: 'resolved', at: iso(BASE + 2 * MIN), alert: resolved },
    ]);
    expect((await s.getAlert('r-2'))?.alert).toEqual(cleared);
  });

  it('feeds events after a stored id, oldest first, with increasing ids', async () => {
    const s = store();
    expect(await s.alertEventsAfter(null, 10)).toEqual([]);
    expect(await s.latestAlertEventId()).toBeNull();
    const events = [1, 2, 3, 4].map((i) => raised(alert(`a-${i}`, { raisedAt: iso(BASE + i * MIN) })));
    await s.appendAlertEvents(events.slice(0, 2));
    await s.appendAlertEvents(events.slice(2));
    const all = await s.alertEventsAfter(null, 10);
    expect(all.map((e) => e.event)).toEqual(events);
    const ids = all.map((e) => e.id);
    expect(new Set(ids).size).toBe(4);
    expect(await s.alertEventsAfter(ids[1]!, 10)).toEqual(all.slice(2));
    expect(await s.alertEventsAfter(ids[0]!, 2)).toEqual(all.slice(1, 3));
    expect(await s.alertEventsAfter(ids[3]!, 10)).toEqual([]);
    expect(await s.alertEventsAfter('never-issued', 10)).toEqual(all);
    expect(await s.latestAlertEventId()).toBe(ids[3]);
    expect(BigInt(ids[3]!)).toBeGreaterThan(BigInt(ids[0]!));
    // Ids only grow: a reader that remembers the last one gets exactly what came after.
    const next = raised(alert('a-9', { raisedAt: iso(BASE + 9 * MIN) }));
    await s.appendAlertEvents([next]);
    expect((await s.alertEventsAfter(ids[3]!, 10)).map((e) => e.event)).toEqual([next]);
    expect(await s.latestAlertEventId()).toBe((await s.alertEventsAfter(ids[3]!, 10))[0]!.id);
  });

  it('answers ping and flush, and an unknown alert with null', async () => {
    const s = store();
    await s.ping();
    await s.flush();
    expect(await s.getAlert('nope')).toBeNull();
    expect(await s.listAlerts({ limit: 3 })).toEqual({ items: [] });
    await s.appendAlertEvents([]);
  });
}
