/** Starts the brokers under test as child processes: waterline's (Node) and Debian's Mosquitto. */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BrokerProcess {
  name: string;
  port: number;
  pid: number;
  /** Resident memory in bytes (after a full GC for Node). */
  rss(): Promise<number>;
  /** V8 heap in use, for Node only. */
  heapUsed(): Promise<number | null>;
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** utime + stime from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux). */
export function procCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** VmRSS from /proc: the same measure for both brokers. */
export function procRss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function kill(child: ChildProcess): Promise<void> {
  const done = exited(child);
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    process.kill(child.pid, 'SIGKILL');
  }
  await done;
}

/** The V8 flags `npm run broker` uses (package.json); BENCH_NODE_FLAGS overrides them to compare. */
export const WATERLINE_NODE_FLAGS = (
  process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=1 --heap-growing-percent=20'
)
  .split(' ')
  .filter(Boolean);

export async function startWaterline(nodeFlags: string[] = WATERLINE_NODE_FLAGS): Promise<BrokerProcess> {
  const child = fork(join(here, 'broker-server.ts'), [], {
    execArgv: ['--expose-gc', ...nodeFlags, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`broker-server exited with ${code}`)));
  });
  const ask = () =>
    new Promise<NodeJS.MemoryUsage>((resolve) => {
      child.once('message', (m) => resolve((m as { memory: NodeJS.MemoryUsage }).memory));
      child.send('memory');
    });
  return {
    name: 'waterline (Aedes)',
    port,
    pid: child.pid!,
    rss: async () => {
      await ask(); // a full GC first, so the figure is what is retained, not garbage not yet collected
      return procRss(child.pid!);
    },
    heapUsed: async () => (await ask()).heapUsed,
    cpuSeconds: () => procCpuSeconds(child.pid!),
    stop: async () => {
      child.send('stop');
      const timer = setTimeout(() => void kill(child), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const a = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  if (!a || typeof a === 'string') throw new Error('no port');
  return a.port;
}

/**
 * Mosquitto as Debian ships it, anonymous, loopback only, with three settings for a like-for-like run:
 * TCP_NODELAY as waterline sets it, and no cap on in-flight or queued QoS 1 messages per client
 * (defaults 20 and 1000), so it delivers everything as Aedes does instead of dropping past the queue.
 */
export async function startMosquitto(): Promise<BrokerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'wl-bench-mosquitto-'));
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'set_tcp_nodelay true',
      'max_inflight_messages 0',
      'max_queued_messages 0',
      'log_dest stderr',
      'log_type error',
    ].join('\n'),
  );
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true)); // port taken: mosquitto is listening
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('mosquitto did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    name: 'mosquitto',
    port,
    pid: child.pid!,
    rss: async () => procRss(child.pid!),
    heapUsed: async () => null,
    cpuSeconds: () => procCpuSeconds(child.pid!),
    stop: async () => {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
