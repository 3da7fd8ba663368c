/** The embedded SQLite store: the conformance suite on a real file, then what only it does (rollups, retention, restarts, upgrade). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../store/sqlite-store.js';
import { StoreError } from '../../store/telemetry-store.js';
import { storeConformance } from './conformance.js';
import { alert, BASE, HOUR, MIN, NOW, raised, reading } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'wl-sqlite-store-'));
let n = 0;
const file = () => join(dir, `store-${++n}.db`);
const open = (path = file(), clock = () => NOW) => createSqliteStore({ path, clock, pruneIntervalMs: 0 });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeConformance('sqlite', async () => open());

describe('sqlite store', () => {
  it('keeps readings, rollups and alerts across a restart', async () => {
    const path = file();
    const first = open(path);
    const batch = Array.from({ length: 6 * 60 }, (_, i) =>
      reading('d-plant', BASE + i * MIN, { chlorine: (i % 8) / 4 }, { n: 1, ok: i % 8 ? 1 : 0 }),
    );
    await first.writeReadings(batch);
    await first.appendAlertEvents([raised(alert('a-1'))]);
    const hourly = {
      deviceId: 'd-plant',
      metric: 'chlorine' as const,
      from: BASE,
      to: BASE + 6 * HOUR,
      everyMs: HOUR,
    };
    const before = await first.queryReadings(hourly);
    await first.close();

    const second = open(path);
    expect(await second.queryReadings(hourly)).toEqual(before);
    expect(before.map((p) => p.count)).toEqual([60, 60, 60, 60, 60, 60]);
    expect(await second.lastSeen()).toEqual(new Map([['d-plant', BASE + 359 * MIN]]));
    expect((await second.getAlert('a-1'))?.events).toHaveLength(1);
    await second.writeReadings([reading('d-plant', BASE + 6 * HOUR, { chlorine: 1 })]);
    expect((await second.queryReadings(hourly)).at(-1)).toEqual({
      ts: BASE + 6 * HOUR,
      mean: 1,
      min: 1,
      max: 1,
      count: 1,
    });
    await second.close();
  });

  it('rolls up hours once they are over, and the rollup equals the raw rows', async () => {
    const path = file();
    const s = open(path);
    for (let h = 0; h < 5; h++) {
      const batch = Array.from({ length: 60 }, (_, i) =>
        reading('d-pipe', BASE + h * HOUR + i * MIN, { pressure: 0.25 + (i % 4) / 8 }, { n: 0, ok: 0 }),
      );
      await s.writeReadings(batch);
    }
    const db = new Database(path, { readonly: true });
    const watermark = db.prepare(`SELECT value FROM meta WHERE key = 'rolled_until'`).pluck().get() as number;
    // An hour is rolled up once Readings 10 minutes past its end arrive, one hour per write: the last one waits.
    expect(watermark).toBe(BASE + 4 * HOUR);
    const rollup = db
      .prepare(
        'SELECT hour, pressure_n AS n, pressure_min AS min, pressure_max AS max FROM rollup_hour ORDER BY hour',
      )
      .all();
    expect(rollup).toEqual(
      [0, 1, 2, 3].map((h) => ({ hour: BASE + h * HOUR, n: 60, min: 0.25, max: 0.625 })),
    );
    db.close();
    await s.close();
  });

  it('deletes raw rows after the raw retention and rollups after theirs, and still answers hours', async () => {
    const path = file();
    let now = BASE + 2 * HOUR;
    const s = createSqliteStore({
      path,
      clock: () => now,
      pruneIntervalMs: 0,
      retention: { rawDays: 1, rollupDays: 3 },
    });
    const day = 24 * HOUR;
    for (let h = 0; h < 30; h++) {
      await s.writeReadings([
        reading('d-tap', BASE + h * HOUR + 30 * MIN, { chlorine: 0.5 }, { n: 1, ok: 1 }),
      ]);
    }
    const hourly = {
      deviceId: 'd-tap',
      metric: 'chlorine' as const,
      from: BASE,
      to: BASE + 30 * HOUR,
      everyMs: HOUR,
    };
    now = BASE + 2 * day + 5 * HOUR;
    const result = s.prune();
    expect(result.rawBefore).toBe(BASE + day + 5 * HOUR);
    // Raw rows before the cut are gone; the rolled-up hours still answer hourly charts.
    expect(await s.queryReadings({ ...hourly, everyMs: undefined })).toHaveLength(30 - 29);
    expect((await s.queryReadings(hourly)).map((p) => p.ts)).toEqual(
      Array.from({ length: 30 }, (_, h) => BASE + h * HOUR),
    );
    // Rollups older than 3 days go; raw rows not yet rolled up are kept whatever their age.
    now = BASE + 4 * day;
    s.prune();
    expect((await s.queryReadings(hourly)).map((p) => p.ts)).toEqual(
      Array.from({ length: 6 }, (_, h) => BASE + (24 + h) * HOUR),
    );
    await s.close();
  });

  it('upgrades a file written by the first layout', async () => {
    const path = file();
    const db = new Database(path);
    db.exec(`
      CREATE TABLE readings (device_id TEXT NOT NULL, ts INTEGER NOT NULL, seq INTEGER, turbidity REAL,
        chlorine REAL, ph REAL, conductivity REAL, temperature REAL, flow REAL, pressure REAL, level REAL,
        q_n INTEGER NOT NULL DEFAULT 0, q_ok INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (device_id, ts)) WITHOUT ROWID;
      CREATE TABLE devices (device_id TEXT PRIMARY KEY, site_id TEXT NOT NULL, site_kind TEXT NOT NULL,
        scheme_id TEXT NOT NULL, county_id TEXT NOT NULL, last_ts INTEGER NOT NULL) WITHOUT ROWID;
    `);
    db.prepare('INSERT INTO devices VALUES (?, ?, ?, ?, ?, ?)').run(
      'd-plant',
      's-plant',
      'plant',
      'sch-a',
      'cty-x',
      BASE + MIN,
    );
    const put = db.prepare(
      'INSERT INTO readings (device_id, ts, chlorine, q_n, q_ok) VALUES (?, ?, ?, 1, 1)',
    );
    put.run('d-plant', BASE, 0.5);
    put.run('d-plant', BASE + MIN, 0.75);
    db.close();

    const s = open(path);
    expect(
      await s.queryReadings({
        deviceId: 'd-plant',
        metric: 'chlorine',
        from: BASE,
        to: BASE + HOUR,
        everyMs: HOUR,
      }),
    ).toEqual([{ ts: BASE, mean: 0.625, min: 0.5, max: 0.75, count: 2 }]);
    expect(await s.lastSeen()).toEqual(new Map([['d-plant', BASE + MIN]]));
    expect(await s.qualityCounts({ from: BASE, to: BASE + HOUR })).toEqual([
      { schemeId: 'sch-a', countyId: 'cty-x', samples: 2, compliant: 2 },
    ]);
    await s.close();
  });

  it('fails with a StoreError naming the file when it cannot be opened', () => {
    const path = join(dir, 'not-a-dir.db');
    rmSync(path, { force: true });
    const fileInTheWay = join(dir, 'plain-file');
    new Database(fileInTheWay).close();
    expect(() => createSqliteStore({ path: join(fileInTheWay, 'x.db') })).toThrow(StoreError);
    expect(() => createSqliteStore({ path: join(fileInTheWay, 'x.db') })).toThrow(/plain-file/);
  });
});
