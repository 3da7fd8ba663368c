/** Starts a throwaway InfluxDB 1.x (`influxd run`) in a temp dir on free loopback ports, for tests and benchmarks. */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Debian's 1.6.7 is ready in well under a second; the slack covers a loaded CI machine. */
const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
/** Only the tail of stderr is kept: enough to explain a failed start without unbounded growth. */
const STDERR_KEEP = 16_384;

export interface Influxd {
  /** Base URL, no trailing slash. */
  url: string;
  /** From the `X-Influxdb-Version` header of `GET /ping`. */
  version: string;
  pid: number;
  stop(): Promise<void>;
}

export interface InfluxdOptions {
  /** Path of the `influxd` binary (default: found on the PATH). */
  binary?: string;
  /** `[http] auth-enabled`: the first admin user can then be created without credentials. */
  auth?: boolean;
}

/** Starts influxd and resolves once `GET /ping` answers 204; stops and cleans up if it never does. */
export async function startInfluxd(opts: InfluxdOptions = {}): Promise<Influxd> {
  const binary = opts.binary ?? (await findOnPath('influxd'));
  if (binary === null) throw new Error('influxd is not on the PATH (apt-get install -y influxdb)');
  const dir = await mkdtemp(join(tmpdir(), 'waterline-influxd-'));
  const [rpcPort, httpPort] = await freePorts(2);
  const url = `http://127.0.0.1:${httpPort}`;
  const configFile = join(dir, 'influxdb.conf');
  await writeFile(configFile, influxConfig(dir, rpcPort!, httpPort!, opts.auth ?? false));

  const child = spawn(binary, ['run', '-config', configFile], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
  });
  // If the parent exits without calling stop() (a crash), still do not leave this influxd behind.
  const killOnExit = (): void => {
    if (isRunning(child)) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const stopAndClean = async (): Promise<void> => {
    process.off('exit', killOnExit);
    await stop(child);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitForPing(url, child, () => stderr);
  } catch (error) {
    await stopAndClean();
    throw error;
  }
  const version = (await fetch(`${url}/ping`)).headers.get('x-influxdb-version') ?? 'unknown version';
  return { url, version, pid: child.pid!, stop: stopAndClean };
}

/**
 * Keys as Debian's 1.6.7 reads them (`influxd config` prints the defaults). Debian renamed upstream's
 * `reporting-disabled` to `reporting-enabled`; both are written because unknown keys are ignored.
 * Both listeners are pinned to loopback so the server never clashes with a system InfluxDB.
 */
function influxConfig(dir: string, rpcPort: number, httpPort: number, auth: boolean): string {
  const q = (path: string): string => JSON.stringify(path);
  return `reporting-disabled = true
reporting-enabled = false
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = ${q(join(dir, 'meta'))}

[data]
  dir = ${q(join(dir, 'data'))}
  wal-dir = ${q(join(dir, 'wal'))}
  query-log-enabled = false

[monitor]
  store-enabled = false

[http]
  bind-address = "127.0.0.1:${httpPort}"
  auth-enabled = ${auth}
  log-enabled = false

[logging]
  level = "error"
  suppress-logo = true
`;
}

export async function findOnPath(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this PATH entry; keep looking.
    }
  }
  return null;
}

/** All servers are held open together so the kernel cannot hand out the same port twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('listening socket has no port');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

async function waitForPing(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const exited = new Promise<string>((resolve) => {
    child.once('close', (code, signal) => resolve(`exited early (code ${code}, signal ${signal})`));
    child.once('error', (error) => resolve(`could not be started: ${error.message}`));
  });
  // An object, not a `let`, so the type checker does not narrow it to null across the awaits.
  const state: { failure: string | null } = { failure: null };
  void exited.then((reason) => {
    state.failure = reason;
  });
  while (Date.now() < deadline) {
    if (state.failure !== null) break;
    try {
      const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 204) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const reason = state.failure ?? `did not answer GET /ping with 204 within ${READY_TIMEOUT_MS / 1000} s`;
  throw new Error(`influxd ${reason}; its stderr:\n${stderr() || '(empty)'}`);
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** Stops only the child this module started: SIGTERM, then SIGKILL if it has not exited in time. */
async function stop(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (isRunning(child)) child.kill('SIGKILL');
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
