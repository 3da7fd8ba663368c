/** `ingest/main.ts` as a child process (what `npm run ingest` runs), for kill, restart and outage tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SERVICE_PASSWORDS } from './broker.js';
import { waitFor } from './wait-for.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUTPUT_KEEP = 32_768;

export interface IngestProcess {
  child: ChildProcess;
  /** Prometheus text from the child's /metrics, or null while it does not answer. */
  metrics(): Promise<string | null>;
  /** A counter or gauge from /metrics (first sample), or null. */
  value(name: string): Promise<number | null>;
  /** The tail of its stdout and stderr (pino JSON lines). */
  output(): string;
  /** Sends a signal and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface IngestProcessOptions {
  mqttUrl: string;
  registryPath: string;
  dataDir: string;
  env?: Record<string, string>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts ingest and resolves once it is connected to the broker. */
export async function spawnIngest(opts: IngestProcessOptions): Promise<IngestProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      MQTT_URL: opts.mqttUrl,
      INGEST_PASSWORD: SERVICE_PASSWORDS.ingest,
      REGISTRY: opts.registryPath,
      DATA_DIR: opts.dataDir,
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.TEST_LOG ?? 'warn',
      INGEST_METRICS_PORT: String(port),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEEP);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.once('exit', () => child.kill('SIGKILL'));

  const metrics = async (): Promise<string | null> => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2_000) });
      return res.ok ? await res.text() : null;
    } catch {
      return null;
    }
  };
  const p: IngestProcess = {
    child,
    metrics,
    async value(name) {
      const text = await metrics();
      const m = text === null ? null : new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
      return m ? Number(m[1]) : null;
    },
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  try {
    await waitFor(
      async () => (await p.value('waterline_ingest_connected')) === 1,
      'ingest connected',
      30_000,
    );
  } catch (e) {
    await p.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${output}`);
  }
  return p;
}
