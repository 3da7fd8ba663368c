/** The on-disk spool and the sink in front of it: durable appends, torn tails, the bound, and in-order replay. */
import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredReading } from '../../core/stored-reading.js';
import { createSink } from '../../ingest/sink.js';
import { openSpool, SpoolFullError } from '../../ingest/spool.js';
import { createSqliteStore } from '../../store/sqlite-store.js';
import { testLog } from '../helpers/ingest.js';

const reading = (ts: number, ph = 7): StoredReading => ({
  deviceId: 'd-0001',
  siteId: 'xiji-s1-plant',
  siteKind: 'plant',
  schemeId: 'xiji-s1',
  countyId: 'xiji',
  ts,
  values: { ph },
  qualitySamples: 1,
  qualityCompliant: 1,
});
const record = (...ts: number[]) => ({ readings: ts.map((t) => reading(t)), events: [] });

describe('spool', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wl-spool-'));
    path = join(dir, 'spool', 'ingest.spool');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps appended records across a reopen, in order', async () => {
    const a = await openSpool(path, 1 << 20);
    await a.append(record(1, 2));
    await a.append(record(3));
    await a.close();
    const b = await openSpool(path, 1 << 20);
    expect(b.pending()).toBe(2);
    const got = await b.peek(10_000);
    expect(got.map((g) => g.record.readings.map((r) => r.ts))).toEqual([[1, 2], [3]]);
    await b.close();
  });

  it('drops a torn last line left by a crash during an append', async () => {
    const a = await openSpool(path, 1 << 20);
    await a.append(record(1));
    await a.close();
    const good = statSync(path).size;
    appendFileSync(path, '{"readings":[{"deviceId":"d-0');
    const b = await openSpool(path, 1 << 20);
    expect(b.pending()).toBe(1);
    expect(statSync(path).size).toBe(good);
    await b.append(record(2));
    expect((await b.peek(100)).map((g) => g.record.readings[0]!.ts)).toEqual([1, 2]);
    await b.close();
  });

  it('rolls back a partly written record when the disk fails, and keeps the spool whole', async () => {
    const a = await openSpool(path, 1 << 20);
    await a.append(record(1));
    const before = statSync(path).size;
    await a.close();
    // A disk that takes half a record and then reports ENOSPC, as a full file system does.
    const fd = openSync(path, 'r+');
    let failing = true;
    const b = await openSpool(path, 1 << 20, {
      writeAt: async (buf, at) => {
        if (!failing) return { bytesWritten: writeSync(fd, buf, 0, buf.length, at) };
        writeSync(fd, buf, 0, Math.floor(buf.length / 2), at);
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    });
    await expect(b.append(record(2))).rejects.toThrow(/spool append failed: ENOSPC/);
    expect(statSync(path).size).toBe(before);
    expect(b.pending()).toBe(1);
    failing = false;
    await b.append(record(3));
    await b.close();
    closeSync(fd);
    const c = await openSpool(path, 1 << 20);
    const replay = await c.peek(100);
    expect(replay.map((r) => r.record.readings.map((x) => x.ts))).toEqual([[1], [3]]);
    await c.close();
  });

  it('refuses an append past its bound, and truncates once everything is replayed', async () => {
    const s = await openSpool(path, 600);
    await s.append(record(1));
    await expect(s.append(record(2, 3, 4))).rejects.toBeInstanceOf(SpoolFullError);
    const first = await s.peek(100);
    await s.commit(first[first.length - 1]!.end, first.length);
    expect(s.isEmpty()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('');
    await s.append(record(2, 3, 4));
    expect(s.pending()).toBe(1);
    await s.close();
  });

  it('with truncateAtBytes, empties the file only once it is that large, and replays what is left after a reopen', async () => {
    const line = Buffer.byteLength(`${JSON.stringify(record(1))}\n`);
    const s = await openSpool(path, 1 << 20, { truncateAtBytes: 3 * line });
    await s.append(record(1));
    let got = await s.peek(100);
    await s.commit(got[got.length - 1]!.end, got.length);
    expect(s.isEmpty()).toBe(true);
    expect(statSync(path).size).toBe(line); // replayed, but kept: below the size that empties it
    await s.append(record(2));
    expect((await s.peek(100)).map((g) => g.record.readings[0]!.ts)).toEqual([2]);
    await s.close();
    // A crash before the truncate: both come back and are replayed again (replays are idempotent).
    const again = await openSpool(path, 1 << 20, { truncateAtBytes: 3 * line });
    expect(again.pending()).toBe(2);
    await again.append(record(3));
    got = await again.peek(100);
    await again.commit(got[got.length - 1]!.end, got.length);
    expect(readFileSync(path, 'utf8')).toBe('');
    await again.close();
  });

  it('spools while the store fails, keeps later batches behind the spooled ones, and replays them in order', async () => {
    const spool = await openSpool(path, 1 << 20);
    const dbPath = join(dir, 'waterline.db');
    const broken = createSqliteStore({ path: dbPath });
    await broken.close(); // a store that can no longer write: every write throws
    const failures: unknown[] = [];
    const sink = createSink({ store: broken, spool, log: testLog(), onFailure: (e) => failures.push(e) });
    expect(await sink.write(record(1))).toBe('spooled');
    expect(await sink.write(record(2))).toBe('spooled');
    expect(failures).toHaveLength(1);
    expect(sink.spooling()).toBe(true);
    await sink.close();

    const store = createSqliteStore({ path: dbPath });
    await store.writeReadings([reading(1, 9)]);
    const healed = createSink({ store, spool, log: testLog() });
    await healed.drainSpool();
    expect(healed.spooling()).toBe(false);
    expect(await healed.write(record(3))).toBe('stored');
    const points = await store.queryReadings({ deviceId: 'd-0001', metric: 'ph', from: 0, to: 10 });
    // The spooled Reading at ts 1 was replayed over the one written meanwhile: the replay is idempotent.
    expect(points.map((p) => [p.ts, p.mean])).toEqual([
      [1, 7],
      [2, 7],
      [3, 7],
    ]);
    await healed.close();
    await spool.close();
    await store.close();
  });
});
