/**
 * `npm run bench` (API part): p50/p95 latency of GET /api/v1/coverage?groupBy=county and of a 30-day
 * readings query, on the demo registry with a week of Readings in the embedded store, through
 * app.request() (no network in the figures). Goal: under 20 ms p95 each.
 *
 * BENCH_DAYS (default 7) and BENCH_THIN size the data. BENCH_THIN defaults to 2, one Reading in two of each
 * device's schedule (3.9 million rows instead of 7.7), which keeps seeding near a minute on a 2-core machine;
 * BENCH_THIN=1 seeds every Reading.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp } from '../api/create-app.js';
import { parseRegistryText } from '../core/registry.js';
import { demoApiKey } from '../devices-sim/demo-secret.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { seedReadings } from './api-seed.js';

const DAY = 86_400_000;
const days = Number(process.env.BENCH_DAYS ?? 7);
const thin = Number(process.env.BENCH_THIN ?? 2);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(
  n: number,
  run: () => Response | Promise<Response>,
): Promise<{ p50: number; p95: number; n: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const res = await run();
    await res.arrayBuffer();
    ms.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), n };
}

const fmt = (x: number) => x.toFixed(1).padStart(8);

async function main(): Promise<void> {
  const parsed = parseRegistryText(
    readFileSync(new URL('../devices-sim/demo-registry.json', import.meta.url), 'utf8'),
  );
  if (!parsed.ok) throw new Error('demo registry invalid');
  const registry = parsed.value;
  const dir = mkdtempSync(join(tmpdir(), 'wl-bench-api-'));
  const store = createSqliteStore({ path: join(dir, 'waterline.db') });
  try {
    const to = Date.now();
    let start = performance.now();
    const rows = await seedReadings(store, registry, { to, days, thin });
    const seedS = (performance.now() - start) / 1000;
    console.log(
      `api bench: demo registry (${registry.devices.size} devices), ${days} d of Readings` +
        `${thin > 1 ? ` thinned 1 in ${thin}` : ''}: ${rows.toLocaleString('en')} rows seeded in ${seedS.toFixed(1)} s`,
    );

    const log = pino({ level: 'silent' });
    const auth = { headers: { authorization: `Bearer ${demoApiKey('demo-admin')}` } };
    const app = createApp({ registry: () => registry, store, online: () => true, log });
    const fresh = createApp({
      registry: () => registry,
      store,
      online: () => true,
      log,
      options: { coverageMaxAgeMs: 0 },
    });

    const coverage = '/api/v1/coverage?groupBy=county';
    start = performance.now();
    const first = await app.request(coverage, auth);
    await first.arrayBuffer();
    const coldMs = performance.now() - start;

    // The 30 s device with the most data; hourly buckets are what a 30-day chart draws (720 points).
    const device = [...registry.devices.values()].find((d) => d.intervalS === 30)!;
    const metric = device.metrics[0]!;
    const readings = `/api/v1/devices/${device.id}/readings?metric=${metric}&from=${to - 30 * DAY}&to=${to}&every=1h`;
    const raw = `/api/v1/devices/${device.id}/readings?metric=${metric}&from=${to - 30 * DAY}&to=${to}`;

    const results: [string, { p50: number; p95: number; n: number }][] = [
      [
        'GET coverage?groupBy=county (served counts, default)',
        await time(200, () => app.request(coverage, auth)),
      ],
      [
        'GET coverage?groupBy=county (counts recomputed each time)',
        await time(10, () => fresh.request(coverage, auth)),
      ],
      [
        `GET readings 30 d, every=1h (${device.id} ${metric})`,
        await time(200, () => app.request(readings, auth)),
      ],
      [`GET readings 30 d, raw (${device.id} ${metric})`, await time(20, () => app.request(raw, auth))],
    ];
    console.log(`first coverage request (cold counts): ${coldMs.toFixed(1)} ms`);
    console.log(`${'request'.padEnd(60)}${'n'.padStart(6)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}`);
    for (const [name, r] of results)
      console.log(`${name.padEnd(60)}${String(r.n).padStart(6)}${fmt(r.p50)}${fmt(r.p95)}`);
    const goal = [results[0]![1].p95, results[2]![1].p95].every((p) => p < 20);
    console.log(
      `goal p95 < 20 ms for coverage (served) and readings (every=1h): ${goal ? 'met' : 'NOT met'}`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
