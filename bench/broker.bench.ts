/** `npm run bench -- broker`: QoS 1 throughput, latency and memory per idle device, beside Mosquitto. */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { BENCH_INGEST_PASSWORD, benchDeviceId, benchToken } from './broker-fixture.js';
import {
  idleConnections,
  type LoadTarget,
  measureThroughput,
  type ThroughputOptions,
  type ThroughputResult,
} from './broker-load.js';
import {
  type BrokerProcess,
  startMosquitto,
  startWaterline,
  WATERLINE_NODE_FLAGS,
} from './broker-processes.js';

const PUBLISHERS = 100;
const WINDOW = Number(process.env.BENCH_WINDOW ?? 10);
/** The paced run: 100 devices × 20 msg/s, well under capacity, for latency without queueing. */
const PACED_RATE = 20;
const IDLE = 5_000;
const IDLE_BASE = 1_000;
const WARMUP_MS = 2_000;
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
/** Issue goal: at most 10 KB per idle device, so 10,000 devices fit in 100 MB. */
const GOAL_BYTES_PER_DEVICE = 10 * 1024;

interface MemoryResult {
  baseRss: number;
  rssAtIdle: number;
  /** (RSS with IDLE devices − RSS with one) / IDLE. */
  perDevice: number;
  /** Slope between IDLE_BASE and IDLE connected: what one more device costs. */
  marginal: number;
  heapPerDevice: number | null;
}

const target = (port: number): LoadTarget => ({
  port,
  device: (i) => {
    const deviceId = benchDeviceId(i);
    return { deviceId, clientId: deviceId, username: deviceId, password: benchToken(deviceId) };
  },
  subscriber: { clientId: 'svc:ingest', username: 'svc:ingest', password: BENCH_INGEST_PASSWORD },
});

async function run(
  start: () => Promise<BrokerProcess>,
  opts: Omit<ThroughputOptions, 'devices' | 'warmupMs' | 'measureMs'>,
): Promise<ThroughputResult> {
  const broker = await start();
  try {
    return await measureThroughput(target(broker.port), {
      devices: PUBLISHERS,
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
      brokerCpu: broker.cpuSeconds,
      ...opts,
    });
  } finally {
    await broker.stop();
  }
}

async function memory(start: () => Promise<BrokerProcess>): Promise<MemoryResult> {
  const broker = await start();
  const idle = idleConnections(target(broker.port));
  const settle = () => new Promise((r) => setTimeout(r, 1_000));
  try {
    // A few connections first, so one-time allocations (code, caches) are not billed to the devices.
    await idle.grow(10);
    await settle();
    const baseRss = await broker.rss();
    await idle.grow(IDLE_BASE);
    await settle();
    const rss1 = await broker.rss();
    const heap1 = await broker.heapUsed();
    await idle.grow(IDLE);
    await settle();
    const rss2 = await broker.rss();
    const heap2 = await broker.heapUsed();
    const n = IDLE - IDLE_BASE;
    return {
      baseRss,
      rssAtIdle: rss2,
      perDevice: (rss2 - baseRss) / (IDLE - 10),
      marginal: (rss2 - rss1) / n,
      heapPerDevice: heap1 !== null && heap2 !== null ? (heap2 - heap1) / n : null,
    };
  } finally {
    idle.close();
    await broker.stop();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rate = (r: ThroughputResult) => `${Math.round(r.deliveredPerS).toLocaleString('en')}/s`;
const ms = (r: ThroughputResult) => `${r.p50Ms.toFixed(1)} / ${r.p99Ms.toFixed(1)} ms`;

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<void> {
  const hasMosquitto = spawnSync('mosquitto', ['-h'], { stdio: 'ignore' }).error === undefined;
  const subjects: [string, () => Promise<BrokerProcess>][] = [['waterline', () => startWaterline()]];
  if (hasMosquitto) subjects.push(['mosquitto', startMosquitto]);
  else console.log('mosquitto not installed (apt-get install -y mosquitto): no reference figures');

  console.log(
    [
      `broker bench: ${PUBLISHERS} devices publish QoS 1 telemetry to one QoS 1 subscriber (ingest's topic filter).`,
      `  saturated: each device keeps ${WINDOW} messages in flight; paced: ${PACED_RATE} msg/s per device.`,
      `  ${MEASURE_MS / 1000} s measured after ${WARMUP_MS / 1000} s warm-up; memory with ${IDLE} idle devices (keep-alive 60 s).`,
      `  waterline runs with node ${WATERLINE_NODE_FLAGS.join(' ')}, authentication, ACL, rate limiter and metrics on.`,
      `  load average at start: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on a machine with 2 cores (load from other processes skews the rates, not CPU/msg).`,
    ].join('\n'),
  );
  const results: {
    name: string;
    persistent: ThroughputResult;
    clean: ThroughputResult;
    paced: ThroughputResult;
    m: MemoryResult;
  }[] = [];
  for (const [name, start] of subjects) {
    const persistent = await run(start, { window: WINDOW, persistentSubscriber: true });
    const clean = await run(start, { window: WINDOW, persistentSubscriber: false });
    const paced = await run(start, { window: WINDOW, perDeviceRate: PACED_RATE, persistentSubscriber: true });
    const m = await memory(start);
    results.push({ name, persistent, clean, paced, m });
  }

  console.log('\nQoS 1 delivered to the subscriber (saturated), latency p50 / p99, broker CPU per message:');
  table(
    ['broker', 'subscriber', 'delivered', 'p50 / p99', 'CPU/msg', 'lost'],
    results.flatMap((r) =>
      (
        [
          ['persistent (as ingest)', r.persistent],
          ['clean session', r.clean],
        ] as const
      ).map(([kind, t]) => [r.name, kind, rate(t), ms(t), `${t.cpuUsPerMsg.toFixed(1)} µs`, String(t.lost)]),
    ),
  );
  console.log(
    `\nLatency at ${(PUBLISHERS * PACED_RATE).toLocaleString('en')} msg/s (paced), persistent subscriber:`,
  );
  table(
    ['broker', 'delivered', 'p50 / p99'],
    results.map((r) => [r.name, rate(r.paced), ms(r.paced)]),
  );
  console.log(`\nMemory (RSS, after a full GC for Node) with ${IDLE} idle devices connected:`);
  table(
    [
      'broker',
      'per device',
      `marginal ${IDLE_BASE}→${IDLE}`,
      'V8 heap/device',
      `RSS @${IDLE}`,
      'RSS @1',
      '10k est.',
    ],
    results.map((r) => [
      r.name,
      kb(r.m.perDevice),
      kb(r.m.marginal),
      r.m.heapPerDevice === null ? '-' : kb(r.m.heapPerDevice),
      mb(r.m.rssAtIdle),
      mb(r.m.baseRss),
      mb(r.m.baseRss + r.m.perDevice * 10_000),
    ]),
  );

  const [ours, ref] = results;
  if (!ours) return;
  console.log('');
  if (ref) {
    const ratio = ours.persistent.deliveredPerS / ref.persistent.deliveredPerS;
    const cpu = ref.persistent.cpuUsPerMsg / ours.persistent.cpuUsPerMsg;
    console.log(
      `throughput goal (>= mosquitto): ${ratio >= 1 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x its delivered rate; ` +
        `${cpu.toFixed(2)}x its CPU efficiency)`,
    );
  }
  const per = Math.max(ours.m.perDevice, ours.m.marginal);
  console.log(
    `memory goal (<= ${kb(GOAL_BYTES_PER_DEVICE)} per idle device): ${per <= GOAL_BYTES_PER_DEVICE ? 'met' : 'NOT met'} (${kb(per)})`,
  );
}

await main();
