/**
 * `npm run bench` (store): for the embedded SQLite store and the InfluxDB adapter, write throughput with
 * batches of 1,000 and 10,000 Readings and query latency (p50/p95) of a 30-day hourly series of one device
 * and of one county's quality counts, on a data set the bench seeds itself: 1,000 devices x 7 days at one
 * Reading a minute (10,080,000 Readings). The InfluxDB run (its own influxd on free loopback ports, when
 * `influxd` is on the PATH) also times a plain HTTP POST of the same lines and the official client as its
 * README shows it, to show where the time goes. BENCH_DEVICES and BENCH_DAYS shrink it for a quick look.
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readingLine } from '../store/influx/line-protocol.js';
import { createInfluxStore } from '../store/influx-store.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import type { StoredReading, TelemetryStore } from '../store/telemetry-store.js';
import { findOnPath, type Influxd, startInfluxd } from '../test/helpers/influxd.js';
import { benchDevices, DAY, HOUR, MINUTE, minuteBatch } from './store-dataset.js';
import { fmtMs, fmtRate, latency, percentile, type Rate, throughput } from './store-measure.js';
import { officialClientWriter, plainHttpWriter } from './store-writers.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 1_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const devices = benchDevices(DEVICES);
const counties = [...new Set(devices.map((d) => d.countyId))];
/** The seeded week ends at the last whole hour, so the embedded store's retention keeps all of it. */
const end = Math.floor(Date.now() / HOUR) * HOUR;
const start = end - DAYS * DAY;
const log = (s: string) => console.log(`[store bench] ${s}`);
const started = performance.now();
log(
  `${DEVICES} devices x ${DAYS} days x 1/min = ${(DEVICES * DAYS * 1440).toLocaleString('en-US')} Readings; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

const dir = await mkdtemp(join(tmpdir(), 'wl-bench-store-'));
const sqlitePath = join(dir, 'waterline.db');
const sqlite = createSqliteStore({ path: sqlitePath, pruneIntervalMs: 0 });
const binary = await findOnPath('influxd');
const influxd: Influxd | null = binary ? await startInfluxd({ binary }) : null;
const influx = influxd ? await createInfluxStore({ url: influxd.url, bucket: 'bench' }) : null;
if (!influxd)
  log('influxd is not on the PATH: the InfluxDB adapter is skipped (apt-get install -y influxdb)');

try {
  await seed();
  const rows: string[][] = [
    [
      '',
      'write 1,000/batch',
      'write 10,000/batch',
      '30-day hourly, 1 device',
      'quality, 1 county, 24 h',
      'quality, 1 county, 7 d',
    ],
  ];
  rows.push(['sqlite', ...(await measure(sqlite, 'sqlite'))]);
  if (influx && influxd) {
    rows.push(['influx', ...(await measure(influx, 'influx'))]);
    await compareWriters(influxd.url);
  }
  console.log(`\n${table(rows)}`);
  log(
    'targets: sqlite >= 100,000 Readings/s and every query < 20 ms; influx adapter >= 90 % of a plain HTTP /write of the same lines',
  );
  log(
    `done in ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await sqlite.close();
  await influx?.close();
  await influxd?.stop();
  await rm(dir, { recursive: true, force: true });
}

/**
 * Both stores at once, minute by minute in batches of 10 minutes of every device: SQLite works on this
 * thread while influxd works on the batch before, so seeding takes about as long as the slower of the two.
 */
async function seed(): Promise<void> {
  const t0 = performance.now();
  let sqliteMs = 0;
  const pending: Promise<void>[] = [];
  for (let t = start; t < end; t += 10 * MINUTE) {
    const batch = minuteBatch(devices, t, 10);
    if (influx) pending.push(influx.writeReadings(batch));
    const s = performance.now();
    await sqlite.writeReadings(batch);
    sqliteMs += performance.now() - s;
    while (pending.length >= 2) await pending.shift();
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(pending);
  const n = DEVICES * DAYS * 1440;
  const mb = statSync(sqlitePath).size / 2 ** 20;
  log(
    `seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s (sqlite alone ${fmtRate(n / (sqliteMs / 1000))}, file ${mb.toFixed(0)} MiB)`,
  );
}

/**
 * Writes right after the seeded week (fresh points, time-major, as ingest gets them), then the queries,
 * ending a few minutes before the newest Reading: the recent, not yet rolled-up data is in every window.
 */
async function measure(store: TelemetryStore, name: string): Promise<string[]> {
  const slow = name === 'influx';
  let t = end;
  const next = (minutes: number) => () => {
    const b = minuteBatch(devices, t, minutes);
    t += minutes * MINUTE;
    return b;
  };
  const per1k = Math.max(1, Math.round(1000 / DEVICES));
  const write = (b: StoredReading[]) => store.writeReadings(b);
  const w1k = await throughput(slow ? 30 : 300, next(per1k), write, per1k * DEVICES);
  const w10k = await throughput(slow ? 10 : 60, next(10 * per1k), write, 10 * per1k * DEVICES);
  const to = t - 7 * MINUTE;
  const pick = <T>(list: readonly T[], i: number) => list[Math.abs(i * 7919) % list.length]!;
  const runs = slow ? 20 : 200;
  const series = await latency(runs, 10, (i) =>
    store.queryReadings({
      deviceId: pick(devices, i).deviceId,
      metric: 'turbidity',
      from: to - 30 * DAY,
      to,
      everyMs: HOUR,
    }),
  );
  const day = await latency(runs, 10, (i) =>
    store.qualityCounts({ from: to - DAY, to, countyId: pick(counties, i) }),
  );
  const week = await latency(runs, 10, (i) =>
    store.qualityCounts({ from: to - 7 * DAY, to, countyId: pick(counties, i) }),
  );
  // The embedded store works on this thread only, so its CPU rate is what it would write on an idle machine.
  const rate = (r: Rate) => (slow ? fmtRate(r.wall) : `${fmtRate(r.wall)} (${fmtRate(r.cpu)} per CPU-s)`);
  return [rate(w1k), rate(w10k), fmtMs(series), fmtMs(day), fmtMs(week)];
}

/**
 * The InfluxDB adapter against a plain POST of the same lines (built beforehand, untimed), batch by batch
 * in turn and in rotating order, each on fresh points of its own, so load from elsewhere and influxd's
 * compactions fall on all alike. Also the official client with Point objects, and the adapter with gzip,
 * to show where the time goes.
 */
async function compareWriters(url: string): Promise<void> {
  const db = 'bench';
  const plain = plainHttpWriter(url, db);
  const gzipped = await createInfluxStore({ url, bucket: db, gzipThreshold: 1024 });
  let t = end + 100 * HOUR;
  for (const size of [1_000, 10_000]) {
    const minutes = Math.max(1, Math.round(size / DEVICES));
    const official = officialClientWriter(url, db, size);
    const writers: [string, (b: StoredReading[]) => Promise<void>][] = [
      ['plain', async () => {}],
      ['adapter', (b) => influx!.writeReadings(b)],
      ['gzip', (b) => gzipped.writeReadings(b)],
      ['official', official],
    ];
    const spent = new Map<string, number[]>(writers.map(([name]) => [name, []]));
    let lineMs = 0;
    const rounds = size === 1_000 ? 40 : 10;
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < writers.length; k++) {
        const [name, write] = writers[(r + k) % writers.length]!;
        const batch = minuteBatch(devices, t, minutes);
        t += minutes * MINUTE;
        let s = performance.now();
        if (name === 'plain') {
          const lines = batch.map(readingLine);
          lineMs += performance.now() - s;
          s = performance.now();
          await plain(lines);
        } else await write(batch);
        spent.get(name)!.push(performance.now() - s);
      }
    }
    const total = (name: string) => spent.get(name)!.reduce((a, b) => a + b, 0);
    const rate = (name: string) => (rounds * size) / (total(name) / 1000);
    // Throughput against the plain write's, and the median of the per-round ratios (a round's writes are
    // next to each other in time, so a burst of load from elsewhere hits both).
    const vs = (name: string) => {
      const ratios = spent
        .get(name)!
        .map((ms, r) => spent.get('plain')![r]! / ms)
        .sort((a, b) => a - b);
      const median = percentile(ratios, 50);
      return `${((100 * rate(name)) / rate('plain')).toFixed(0)} % of plain, per-round median ${(100 * median).toFixed(0)} %`;
    };
    log(
      `influx, ${size.toLocaleString('en-US')}/batch, ${rounds} rounds: plain HTTP /write ${fmtRate(rate('plain'))}; ` +
        `adapter ${fmtRate(rate('adapter'))} (${vs('adapter')}); with gzip ${fmtRate(rate('gzip'))} (${vs('gzip')}); ` +
        `official client with Points ${fmtRate(rate('official'))} (${vs('official')}); ` +
        `building the lines: ${((1000 * lineMs) / (rounds * size)).toFixed(2)} µs/Reading`,
    );
  }
  await gzipped.close();
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')).join('\n');
}
