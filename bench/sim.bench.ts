/**
 * `npm run bench -- sim`: the simulator's costs. One hydraulic and chlorine solve of the largest demo
 * scheme; readings generated per second for 10,000+ devices; and readings published per second through
 * a real broker, every device on its own MQTT connection with its own credentials.
 */
import { performance } from 'node:perf_hooks';
import { Workspace } from 'epanet-js';
import { pino } from 'pino';
import { loadRegistry } from '../bin/load-registry.js';
import { createBroker } from '../broker/create-broker.js';
import { listenTcp } from '../broker/listen.js';
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
epanet.solve(net, day);
const solves: number[] = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  epanet.solve(net, day);
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

// 3. Published through a real broker: connections with their own credentials, QoS 1, PUBACKs counted.
const log = pino({ level: 'silent' });
const broker = await createBroker({ registry: () => registry, services: {}, log });
const listener = await listenTcp(broker, 0, '127.0.0.1');
const mem0 = process.memoryUsage().rss;
t0 = performance.now();
const sim = await createSim({
  mqttUrl: `mqtt://127.0.0.1:${listener.port}`,
  registry,
  tokenFor: (id) => demoDeviceToken(id),
  log,
  epanet,
  healthy,
  start: Date.now() - 86_400_000,
  speed: PUBLISH_SPEED,
  firstWithinMs: 10_000,
});
await new Promise((r) => setTimeout(r, 10_000));
const [g0, p0, w0] = [sim.generated(), sim.published(), performance.now()];
out(
  `publishing: ${devices.length.toLocaleString('en-US')} connections opened while the first readings went out (${((w0 - t0) / 1000).toFixed(0)} s)`,
);
await new Promise((r) => setTimeout(r, PUBLISH_S * 1000));
const secs = (performance.now() - w0) / 1000;
const [generated, published] = [sim.generated() - g0, sim.published() - p0];
out(
  `replay at ${PUBLISH_SPEED}× for ${secs.toFixed(0)} s: generated ${Math.round(generated / secs).toLocaleString('en-US')} readings/s, ` +
    `published (PUBACK) ${Math.round(published / secs).toLocaleString('en-US')} readings/s; broker in the same process`,
);
out(
  `memory: ${((process.memoryUsage().rss - mem0) / 1024 / 1024).toFixed(0)} MiB more resident for the simulated devices and broker sessions`,
);
await sim.stop();
await listener.close();
await broker.close();
process.exit(0);
