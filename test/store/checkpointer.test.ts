/** WAL checkpoints on a worker thread: the WAL stays small while the writer never checkpoints itself. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCheckpointer } from '../../store/sqlite/checkpointer.js';
import { waitFor } from '../helpers/wait-for.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WAL checkpointer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wl-ckpt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the WAL small under writes, stops its worker when writes stop, and loses nothing', async () => {
    const path = join(dir, 'w.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 0'); // as the store sets it: only the worker checkpoints
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)');
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const batch = db.transaction((from: number) => {
      for (let i = 0; i < 500; i++) insert.run(from + i, Buffer.alloc(200, i % 251));
    });
    const errors: Error[] = [];
    const cp = createCheckpointer({ path, everyMs: 20, idleMs: 300, onError: (e) => errors.push(e) });
    let written = 0;
    let largestWal = 0;
    for (let b = 0; b < 60; b++) {
      batch(b * 500);
      written += 500 * 200;
      cp.wrote();
      largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
      await sleep(10);
    }
    expect(errors).toEqual([]);
    expect(cp.done()).toBeGreaterThan(0);
    expect(cp.active()).toBe(true);
    // Without checkpoints the WAL would hold all ~6 MB written; the writer restarts it after each one.
    expect(largestWal).toBeLessThan(written / 3);
    await waitFor(async () => !cp.active() || undefined, 'the idle worker stopped', 5_000);
    await cp.close();
    db.close();
    const again = new Database(path, { readonly: true });
    expect((again.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(60 * 500);
    again.close();
  });

  it("gives up after failures in a row, once, so the caller can turn SQLite's own checkpoints back on", async () => {
    const errors: Error[] = [];
    let gaveUp = 0;
    const cp = createCheckpointer({
      path: join(dir, 'missing.db'), // the worker cannot open it
      everyMs: 10,
      giveUpAfter: 3,
      onError: (e) => errors.push(e),
      onGiveUp: () => gaveUp++,
    });
    for (let i = 0; i < 300 && gaveUp === 0; i++) {
      cp.wrote();
      await sleep(20);
    }
    expect(gaveUp).toBe(1);
    expect(errors).toHaveLength(3);
    for (let i = 0; i < 5; i++) cp.wrote();
    await sleep(100);
    expect(gaveUp).toBe(1);
    expect(cp.active()).toBe(false);
    await cp.close();
  });
});
