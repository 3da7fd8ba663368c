/** Maintenance windows: alerts raised inside notify nobody and are marked suppressed; after the end, alerts notify again. */
import { afterEach, describe, expect, it } from 'vitest';
import { alertAt, createNotifyFixture, MIN, type NotifyFixture, raised, T0 } from './fixture.js';

let f: NotifyFixture;
afterEach(() => f?.close());

describe('maintenance windows', () => {
  it('suppresses alerts raised inside the window and restores notification once it ends', async () => {
    f = await createNotifyFixture();
    const win = f.notifier.maintenance.add(
      {
        scope: 'site',
        target: 'xiji-s1-plant',
        countyId: 'xiji',
        startsAt: T0,
        endsAt: T0 + 60 * MIN,
        createdBy: 'ops-xiji',
      },
      T0,
    );
    expect(
      f.notifier.isSuppressed({ siteId: 'xiji-s1-plant', schemeId: 'xiji-s1', deviceId: 'd-0001' }, T0 + MIN),
    ).toBe(true);
    expect(
      f.notifier.isSuppressed({ siteId: 'xiji-s1-p1', schemeId: 'xiji-s1', deviceId: 'd-0002' }, T0 + MIN),
    ).toBe(false);

    const inside = alertAt(T0 + 5 * MIN);
    const elsewhere = alertAt(T0 + 5 * MIN, { deviceId: 'd-0002', siteId: 'xiji-s1-p1' });
    f.now.t = T0 + 5 * MIN;
    await f.emit(raised(inside), raised(elsewhere));
    f.now.t = T0 + 50 * MIN;
    await f.notifier.tick();
    // Only the alert outside the window notified (its repeats too); the one inside: nothing, ever.
    expect(f.at('/county').every((m) => m.id.startsWith(elsewhere.id))).toBe(true);
    expect(f.at('/county').length).toBeGreaterThan(0);
    const stored = await f.store.getAlert(inside.id);
    expect(stored!.alert.suppressed).toBe(true);
    const listed = await f.store.listAlerts({ suppressed: true, limit: 10 });
    expect(listed.items.map((a) => a.id)).toEqual([inside.id]);
    expect((await f.store.listAlerts({ suppressed: false, limit: 10 })).items.map((a) => a.id)).toEqual([
      elsewhere.id,
    ]);

    // The window ends at T0 + 60 min: an alert raised after it notifies again.
    const after = alertAt(T0 + 61 * MIN);
    f.now.t = T0 + 61 * MIN;
    await f.emit(raised(after));
    await f.notifier.tick();
    expect(f.at('/county').some((m) => m.id.startsWith(after.id))).toBe(true);
    expect(f.notifier.maintenance.get(win.id)).toBeDefined();
  });

  it('an alert already marked suppressed by ingest notifies nobody and is not marked twice', async () => {
    f = await createNotifyFixture();
    const a = alertAt(T0, { suppressed: true });
    await f.emit(raised(a));
    await f.notifier.tick();
    expect(f.rx.requests).toHaveLength(0);
    const events = (await f.store.getAlert(a.id))!.events;
    expect(events.map((e) => e.type)).toEqual(['raised']);
  });
});
