/** The alert journal: durable before the store has the events, copied in order, kept across a crash and an outage. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../core/alert.js';
import { createAlertJournal } from '../../ingest/alert-journal.js';
import { openSpool } from '../../ingest/spool.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { testLog } from '../helpers/ingest.js';
import { waitFor } from '../helpers/wait-for.js';
import { alertAt, raised } from '../notify/fixture.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const events = (n: number, from = 0): AlertEvent[] =>
  Array.from({ length: n }, (_, i) => raised(alertAt(T0 + (from + i) * 1000, { id: `a-${from + i}` })));
const storedIds = async (store: TelemetryStore) =>
  (await store.alertEventsAfter(null, 100_000)).map((e) => e.event.alert.id);

/** The real embedded store, whose event writes wait for `open()` while the gate is shut: a slow remote store. */
function gated(store: TelemetryStore) {
  let opened: Promise<void> = Promise.resolve();
  let open = () => {};
  return {
    store: {
      ...store,
      appendAlertEvents: async (e: readonly AlertEvent[]) => {
        await opened;
        return store.appendAlertEvents(e);
      },
    } as TelemetryStore,
    shut() {
      opened = new Promise((r) => {
        open = r;
      });
    },
    open: () => open(),
  };
}

describe('alert journal', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wl-journal-'));
    path = join(dir, 'spool', 'ingest.alerts');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes events durable without waiting for the store, then copies them in order and empties the file', async () => {
    const store = createSqliteStore({ path: join(dir, 'w.db') });
    const g = gated(store);
    g.shut();
    const told: string[] = [];
    const journal = createAlertJournal({
      store: g.store,
      spool: await openSpool(path, 1 << 20),
      log: testLog(),
      onStored: (e) => told.push(...e.map((x) => x.alert.id)),
    });
    // Every write resolves while the store holds none of them.
    for (let i = 0; i < 30; i++) await journal.write(events(2, i * 2));
    expect(journal.pending()).toBe(30);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(30);
    expect(await storedIds(store)).toEqual([]);
    // More arrive while the first copy is held: appends run beside it without corrupting the file.
    const later = Promise.all(Array.from({ length: 20 }, (_, i) => journal.write(events(1, 60 + i))));
    g.open();
    await later;
    await journal.drain();
    const want = events(80).map((e) => e.alert.id);
    expect(await storedIds(store)).toEqual(want);
    expect(told).toEqual(want);
    expect(journal.pending()).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('');
    await journal.close();
    await store.close();
  });

  it('keeps what it journaled while the store is down, and copies it exactly once at the next start', async () => {
    const dbPath = join(dir, 'w.db');
    const down = createSqliteStore({ path: dbPath });
    await down.close(); // every write now throws
    const first = createAlertJournal({
      store: down,
      spool: await openSpool(path, 1 << 20),
      log: testLog(),
      retryMs: 10,
    });
    await first.write(events(3));
    await first.write(events(2, 3));
    // Retries meanwhile; a drain bounded by a signal gives up waiting without losing anything.
    await first.drain(AbortSignal.timeout(100));
    expect(first.pending()).toBe(2);
    await first.close(); // as a crash would: the file is all that is left

    const store = createSqliteStore({ path: dbPath });
    await store.appendAlertEvents(events(1)); // one of them made it before the crash
    const second = createAlertJournal({ store, spool: await openSpool(path, 1 << 20), log: testLog() });
    await second.drain();
    expect(await storedIds(store)).toEqual(events(5).map((e) => e.alert.id));
    await waitFor(async () => second.pending() === 0 || undefined, 'journal empty');
    await second.close();
    await store.close();
  });
});
