/** Durability of the outbox: a restart sends nothing twice and loses nothing; the store can be followed. */

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { alertAt, createNotifyFixture, type NotifyFixture, raised, T0 } from './fixture.js';

let f: NotifyFixture;
afterEach(() => f?.close());

const ids = (f: NotifyFixture) => f.at('/county').map((m) => m.id);

describe('restart', () => {
  it('a restart mid-delivery sends what was still queued and nothing already sent', async () => {
    f = await createNotifyFixture();
    f.now.t = T0 + 1_000;
    const first = [0, 1, 2].map((i) => alertAt(T0 + i));
    for (const a of first) await f.emit(raised(a));
    // The receiver is slow: stop arrives while the pass is sending; it waits for the sends to be recorded.
    f.rx.answer = () => new Promise((r) => setTimeout(() => r({ status: 200, body: '{}' }), 50));
    const pass = f.notifier.tick();
    const later = [3, 4].map((i) => alertAt(T0 + i));
    for (const a of later) await f.emit(raised(a));
    await f.restart();
    await pass;
    await f.notifier.tick();
    const got = ids(f);
    expect(new Set(got).size).toBe(got.length);
    expect(got.sort()).toEqual(
      [...first, ...later].map((a) => `${a.id}:raised|county-hook|county-hook`).sort(),
    );
    // And once more after another restart: nothing new goes out.
    await f.restart();
    await f.notifier.tick();
    expect(ids(f)).toHaveLength(5);
  });

  it('a message interrupted between being claimed and recorded is sent again with the same idempotency key', async () => {
    f = await createNotifyFixture();
    const a = alertAt(T0);
    await f.emit(raised(a));
    await f.notifier.stop();
    // What a crash after the claim leaves behind: the row marked sending, its attempt counted.
    const db = new Database(join(f.dir, 'notify.db'));
    db.prepare(`UPDATE outbox SET state = 'sending', attempts = 1`).run();
    db.close();
    await f.restart();
    await f.notifier.tick();
    expect(f.rx.requests).toHaveLength(1);
    expect(f.rx.requests[0]!.headers['idempotency-key']).toBe(`${a.id}:raised|county-hook|county-hook`);
    const history = (await f.store.getAlert(a.id))!.events.filter((e) => e.type === 'notified');
    expect(history.map((e) => e.notification?.attempt)).toEqual([2]);
  });

  it('follows events stored by any writer, without handle, and keeps its place across a restart', async () => {
    f = await createNotifyFixture({ deps: { follow: true } });
    f.now.t = T0 + 1_000;
    const old = alertAt(T0 - 1);
    await f.store.appendAlertEvents([raised(old)]);
    await f.notifier.tick(); // the first start skips what was stored before it
    expect(f.rx.requests).toHaveLength(0);
    const a = alertAt(T0);
    await f.store.appendAlertEvents([raised(a)]);
    await f.notifier.tick();
    expect(ids(f)).toEqual([`${a.id}:raised|county-hook|county-hook`]);
    const b = alertAt(T0 + 1);
    await f.store.appendAlertEvents([raised(b)]);
    await f.restart({ follow: true });
    await f.notifier.tick();
    expect(ids(f)).toEqual([a, b].map((x) => `${x.id}:raised|county-hook|county-hook`));
  });
});
