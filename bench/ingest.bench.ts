/**
 * `npm run bench` (ingest): sustained throughput published → stored, and alert latency at 5,000 Readings/s,
 * for waterline's ingest next to a minimal hand-written pipeline, each in its own process against the
 * broker process (`npm run broker`) and the same influxd, in the same run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startInfluxd } from '../test/helpers/influxd.js';
import { closeAll, closedLoop, connectDevices, percentile, probeAlerts, watchAlerts } from './ingest-load.js';
import {
  bucketQuantile,
  cpuSeconds,
  type Pipeline,
  sleep,
  startBaseline,
  startBroker,
  startIngest,
  startLoad,
  until,
} from './ingest-processes.js';
import { benchDeviceId, benchRegistry } from './ingest-registry.js';

const READINGS = Number(process.env.BENCH_READINGS ?? 200_000);
// Aedes hands each publish to its bus (mqemitter) with a concurrency of 100; beyond that the bus queues,
// and a long queue recurses until the broker overflows its stack (seen here with 200 and more
// publishing connections). So the load comes from fewer connections, each busier than a real device.
const PUBLISHERS = 80;
const WINDOW = 40;
const RATE = 5_000;
const PROBES = 10;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);

const dir = mkdtempSync(join(tmpdir(), 'wl-bench-ingest-'));
const registryPath = join(dir, 'registry.json');
writeFileSync(registryPath, JSON.stringify(benchRegistry(PUBLISHERS + PROBES)));
const log = (line: string) => console.log(`[ingest bench] ${line}`);
const influxd = await startInfluxd();

interface Throughput {
  perSecond: number;
  /** CPU ms per 1,000 Readings. */
  cpu: { broker: number; pipeline: number; influxd: number };
}

/** Closed-loop publishing of READINGS after a warm-up; throughput = Readings / (first publish → last stored). */
async function throughput(url: string, brokerPid: number, pipeline: Pipeline): Promise<Throughput> {
  const devices = await connectDevices(
    url,
    Array.from({ length: PUBLISHERS }, (_, i) => benchDeviceId(i)),
  );
  await closedLoop(devices, 20_000, WINDOW);
  await until(async () => (await pipeline.stored()) >= 20_000, 'warm-up stored');
  const before = await pipeline.stored();
  const pids = [brokerPid, pipeline.pid, influxd.pid];
  const cpu0 = pids.map(cpuSeconds);
  const t0 = performance.now();
  await closedLoop(devices, READINGS, WINDOW);
  await until(async () => (await pipeline.stored()) >= before + READINGS, 'all stored');
  const t1 = performance.now();
  const [broker, mine, db] = pids.map((pid, i) => ((cpuSeconds(pid) - cpu0[i]!) * 1e6) / READINGS);
  await closeAll(devices);
  return {
    perSecond: (READINGS / (t1 - t0)) * 1000,
    cpu: { broker: broker!, pipeline: mine!, influxd: db! },
  };
}

interface Latency {
  p50: number;
  p99: number;
  /** Ingest's own share of it: receiving the Reading → publishing the event (histogram bucket bounds, ms). */
  inside: { p50: number; p99: number };
  /** One write of a batch of Readings (bucket bounds, ms). */
  write: { p50: number; p99: number };
  max: number;
  lost: number;
  published: number;
  stored: number;
}

/** Alert latency under a steady 5,000 Readings/s (published by another process), and whether storage keeps up. */
async function latency(url: string, pipeline: Pipeline): Promise<Latency> {
  const load = await startLoad(url, PUBLISHERS, RATE);
  const probes = await connectDevices(
    url,
    Array.from({ length: PROBES }, (_, i) => benchDeviceId(PUBLISHERS + i)),
  );
  const watcher = await watchAlerts(url);
  await sleep(2_000);
  const s0 = await pipeline.stored();
  const p0 = load.published();
  const m0 = (await pipeline.metrics?.()) ?? '';
  const t0 = performance.now();
  const samples = await probeAlerts(probes, watcher, SAMPLES, 30);
  const m1 = (await pipeline.metrics?.()) ?? '';
  const q = (name: string, p: number) => bucketQuantile(m1, m0, name, p) * 1000;
  const seconds = (performance.now() - t0) / 1000;
  const stored = ((await pipeline.stored()) - s0) / seconds;
  const published = (load.published() - p0) / seconds;
  await load.stop();
  await watcher.close();
  await closeAll(probes);
  const arrived = samples.filter(Number.isFinite);
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    inside: {
      p50: q('waterline_ingest_alert_delay_seconds', 0.5),
      p99: q('waterline_ingest_alert_delay_seconds', 0.99),
    },
    write: { p50: q('waterline_ingest_write_seconds', 0.5), p99: q('waterline_ingest_write_seconds', 0.99) },
    max: Math.max(...arrived),
    lost: samples.length - arrived.length,
    published,
    stored,
  };
}

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'lost');
const cpuText = (t: Throughput) =>
  `CPU ms per 1,000 Readings: broker ${t.cpu.broker.toFixed(0)}, pipeline ${t.cpu.pipeline.toFixed(0)}, influxd ${t.cpu.influxd.toFixed(0)}`;

async function measureBaseline(): Promise<Throughput> {
  const broker = await startBroker(registryPath);
  const pipeline = await startBaseline(broker.url, influxd.url);
  try {
    return await throughput(broker.url, broker.pid, pipeline);
  } finally {
    await pipeline.stop();
    await broker.stop();
  }
}

async function measureIngest(store: 'influx' | 'sqlite'): Promise<{ t: Throughput; l: Latency }> {
  const broker = await startBroker(registryPath);
  const pipeline = await startIngest(
    broker.url,
    registryPath,
    join(dir, store),
    store === 'influx' ? influxd.url : null,
  );
  try {
    const t = await throughput(broker.url, broker.pid, pipeline);
    log(`waterline (${store}): ${t.perSecond.toFixed(0)} Readings/s stored; ${cpuText(t)}`);
    const l = await latency(broker.url, pipeline);
    return { t, l };
  } finally {
    await pipeline.stop();
    await broker.stop();
  }
}

try {
  log(
    `influxd ${influxd.version}; ${READINGS} Readings closed-loop from ${PUBLISHERS} devices, ${WINDOW} in flight each`,
  );
  const baseline = await measureBaseline();
  log(`baseline: ${baseline.perSecond.toFixed(0)} Readings/s stored; ${cpuText(baseline)}`);
  const influx = await measureIngest('influx');
  const sqlite = await measureIngest('sqlite');
  const line = (name: string, r: { t: Throughput; l: Latency }) =>
    `  ${name.padEnd(30)}${r.t.perSecond.toFixed(0).padStart(7)} Readings/s  ${(r.t.perSecond / baseline.perSecond).toFixed(2)}×   ` +
    `at ${RATE}/s: published ${r.l.published.toFixed(0)}/s, stored ${r.l.stored.toFixed(0)}/s, alert latency ` +
    `p50 ${ms(r.l.p50)}, p99 ${ms(r.l.p99)}, max ${ms(r.l.max)}${r.l.lost ? `, ${r.l.lost} lost` : ''} (${SAMPLES} alerts)\n` +
    `${' '.repeat(32)}inside ingest (receive → publish) p50 ≤ ${r.l.inside.p50} ms, p99 ≤ ${r.l.inside.p99} ms; ` +
    `batch write p50 ≤ ${r.l.write.p50} ms, p99 ≤ ${r.l.write.p99} ms`;
  console.log(
    [
      '',
      `ingest benchmark (${READINGS} Readings, ${PUBLISHERS} publishing devices; goals: ≥ 1.0× the baseline, never < 0.8×; alert p99 < 20 ms at ${RATE}/s)`,
      `  ${'baseline → InfluxDB'.padEnd(30)}${baseline.perSecond.toFixed(0).padStart(7)} Readings/s  1.00×   (subscribe, JSON.parse, line protocol, PUBACK on receipt)`,
      line('waterline ingest → InfluxDB', influx),
      line('waterline ingest → SQLite', sqlite),
      `  CPU per 1,000 Readings (ms)   baseline: ${cpuText(baseline).split(': ')[1]}`,
      `                                waterline → InfluxDB: ${cpuText(influx.t).split(': ')[1]}`,
      `                                waterline → SQLite: ${cpuText(sqlite.t).split(': ')[1]}`,
      '',
    ].join('\n'),
  );
} finally {
  await influxd.stop();
  rmSync(dir, { recursive: true, force: true });
}
