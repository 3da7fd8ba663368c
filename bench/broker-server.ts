/** Child process for the benchmark: waterline's broker on a free loopback port, reporting its memory. */
import { pino } from 'pino';
import { createBroker } from '../broker/create-broker.js';
import { listenTcp } from '../broker/listen.js';
import { parseRegistry } from '../core/registry.js';
import { BENCH_INGEST_PASSWORD, benchRegistry } from './broker-fixture.js';

const devices = Number(process.env.BENCH_DEVICES ?? 5100);
const registry = parseRegistry(benchRegistry(devices));
if (!registry.ok) throw new Error(`bench registry invalid: ${JSON.stringify(registry.issues[0])}`);
const reg = registry.value;
const broker = await createBroker({
  registry: () => reg,
  services: { ingest: BENCH_INGEST_PASSWORD, api: 'bench-api-password' },
  log: pino({ level: 'warn' }),
  // The limiter runs on every publish, but with a ceiling the benchmark never reaches: it measures the broker.
  deviceRate: { perSecond: 1e9, burst: 1e9 },
});
const listener = await listenTcp(broker, 0, '127.0.0.1');

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (m: string) => {
  if (m === 'memory') {
    gc?.();
    gc?.();
    process.send?.({ memory: process.memoryUsage(), clients: broker.connectedDevices().size });
  } else if (m === 'stop') {
    void Promise.all([listener.close(), broker.close()]).then(() => process.exit(0));
  }
});
process.send?.({ port: listener.port });
