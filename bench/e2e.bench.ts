/**
 * `npm run bench -- e2e`: `npm start` (broker with ingest in its publish path) against a hand-written
 * pipeline in the same run: bare Aedes (`npm run broker` with INGEST=off) plus one subscriber doing
 * JSON.parse and a plain InfluxDB /write, acknowledging on receipt. Closed loop from 100 and 1,000
 * devices, alert latency under 5,000 Readings/s from 1,000 publishers held for 60 s, CPU per 1,000
 * Readings, RSS with 10,000 idle devices, and a reconnect storm: 1,000 devices back at once, each
 * flushing 1,000 buffered Readings.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startInfluxd } from '../test/helpers/influxd.js';
import { procRss } from './broker-processes.js';
import { openSession } from './broker-wire.js';
import { startNodeProcess, startPlatformProcess } from './e2e-processes.js';
import { closeAll, closedLoop, connectDevices, percentile, probeAlerts, watchAlerts } from './ingest-load.js';
import {
  bucketQuantile,
  cpuSeconds,
  type Pipeline,
  sleep,
  startBaseline,
  startBroker,
  startLoad,
  until,
} from './ingest-processes.js';
import { benchDeviceId, benchRegistry, benchToken } from './ingest-registry.js';
import { stormFlush } from './storm.js';

const READINGS = Number(process.env.BENCH_READINGS ?? 100_000);
const RATE = 5_000;
const HOLD_S = Number(process.env.BENCH_HOLD_S ?? 60);
const PUBLISHERS = 1_000;
const PROBES = 10;
const IDLE = Number(process.env.BENCH_IDLE ?? 10_000);
const STORM_EACH = 1_000;

const dir = mkdtempSync(join(tmpdir(), 'wl-bench-e2e-'));
const registryPath = join(dir, 'registry.json');
writeFileSync(registryPath, JSON.stringify(benchRegistry(PUBLISHERS + PROBES)));
const idleRegistry = join(dir, 'idle.json');
writeFileSync(idleRegistry, JSON.stringify(benchRegistry(IDLE)));
const log = (line: string) => console.log(`[e2e bench] ${line}`);
const influxd = await startInfluxd();
const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => benchDeviceId(from + i));

interface Target {
  name: string;
  url: string;
  /** Processes whose CPU counts as the pipeline's (the broker and the subscriber, or the one platform). */
  pids: number[];
  pipeline: Pipeline;
  stop(): Promise<void>;
}

let bucketN = 0;
async function start(kind: 'baseline' | 'embedded' | 'influx', registry = registryPath): Promise<Target> {
  if (kind === 'baseline') {
    const broker = await startBroker(registry);
    const pipeline = await startBaseline(broker.url, influxd.url);
    return {
      name: 'hand-written pipeline → InfluxDB',
      url: broker.url,
      pids: [broker.pid, pipeline.pid],
      pipeline,
      stop: async () => {
        await pipeline.stop();
        await broker.stop();
      },
    };
  }
  const p = await startPlatformProcess({
    registryPath: registry,
    dataDir: join(dir, `${kind}-${++bucketN}`),
    ...(kind === 'influx' ? { influxUrl: influxd.url, bucket: `e2e_${bucketN}` } : {}),
  });
  const name = kind === 'influx' ? 'npm start → InfluxDB' : 'npm start → embedded';
  return { name, url: p.url, pids: [p.pid], pipeline: p, stop: () => p.stop() };
}

interface Closed {
  perSecond: number;
  /** CPU ms per 1,000 Readings: the pipeline's processes, and influxd. */
  cpu: number;
  influxCpu: number;
}

/** Closed loop: every device keeps `window` unacknowledged; Readings / (first publish → last stored). */
async function closed(t: Target, devices: number, window: number): Promise<Closed> {
  const conns = await connectDevices(t.url, ids(devices));
  const warm = Math.min(20_000, READINGS / 5);
  const before0 = await t.pipeline.stored();
  await closedLoop(conns, warm, window);
  await until(async () => (await t.pipeline.stored()) >= before0 + warm, 'warm-up stored');
  const before = await t.pipeline.stored();
  const cpu0 = [...t.pids, influxd.pid].map(cpuSeconds);
  const t0 = performance.now();
  await closedLoop(conns, READINGS, window);
  await until(async () => (await t.pipeline.stored()) >= before + READINGS, 'all stored');
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = [...t.pids, influxd.pid].map(cpuSeconds);
  const used = cpu1.map((c, i) => c - cpu0[i]!);
  await closeAll(conns);
  const own = used.slice(0, -1).reduce((a, b) => a + b, 0);
  return {
    perSecond: READINGS / seconds,
    cpu: (own * 1e6) / READINGS,
    influxCpu: (used[used.length - 1]! * 1e6) / READINGS,
  };
}

/** 5,000 Readings/s from 1,000 publishers (another process) for HOLD_S, alert probes meanwhile. */
async function held(t: Target) {
  const load = await startLoad(t.url, PUBLISHERS, RATE);
  const probes = await connectDevices(t.url, ids(PROBES, PUBLISHERS));
  const watcher = await watchAlerts(t.url);
  await sleep(2_000);
  const s0 = await t.pipeline.stored();
  const p0 = load.published();
  const m0 = (await t.pipeline.metrics?.()) ?? '';
  const t0 = performance.now();
  // Probes through the whole hold (about 1,000 at 60 s), so p99 is the 10th-worst, not the 3rd.
  const samples = await probeAlerts(
    probes,
    watcher,
    Number.POSITIVE_INFINITY,
    30,
    t0 + HOLD_S * 1000 - 1_000,
  );
  const m1 = (await t.pipeline.metrics?.()) ?? '';
  // Ingest's own share: receiving the Reading → the event handed to the bus (histogram bucket bounds).
  const inside = (p: number) => bucketQuantile(m1, m0, 'waterline_ingest_alert_delay_seconds', p) * 1000;
  const write = (p: number) => bucketQuantile(m1, m0, 'waterline_ingest_write_seconds', p) * 1000;
  // The node's event-loop delay over the probes (prom-client restarts its monitor at each scrape).
  const loop = (name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(m1)?.[1] ?? Number.NaN) * 1000;
  const rest = HOLD_S * 1000 - (performance.now() - t0);
  if (rest > 0) await sleep(rest);
  const seconds = (performance.now() - t0) / 1000;
  const alive = process.kill(t.pids[0]!, 0);
  const result = {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    lost: samples.filter((s) => !Number.isFinite(s)).length,
    inside: { p50: inside(0.5), p99: inside(0.99) },
    write: { p50: write(0.5), p99: write(0.99) },
    loop: { p99: loop('nodejs_eventloop_lag_p99_seconds'), max: loop('nodejs_eventloop_lag_max_seconds') },
    published: (load.published() - p0) / seconds,
    stored: ((await t.pipeline.stored()) - s0) / seconds,
    seconds,
    samples: samples.length,
    alive,
    rss: procRss(t.pids[0]!),
  };
  await load.stop();
  await watcher.close();
  await closeAll(probes);
  return result;
}

/**
 * RSS of the node with IDLE devices connected and quiet, against the same process before: 5 s after the
 * last connected, and 30 s after, once V8's memory reducer has run (it starts about 8 s after allocation
 * stops): idle devices stay connected for hours, so the second is the node's steady state.
 */
async function idleRss(): Promise<{ before: number; after: number; settled: number }> {
  const t = await startNodeProcess({ registryPath: idleRegistry, dataDir: join(dir, 'idle') });
  try {
    await sleep(2_000);
    const before = procRss(t.pid);
    const port = Number(new URL(t.url).port);
    const sockets = [];
    for (let i = 0; i < IDLE; i += 200) {
      const batch = ids(Math.min(200, IDLE - i), i).map((id) =>
        openSession(port, { clientId: id, username: id, password: benchToken(id) }, () => undefined),
      );
      sockets.push(...(await Promise.all(batch)));
    }
    await sleep(5_000);
    const after = procRss(t.pid);
    await sleep(25_000);
    const settled = procRss(t.pid);
    for (const s of sockets) s.destroy();
    return { before, after, settled };
  } finally {
    await t.stop();
  }
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const msText = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'lost');

if (process.env.BENCH_ONLY === 'held') {
  const t = await start(process.env.BENCH_STORE === 'influx' ? 'influx' : 'embedded');
  const h = await held(t);
  console.log(JSON.stringify(h));
  await t.stop();
  await influxd.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

if (process.env.BENCH_ONLY === 'closed') {
  // The closed-loop figures alone, each store against the baseline of the same run.
  const perSecond: Record<string, number[]> = {};
  for (const kind of ['baseline', 'embedded', 'influx'] as const) {
    const t = await start(kind);
    try {
      perSecond[kind] = [];
      for (const n of [100, 1_000]) perSecond[kind]!.push((await closed(t, n, n === 100 ? 40 : 8)).perSecond);
    } finally {
      await t.stop();
    }
  }
  for (const kind of ['embedded', 'influx'])
    console.log(
      `${kind}: ${[100, 1_000].map((n, i) => `${n} devices ${(perSecond[kind]![i]! / perSecond.baseline![i]!).toFixed(2)}×`).join(', ')} ` +
        `(baseline ${perSecond.baseline!.map((v) => v.toFixed(0)).join(' / ')} Readings/s)`,
    );
  await influxd.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

if (process.env.BENCH_ONLY === 'idle') {
  const idle = await idleRss();
  console.log(
    `${IDLE} idle devices on a node: RSS ${mb(idle.after)} after 5 s, ${mb(idle.settled)} after 30 s (${mb(idle.before)} before they connected)`,
  );
  await influxd.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

try {
  log(
    `influxd ${influxd.version}; ${READINGS} Readings per closed-loop round; the machine's load shows in every figure`,
  );
  const rows: string[] = [];
  const closedRuns: Record<string, Record<number, Closed>> = {};
  for (const kind of ['baseline', 'embedded', 'influx'] as const) {
    const t = await start(kind);
    try {
      closedRuns[kind] = {};
      for (const n of [100, 1_000]) {
        const r = await closed(t, n, n === 100 ? 40 : 8);
        closedRuns[kind]![n] = r;
        log(
          `${t.name}, ${n} devices: ${r.perSecond.toFixed(0)} Readings/s, CPU ${r.cpu.toFixed(0)} ms per 1,000`,
        );
      }
      if (kind !== 'baseline') {
        const h = await held(t);
        rows.push(
          `  ${t.name.padEnd(28)} at ${RATE}/s from ${PUBLISHERS} devices for ${h.seconds.toFixed(0)} s: published ${h.published.toFixed(0)}/s, ` +
            `stored ${h.stored.toFixed(0)}/s, alert p50 ${msText(h.p50)}, p99 ${msText(h.p99)} (${h.samples} probes)${h.lost ? `, ${h.lost} lost` : ''}; ` +
            `${h.alive ? 'no crash' : 'CRASHED'}, RSS ${mb(h.rss)}; inside ingest p50 ≤ ${h.inside.p50} ms, ` +
            `p99 ≤ ${h.inside.p99} ms; batch write p50 ≤ ${h.write.p50} ms, p99 ≤ ${h.write.p99} ms; ` +
            `node event-loop delay p99 ${msText(h.loop.p99)}, max ${msText(h.loop.max)}`,
        );
        log(rows[rows.length - 1]!.trim());
      }
      const storm = await stormFlush(
        t.url,
        ids(PUBLISHERS),
        STORM_EACH,
        () => t.pipeline.stored(),
        t.pids[0]!,
      );
      rows.push(
        `  ${t.name.padEnd(28)} reconnect storm: ${PUBLISHERS} devices × ${STORM_EACH} buffered Readings stored in ` +
          `${storm.seconds.toFixed(1)} s (${storm.perSecond.toFixed(0)} Readings/s, all connected in ${storm.connectSeconds.toFixed(1)} s), peak RSS ${mb(storm.peakRss)}`,
      );
      log(rows[rows.length - 1]!.trim());
    } finally {
      await t.stop();
    }
  }
  const idle = await idleRss();
  const base = closedRuns.baseline!;
  const ratio = (kind: string, n: number) =>
    `${closedRuns[kind]![n]!.perSecond.toFixed(0).padStart(7)}/s ${(closedRuns[kind]![n]!.perSecond / base[n]!.perSecond).toFixed(2)}×`;
  console.log(
    [
      '',
      `end-to-end benchmark (goals: stored ≥ 1.0× the hand-written pipeline; alert p99 < 20 ms at ${RATE}/s; 10,000 idle devices ≤ 150 MB)`,
      `  closed loop, Readings stored/s     100 devices        1,000 devices      CPU ms/1,000 (100 dev.; influxd)`,
      ...(['baseline', 'embedded', 'influx'] as const).map(
        (k) =>
          `  ${(k === 'baseline' ? 'hand-written → InfluxDB' : k === 'embedded' ? 'npm start → embedded' : 'npm start → InfluxDB').padEnd(34)}${ratio(k, 100).padEnd(19)}${ratio(k, 1_000).padEnd(19)}` +
          `${closedRuns[k]![100]!.cpu.toFixed(0)}; ${closedRuns[k]![100]!.influxCpu.toFixed(0)}`,
      ),
      ...rows,
      `  ${IDLE} idle devices on a node (npm run broker, embedded store): RSS ${mb(idle.after)} after 5 s, ${mb(idle.settled)} after 30 s (${mb(idle.before)} before they connected, ${((idle.settled - idle.before) / IDLE / 1024).toFixed(1)} KB each)`,
      '',
    ].join('\n'),
  );
} finally {
  await influxd.stop();
  rmSync(dir, { recursive: true, force: true });
}
