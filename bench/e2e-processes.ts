/** The platform under the end-to-end benchmark: `npm start` (start.ts --no-sim) as its own process, embedded or with InfluxDB. */
import { spawn } from 'node:child_process';
import { freePort } from '../test/helpers/ingest-process.js';
import { nodeScript } from '../test/helpers/npm-script.js';
import { PASSWORD, type Pipeline, stop, until } from './ingest-processes.js';

export interface PlatformProcess extends Pipeline {
  url: string;
}

/** Starts the platform on free ports and resolves once /readyz answers 200. */
export async function startPlatformProcess(opts: {
  registryPath: string;
  dataDir: string;
  influxUrl?: string;
  bucket?: string;
}): Promise<PlatformProcess> {
  const [mqttPort, httpPort] = [await freePort(), await freePort()];
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    LOG_LEVEL: 'warn',
    WS_PORT: 'off',
    DEVICE_RATE: '0',
    INGEST_PASSWORD: PASSWORD,
    API_PASSWORD: PASSWORD,
  };
  if (opts.influxUrl) Object.assign(env, { INFLUX_URL: opts.influxUrl, INFLUX_BUCKET: opts.bucket ?? 'e2e' });
  // What `npm start` runs (node's flags, the tsx loader, start.ts), then the flags for this run.
  const args = [
    ...nodeScript('start'),
    '--no-sim',
    '--host',
    '127.0.0.1',
    '--data',
    opts.dataDir,
    '--registry',
    opts.registryPath,
  ];
  args.push('--mqtt-port', String(mqttPort), '--http-port', String(httpPort));
  // BENCH_NODE_FLAGS adds V8/Node flags to the platform under test (--cpu-prof, --trace-gc: then
  // BENCH_CHILD_STDOUT=1 shows its output).
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), ...args],
    {
      env,
      stdio: ['ignore', process.env.BENCH_CHILD_STDOUT ? 'inherit' : 'ignore', 'inherit'],
    },
  );
  process.on('exit', () => child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${httpPort}`;
  await until(
    async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200,
    'platform ready',
  );
  const text = async () => (await fetch(`${base}/metrics`)).text();
  return {
    url: `mqtt://127.0.0.1:${mqttPort}`,
    pid: child.pid!,
    metrics: text,
    async stored() {
      const m = /^waterline_ingest_readings_stored_total (\S+)$/m.exec(await text().catch(() => ''));
      return m ? Number(m[1]) : Number.NaN;
    },
    stop: () => stop(child),
  };
}

/** `npm run broker` (a node: broker with in-path ingest, embedded store) with the flags package.json gives it. */
export async function startNodeProcess(opts: {
  registryPath: string;
  dataDir: string;
}): Promise<PlatformProcess> {
  const [mqttPort, metricsPort] = [await freePort(), await freePort()];
  const args = nodeScript('broker'); // the bundle `npm run broker` builds and runs, with its V8 flags
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    LOG_LEVEL: 'warn',
    WS_PORT: 'off',
    HOST: '127.0.0.1',
    MQTT_PORT: String(mqttPort),
    REGISTRY: opts.registryPath,
    DATA_DIR: opts.dataDir,
    INGEST_PASSWORD: PASSWORD,
    API_PASSWORD: PASSWORD,
    INGEST_METRICS_PORT: String(metricsPort),
  };
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  const metrics = `http://127.0.0.1:${metricsPort}/metrics`;
  await until(async () => (await fetch(metrics).catch(() => null))?.status === 200, 'node ready');
  const text = async () => (await fetch(metrics)).text();
  return {
    url: `mqtt://127.0.0.1:${mqttPort}`,
    pid: child.pid!,
    metrics: text,
    async stored() {
      const m = /^waterline_ingest_readings_stored_total (\S+)$/m.exec(await text().catch(() => ''));
      return m ? Number(m[1]) : Number.NaN;
    },
    stop: () => stop(child),
  };
}
