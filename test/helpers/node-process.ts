/** `npm start` (start.ts) or a node (`npm run broker`, broker/main.ts) as a child process, for kill -9 tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SERVICE_PASSWORDS } from './broker.js';
import { freePort } from './ingest-process.js';
import { waitFor } from './wait-for.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUTPUT_KEEP = 32_768;

export interface NodeProcess {
  child: ChildProcess;
  mqttUrl: string;
  /** The tail of its stdout and stderr. */
  output(): string;
  /** Sends a signal and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface NodeProcessOptions {
  kind: 'platform' | 'node';
  registryPath: string;
  dataDir: string;
  mqttPort?: number;
  env?: Record<string, string>;
}

/** Starts it and resolves once it is ready: /readyz 200 for the platform, /metrics answering for a node. */
export async function spawnNode(opts: NodeProcessOptions): Promise<NodeProcess> {
  const mqttPort = opts.mqttPort ?? (await freePort());
  const httpPort = await freePort();
  const args =
    opts.kind === 'platform'
      ? ['start.ts', '--no-sim', '--host', '127.0.0.1', '--mqtt-port', String(mqttPort)]
      : ['broker/main.ts'];
  if (opts.kind === 'platform') args.push('--http-port', String(httpPort), '--data', opts.dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      REGISTRY: opts.registryPath,
      DATA_DIR: opts.dataDir,
      HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      INGEST_PASSWORD: SERVICE_PASSWORDS.ingest,
      API_PASSWORD: SERVICE_PASSWORDS.api,
      INGEST_METRICS_PORT: String(httpPort),
      WS_PORT: 'off',
      LOG_LEVEL: process.env.TEST_LOG ?? 'warn',
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
  const p: NodeProcess = {
    child,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const probe = opts.kind === 'platform' ? '/readyz' : '/metrics';
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
        const res = await fetch(`http://127.0.0.1:${httpPort}${probe}`).catch(() => null);
        return res?.status === 200;
      },
      `${opts.kind} ready`,
      60_000,
    );
  } catch (e) {
    await p.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${output}`);
  }
  return p;
}
