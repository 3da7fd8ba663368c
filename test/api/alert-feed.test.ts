/** The alert feed's one poll loop over a real SQLite store: where it starts, and that it never doubles. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type AlertFeed, createAlertFeed, type FeedClient } from '../../api/alert-feed.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import type { StoredAlertEvent, TelemetryStore } from '../../store/telemetry-store.js';
import { waitFor } from '../helpers/wait-for.js';
import { makeAlert, raised } from './fixture.js';

const T0 = Date.parse('2027-03-01T08:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

/** The real store, with every alertEventsAfter call recorded and held until the test lets it go. */
function gated(store: TelemetryStore) {
  const calls: { afterId: string | null; release: () => void }[] = [];
  let open = true;
  const wrapped: TelemetryStore = {
    ...store,
    async alertEventsAfter(afterId, limit) {
      if (!open) await new Promise<void>((release) => calls.push({ afterId, release }));
      else calls.push({ afterId, release: () => {} });
      return store.alertEventsAfter(afterId, limit);
    },
  };
  return {
    store: wrapped,
    calls,
    hold: () => {
      open = false;
    },
  };
}

const client = (got: StoredAlertEvent[]): FeedClient => ({
  accepts: () => true,
  send: async (batch) => void got.push(...batch),
});

describe('alert feed', () => {
  let dir = '';
  let store: TelemetryStore | null = null;
  const unsubscribes: (() => void)[] = [];
  afterEach(async () => {
    for (const u of unsubscribes.splice(0)) u();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = () => {
    dir = mkdtempSync(join(tmpdir(), 'wl-feed-'));
    store = createSqliteStore({ path: join(dir, 'waterline.db') });
    return store;
  };

  it('starts a client without Last-Event-ID at the newest event without reading the log', async () => {
    const s = open();
    const events = Array.from({ length: 2500 }, (_, i) =>
      raised(makeAlert({ id: `a-${i}`, raisedAt: at(i) })),
    );
    await s.appendAlertEvents(events);
    const g = gated(s);
    const feed = createAlertFeed({ store: g.store, log: pino({ level: 'silent' }), pollMs: 10, batch: 1000 });
    const got: StoredAlertEvent[] = [];
    unsubscribes.push(await feed.subscribe(client(got), null));
    // Nothing of the 2,500 old events was read to find where "now" is.
    expect(g.calls).toEqual([]);
    await waitFor(async () => g.calls.length > 0, 'the first poll');
    expect(g.calls[0]!.afterId).toBe(await s.latestAlertEventId());
    await s.appendAlertEvents([raised(makeAlert({ id: 'new', raisedAt: at(3000) }))]);
    await waitFor(async () => got.length > 0, 'the new event');
    expect(got.map((e) => e.event.alert.id)).toEqual(['new']);
  });

  it('delivers events this process stored when woken, without waiting for the next poll', async () => {
    const s = open();
    // A poll a minute: only a wake-up can bring the event within the test's few seconds.
    const feed = createAlertFeed({ store: s, log: pino({ level: 'silent' }), pollMs: 60_000 });
    const got: StoredAlertEvent[] = [];
    unsubscribes.push(await feed.subscribe(client(got), null));
    await s.appendAlertEvents([raised(makeAlert({ id: 'woken', raisedAt: at(1) }))]);
    feed.wake();
    await waitFor(async () => got.length > 0, 'the event after wake()', 5_000);
    expect(got.map((e) => e.event.alert.id)).toEqual(['woken']);
    // Woken again during a poll, it polls once more when that one ends, for what was stored meanwhile.
    await s.appendAlertEvents([raised(makeAlert({ id: 'second', raisedAt: at(2) }))]);
    feed.wake();
    feed.wake();
    await waitFor(async () => got.length > 1, 'the second event', 5_000);
    expect(got.map((e) => e.event.alert.id)).toEqual(['woken', 'second']);
  });

  it('keeps one poll at a time when clients come and go while a poll is running', async () => {
    const s = open();
    const g = gated(s);
    const feed: AlertFeed = createAlertFeed({ store: g.store, log: pino({ level: 'silent' }), pollMs: 5 });
    const first = await feed.subscribe(client([]), null);
    g.hold();
    await waitFor(async () => g.calls.length > 0, 'a poll held in the store');
    // While that poll waits on the store: the client leaves, two others arrive.
    first();
    unsubscribes.push(await feed.subscribe(client([]), null));
    unsubscribes.push(await feed.subscribe(client([]), null));
    for (let round = 0; round < 5; round++) {
      // Long enough for a second loop's timer (5 ms) to fire many times over, were there one.
      await new Promise((r) => setTimeout(r, 60));
      const waiting = g.calls.splice(0);
      expect(waiting, `round ${round}`).toHaveLength(1);
      waiting[0]!.release();
      await waitFor(async () => g.calls.length > 0, 'the next poll');
    }
    for (const c of g.calls.splice(0)) c.release();
  });
});
