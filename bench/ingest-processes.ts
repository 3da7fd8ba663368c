/** The processes an ingest benchmark runs: the broker (`npm run broker`), waterline's ingest, the baseline pipeline. */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/ingest-process.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const PASSWORD = 'bench-service-password';

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(
  probe: () => Promise<boolean> | boolean,
  what: string,
  ms = 120_000,
): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await probe())) {
    if (performance.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(10);
  }
}

function run(script: string, env: Record<string, string>, ipc = false): ChildProcess {
  const options = { cwd: ROOT, env: { ...process.env, ...env } };
  const child = ipc
    ? fork(script, [], { ...options, execArgv: ['--import', 'tsx'], stdio: 'inherit' })
    : spawn(process.execPath, ['--import', 'tsx', script], { ...options, stdio: 'inherit' });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export interface Running {
  pid: number;
  stop(): Promise<void>;
}

export async function startBroker(registryPath: string): Promise<Running & { url: string }> {
  const port = await freePort();
  const child = run('broker/main.ts', {
    MQTT_PORT: String(port),
    HOST: '127.0.0.1',
    WS_PORT: 'off',
    REGISTRY: registryPath,
    INGEST_PASSWORD: PASSWORD,
    API_PASSWORD: PASSWORD,
    DEVICE_RATE: '0',
    LOG_LEVEL: 'warn',
    // The broker alone, relaying telemetry to the subscriber pipelines under test.
    INGEST: 'off',
  });
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
  await until(listening, 'broker listening');
  return { url: `mqtt://127.0.0.1:${port}`, pid: child.pid!, stop: () => stop(child) };
}

export interface Pipeline extends Running {
  /** Readings the pipeline has written to its store so far (its own count). */
  stored(): Promise<number>;
  /** Its Prometheus text, when it serves one. */
  metrics?(): Promise<string>;
}

/**
 * The upper bound of the histogram bucket holding quantile `q` of the observations since `before` (the
 * same histogram's text earlier): coarse, but it is ingest's own view of where the time goes.
 */
export function bucketQuantile(text: string, before: string, name: string, q: number): number {
  const buckets = (t: string) =>
    [...t.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))].map(
      (m) => [Number(m[1] === '+Inf' ? Number.POSITIVE_INFINITY : m[1]), Number(m[2])] as const,
    );
  const now = buckets(text);
  const then = new Map(buckets(before));
  const counts = now.map(([le, n]) => [le, n - (then.get(le) ?? 0)] as const);
  const total = counts[counts.length - 1]?.[1] ?? 0;
  if (total === 0) return Number.NaN;
  return counts.find(([, n]) => n >= q * total)?.[0] ?? Number.POSITIVE_INFINITY;
}

/** The background load (ingest-load-process.ts): `rate` Readings/s from the first `devices` bench devices. */
export async function startLoad(
  url: string,
  devices: number,
  rate: number,
): Promise<Running & { published(): number }> {
  const child = run(
    'bench/ingest-load-process.ts',
    { MQTT_URL: url, DEVICES: String(devices), RATE: String(rate) },
    true,
  );
  let published = 0;
  let ready = false;
  child.on('message', (m: { published?: number; ready?: boolean }) => {
    if (m.published !== undefined) published = m.published;
    if (m.ready) ready = true;
  });
  await until(() => ready, 'load connected');
  return { pid: child.pid!, published: () => published, stop: () => stop(child) };
}

export async function startBaseline(url: string, influxUrl: string): Promise<Pipeline> {
  const child = run(
    'bench/ingest-baseline.ts',
    { MQTT_URL: url, INGEST_PASSWORD: PASSWORD, INFLUX_URL: influxUrl, INFLUX_DB: 'baseline' },
    true,
  );
  let stored = 0;
  let ready = false;
  child.on('message', (m: { stored?: number; ready?: boolean }) => {
    if (m.stored !== undefined) stored = m.stored;
    if (m.ready) ready = true;
  });
  await until(() => ready, 'baseline subscribed');
  return { pid: child.pid!, stored: async () => stored, stop: () => stop(child) };
}

/** `npm run ingest` with the given store: InfluxDB at `influxUrl`, or the embedded store in `dataDir`. */
export async function startIngest(
  url: string,
  registryPath: string,
  dataDir: string,
  influxUrl: string | null,
): Promise<Pipeline> {
  const port = await freePort();
  const env: Record<string, string> = {
    MQTT_URL: url,
    INGEST_PASSWORD: PASSWORD,
    REGISTRY: registryPath,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    INGEST_METRICS_PORT: String(port),
  };
  if (influxUrl) Object.assign(env, { INFLUX_URL: influxUrl, INFLUX_BUCKET: 'waterline' });
  const child = run('ingest/main.ts', env);
  const text = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const metric = async (name: string): Promise<number> => {
    try {
      return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await text())?.[1] ?? Number.NaN);
    } catch {
      return Number.NaN;
    }
  };
  await until(async () => (await metric('waterline_ingest_connected')) === 1, 'ingest connected');
  return {
    pid: child.pid!,
    stored: () => metric('waterline_ingest_readings_stored_total'),
    metrics: text,
    stop: () => stop(child),
  };
}
