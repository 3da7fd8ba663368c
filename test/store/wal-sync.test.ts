/** The embedded store's writes settle only once the WAL is on disk; one sync serves the commits made before it. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredReading } from '../../core/stored-reading.js';
import { createGroupSync, datasyncFile } from '../../store/sqlite/wal-sync.js';
import { createSqliteStore } from '../../store/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'wl-wal-'));
  dirs.push(d);
  return d;
};

/** Syncs the test settles by hand, in the order they started. */
function manualSyncs() {
  const started: { settle: (e?: Error) => void }[] = [];
  const sync = () =>
    new Promise<void>((resolve, reject) => started.push({ settle: (e) => (e ? reject(e) : resolve()) }));
  return { started, sync };
}
const turn = () => new Promise((r) => setImmediate(r));

describe('createGroupSync', () => {
  it('answers a request made during a sync only after a sync that started after it', async () => {
    const { started, sync } = manualSyncs();
    const request = createGroupSync(sync);
    const done: string[] = [];
    void request().then(() => done.push('a'));
    void request().then(() => done.push('b'));
    void request().then(() => done.push('c'));
    expect(started).toHaveLength(1);
    started[0]!.settle();
    await turn();
    expect(done).toEqual(['a']); // b and c came after the first sync began
    expect(started).toHaveLength(2); // one more sync serves both
    started[1]!.settle();
    await turn();
    expect(done).toEqual(['a', 'b', 'c']);
    // Nothing running: the next request starts a sync at once.
    void request().then(() => done.push('d'));
    expect(started).toHaveLength(3);
    started[2]!.settle();
    await turn();
    expect(done).toEqual(['a', 'b', 'c', 'd']);
  });

  it('rejects the requests a failed sync served, and the next request tries again', async () => {
    const { started, sync } = manualSyncs();
    const request = createGroupSync(sync);
    const first = request();
    started[0]!.settle(new Error('EIO'));
    await expect(first).rejects.toThrow('EIO');
    const second = request();
    expect(started).toHaveLength(2);
    started[1]!.settle();
    await expect(second).resolves.toBeUndefined();
  });
});

describe('datasyncFile', () => {
  it('flushes an existing file and takes a missing one as nothing to flush', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'f'), 'x');
    const file = datasyncFile(join(dir, 'f'));
    await expect(file.sync()).resolves.toBeUndefined();
    await expect(file.sync()).resolves.toBeUndefined();
    await file.close();
    await expect(datasyncFile(join(dir, 'missing')).sync()).resolves.toBeUndefined();
  });
});

describe('the embedded store', () => {
  const reading = (ts: number): StoredReading => ({
    deviceId: 'd-1',
    siteId: 's-1',
    siteKind: 'tap',
    schemeId: 'sc-1',
    countyId: 'c-1',
    ts,
    values: { ph: 7 },
    qualitySamples: 1,
    qualityCompliant: 1,
  });

  it('settles a write only after the WAL file was synced, and fails it when the sync fails', async () => {
    const path = join(tempDir(), 'waterline.db');
    const synced: string[] = [];
    let fail = false;
    const store = createSqliteStore({
      path,
      pruneIntervalMs: 0,
      syncFile: (p) => {
        const real = datasyncFile(p);
        return {
          async sync() {
            await real.sync();
            if (fail) throw new Error('EIO');
            synced.push(p);
          },
          close: real.close,
        };
      },
    });
    try {
      const events: string[] = [];
      const write = store.writeReadings([reading(1_000)]).then(() => events.push('written'));
      expect(existsSync(`${path}-wal`)).toBe(true);
      await write;
      expect(synced).toEqual([`${path}-wal`]);
      expect(events).toEqual(['written']);
      fail = true;
      await expect(store.writeReadings([reading(2_000)])).rejects.toThrow(/syncing the WAL: EIO/);
    } finally {
      await store.close();
    }
  });
});
