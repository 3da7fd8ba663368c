/**
 * `npm run bench -- sim`: the simulator's costs. One hydraulic and chlorine solve of the largest demo
 * scheme; readings generated per second for 10,000+ devices; and readings published per second through
 * a real broker, every device on its own MQTT connection with its own credentials.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Workspace } from 'epanet-js';
import { pino } from 'pino';
import { loadRegistry } from '../bin/load-registry.js';
import { parseRegistry } from '../core/registry.js';
import { createSim } from '../devices-sim/create-sim.js';
import { demandPattern } from '../devices-sim/demand-pattern.js';
import { demoDeviceToken } from '../devices-sim/demo-secret.js';
import { createEpanet } from '../devices-sim/epanet-run.js';
import { designNetwork } from '../devices-sim/network-design.js';
import { createReadingSource } from '../devices-sim/reading-source.js';
import { scaleRegistry } from '../devices-sim/scale-registry.js';
import { createSchemeModel, type SchemeModel } from '../devices-sim/scheme-model.js';

const SCALE = Number(process.env.BENCH_SIM_SCALE ?? 10);
const PUBLISH_S = Number(process.env.BENCH_SIM_PUBLISH_S ?? 30);
const PUBLISH_SPEED = Number(process.env.BENCH_SIM_SPEED ?? 60);
const out = (line: string) => console.log(`[sim bench] ${line}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const a = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  if (!a || typeof a === 'string') throw new Error('no free port');
  return a.port;
}

/** Until something accepts connections on the port (the broker process is up), at most a minute. */
async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection(port, '127.0.0.1');
      c.once('connect', () => c.end(() => resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no broker on port ${port}`);
}

const demo = loadRegistry(null);
if (!demo.ok) throw new Error('the demo registry does not load');
const epanet = await createEpanet(new Workspace());

// 1. The largest demo scheme: most network nodes, then most people.
const largest = [...demo.value.schemes.values()]
  .map((s) => ({ s, nodes: designNetwork(demo.value, s.id).nodes.length }))
  .sort((a, b) => b.nodes - a.nodes || b.s.population - a.s.population)[0]!;
const net = designNetwork(demo.value, largest.s.id);
const day = {
  durationS: 86_400,
  patternStartS: 0,
  pattern: demandPattern(900, 96),
  patternStepS: 900,
  stepS: 300,
  pda: true,
  quality: true,
};
// Started from a settled state (tank levels and chlorine), as the simulator's solves are.
const settled = epanet.solve(net, day).final;
const again = { ...day, tankLevels: settled.tankLevels, initialQuality: settled.quality };
const solves: number[] = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  epanet.solve(net, again);
  solves.push(performance.now() - t);
}
const models: number[] = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  createSchemeModel(epanet, designNetwork(demo.value, largest.s.id));
  models.push(performance.now() - t);
}
out(
  `largest demo scheme ${largest.s.id}: ${net.nodes.length} nodes, ${net.links.length} links, ${largest.s.population.toLocaleString('en-US')} people`,
);
out(`one 24 h hydraulic + chlorine solve (5-min steps, PDA): median ${median(solves).toFixed(1)} ms`);
out(
  `scheme model from scratch (calibration solve + 2-day settled solve): median ${median(models).toFixed(0)} ms`,
);

// 2. Generation alone, no network: the whole scaled registry.
const scaled = parseRegistry(scaleRegistry(demo.value.file, SCALE));
if (!scaled.ok) throw new Error('scaled registry invalid');
const registry = scaled.value;
const devices = [...registry.devices.values()];
const start = Date.now() - 2 * 86_400_000;
// Healthy schemes solved here are reused by the publishing run below.
const healthy = new Map<string, SchemeModel>();
const source = createReadingSource({
  registry,
  devices,
  faults: [],
  epanet,
  seed: 1,
  start,
  firstWithinMs: 60_000,
  healthy,
});
let t0 = performance.now();
let n = source.drain(start + 60_000, Number.MAX_SAFE_INTEGER, () => {});
const warm = performance.now() - t0;
const ws = source.world.stats();
out(
  `${devices.length.toLocaleString('en-US')} devices: first readings of all in ${(warm / 1000).toFixed(1)} s, of which solving ${ws.schemes} schemes ${(ws.solveMs / 1000).toFixed(1)} s`,
);
t0 = performance.now();
n = source.drain(start + 6 * 3_600_000, Number.MAX_SAFE_INTEGER, () => {});
const gen = n / ((performance.now() - t0) / 1000);
out(
  `generated ${n.toLocaleString('en-US')} readings (6 simulated hours) at ${Math.round(gen).toLocaleString('en-US')} readings/s`,
);
out(
  `  = ${(gen / (devices.length / median(devices.map((d) => d.intervalS)))).toFixed(0)}× the real-time load of these devices`,
);

// 3. Published through a real broker (`npm run broker`, its own process) with this registry:
// connections with their own credentials, QoS 1, PUBACKs counted.
const dir = mkdtempSync(join(tmpdir(), 'wl-bench-sim-'));
writeFileSync(join(dir, 'registry.json'), JSON.stringify(registry.file));
const port = await freePort();
const broker = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('../broker/main.ts', import.meta.url))],
  {
    env: {
      ...process.env,
      REGISTRY: join(dir, 'registry.json'),
      MQTT_PORT: String(port),
      HOST: '127.0.0.1',
      WS_PORT: 'off',
      DEVICE_RATE: '0',
      INGEST_PASSWORD: 'bench-ingest',
      API_PASSWORD: 'bench-api',
      LOG_LEVEL: 'warn',
      INGEST: 'off',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
process.on('exit', () => broker.kill('SIGKILL'));
await waitForPort(port);
const mem0 = process.memoryUsage().rss;
t0 = performance.now();
const sim = await createSim({
  mqttUrl: `mqtt://127.0.0.1:${port}`,
  registry,
  tokenFor: (id) => demoDeviceToken(id),
  log: pino({ level: 'silent' }),
  epanet,
  healthy,
  start: Date.now() - 86_400_000,
  speed: PUBLISH_SPEED,
  firstWithinMs: 10_000,
});
await new Promise((r) => setTimeout(r, 15_000));
const [g0, p0, w0] = [sim.generated(), sim.published(), performance.now()];
out(
  `publishing: ${devices.length.toLocaleString('en-US')} devices connecting while their first readings went out (${((w0 - t0) / 1000).toFixed(0)} s)`,
);
await new Promise((r) => setTimeout(r, PUBLISH_S * 1000));
const secs = (performance.now() - w0) / 1000;
const [generated, published] = [sim.generated() - g0, sim.published() - p0];
out(
  `replay at ${PUBLISH_SPEED}× for ${secs.toFixed(0)} s: generated ${Math.round(generated / secs).toLocaleString('en-US')} readings/s, ` +
    `published (PUBACK) ${Math.round(published / secs).toLocaleString('en-US')} readings/s to the broker process`,
);
out(
  `simulator memory: ${((process.memoryUsage().rss - mem0) / 1024 / 1024).toFixed(0)} MiB more resident with ${devices.length.toLocaleString('en-US')} connections`,
);
await Promise.race([sim.stop(), new Promise((r) => setTimeout(r, 15_000))]);
broker.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
process.exit(0);
