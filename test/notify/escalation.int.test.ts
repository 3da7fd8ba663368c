/** Repeats, escalation, acknowledgement, recovery and history, on an injected clock with real HTTP and SQLite. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  acked,
  alertAt,
  cleared,
  createNotifyFixture,
  MIN,
  type NotifyFixture,
  raised,
  T0,
} from './fixture.js';

let f: NotifyFixture;
afterEach(() => f?.close());

describe('escalation and repeats', () => {
  it('re-sends an unacknowledged critical alert after repeatAfter and escalates after escalateAfter, until acknowledged', async () => {
    f = await createNotifyFixture();
    const a = alertAt(T0);
    await f.emit(raised(a));
    await f.notifier.tick();
    expect(f.at('/county').map((m) => m.step)).toEqual(['raised']);
    expect(f.at('/county')[0]!.text).toContain('Xiji');

    f.now.t = T0 + 9 * MIN;
    await f.notifier.tick();
    expect(f.at('/county')).toHaveLength(1);

    f.now.t = T0 + 10 * MIN;
    await f.notifier.tick();
    expect(f.at('/county').map((m) => m.step)).toEqual(['raised', 'repeat']);
    expect(f.at('/county')[1]!.text).toContain('第2次提醒');

    f.now.t = T0 + 30 * MIN;
    await f.notifier.tick();
    // Repeat 2 at 20 min; at 30 min the escalation to the prefecture replaces repeat 3.
    expect(f.at('/county').map((m) => m.step)).toEqual(['raised', 'repeat', 'repeat']);
    expect(f.at('/prefecture').map((m) => m.step)).toEqual(['escalate']);
    expect(f.at('/prefecture')[0]!.text).toContain('升级至市级');
    expect(f.at('/region')).toHaveLength(0);

    f.now.t = T0 + 35 * MIN;
    await f.emit(acked(a, f.now.t));
    f.now.t = T0 + 3 * 60 * MIN;
    await f.notifier.tick();
    expect(f.at('/region')).toHaveLength(0);
    expect(f.rx.requests).toHaveLength(4);

    const stored = await f.store.getAlert(a.id);
    const notified = stored!.events.filter((e) => e.type === 'notified');
    expect(
      notified.map((e) => [e.notification?.channel, e.notification?.step, e.notification?.level]),
    ).toEqual([
      ['county-hook', 'raised', 'county'],
      ['county-hook', 'repeat', 'county'],
      ['county-hook', 'repeat', 'county'],
      ['prefecture-hook', 'escalate', 'prefecture'],
    ]);
    // Notification events never change the alert: it stays acknowledged by the operator.
    expect(stored!.alert.acknowledged).toBe(true);
    expect(stored!.alert.acknowledgedBy).toBe('ops-xiji');
  });

  it('escalates to the region after two periods when nobody acknowledges', async () => {
    f = await createNotifyFixture();
    const a = alertAt(T0);
    await f.emit(raised(a));
    f.now.t = T0 + 60 * MIN;
    await f.notifier.tick();
    expect(f.at('/prefecture').map((m) => m.step)).toEqual(['escalate']);
    expect(f.at('/region').map((m) => m.step)).toEqual(['escalate']);
    expect(f.at('/region')[0]!.text).toContain('升级至区级');
  });

  it('sends a warning once: only critical alerts repeat and escalate by default', async () => {
    f = await createNotifyFixture();
    await f.emit(raised(alertAt(T0, { severity: 'warning', ruleId: 'stale', kind: 'stale' })));
    f.now.t = T0 + 120 * MIN;
    await f.notifier.tick();
    expect(f.rx.requests).toHaveLength(1);
  });

  it('clearing stops repeats and sends one 恢复 message to the routes that ask for it', async () => {
    f = await createNotifyFixture();
    const a = alertAt(T0);
    await f.emit(raised(a));
    await f.notifier.tick();
    f.now.t = T0 + 5 * MIN;
    await f.emit(cleared(a, f.now.t));
    await f.emit(cleared(a, f.now.t)); // a repeat of the event changes nothing
    f.now.t = T0 + 120 * MIN;
    await f.notifier.tick();
    expect(f.at('/county').map((m) => m.step)).toEqual(['raised', 'recovery']);
    expect(f.at('/county')[1]!.text).toContain('【恢复】');
    expect(f.at('/prefecture')).toHaveLength(0);
  });

  it('records a failed attempt as notify-failed and retries with backoff until it goes through', async () => {
    f = await createNotifyFixture();
    let fail = true;
    f.rx.answer = () => (fail ? { status: 503, body: 'busy' } : { status: 200, body: '{}' });
    const a = alertAt(T0);
    await f.emit(raised(a));
    await f.notifier.tick();
    f.now.t += 2_000;
    await f.notifier.tick(); // backoff of 5 s not over: no new attempt
    expect(f.rx.requests).toHaveLength(1);
    fail = false;
    f.now.t += 5_000;
    await f.notifier.tick();
    expect(f.rx.requests).toHaveLength(2);
    const events = (await f.store.getAlert(a.id))!.events;
    const attempts = events.filter((e) => e.type === 'notified' || e.type === 'notify-failed');
    expect(attempts.map((e) => [e.type, e.notification?.attempt])).toEqual([
      ['notify-failed', 1],
      ['notified', 2],
    ]);
    expect(attempts[0]!.notification?.error).toContain('503');
  });

  it('keeps each channel within its rate limit and sends the rest later', async () => {
    const { notifySection } = await import('./fixture.js');
    const base = notifySection();
    f = await createNotifyFixture({
      notify: {
        ...base,
        channels: base.channels.map((c) => (c.id === 'county-hook' ? { ...c, ratePerMinute: 2 } : c)),
      },
    });
    for (let i = 0; i < 4; i++) await f.emit(raised(alertAt(T0, { deviceId: 'd-0001', id: `burst-${i}` })));
    await f.notifier.tick();
    expect(f.at('/county')).toHaveLength(2);
    f.now.t = T0 + MIN;
    await f.notifier.tick();
    expect(f.at('/county')).toHaveLength(4);
  });

  it('sends one message per incident: later alerts of the same incident are folded', async () => {
    f = await createNotifyFixture();
    const first = alertAt(T0);
    const second = alertAt(T0 + 1_000, { deviceId: 'd-0002', siteId: 'xiji-s1-p1' });
    await f.emit({ ...raised(first), incidentId: 'inc-1' } as never);
    await f.emit({ ...raised(second), incidentId: 'inc-1' } as never);
    await f.notifier.tick();
    expect(f.at('/county')).toHaveLength(1);
    expect(f.at('/county')[0]!.id).toContain(first.id);
  });
});
