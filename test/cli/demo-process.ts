/** Runs `npm start` (start.ts) as a child process on free ports and reads what it prints. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DemoAccountLine {
  role: string;
  user: string;
  password: string;
  key: string;
}

export interface DemoProcess {
  child: ChildProcess;
  dataDir: string;
  stdout: string;
  httpUrl: string;
  httpPort: number;
  accounts: DemoAccountLine[];
  credentialsFile: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 90_000;

export async function startDemo(
  args: string[] = [],
  dataDir = mkdtempSync(join(tmpdir(), 'wl-demo-')),
): Promise<DemoProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'start.ts',
      '--data',
      dataDir,
      '--mqtt-port',
      '0',
      '--http-port',
      '0',
      '--no-sim',
      ...args,
    ],
    {
      env: { ...process.env, REGISTRY: '', DEMO_SECRET: '', HOST: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo not ready:\n${stdout}\n${stderr}`)),
      READY_TIMEOUT_MS,
    );
    const check = () => {
      if (/\n {2}store /.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited ${code}:\n${stdout}\n${stderr}`));
    });
  });
  const http = /HTTP +(http:\/\/\S+)/.exec(stdout);
  if (!http) throw new Error(`no HTTP address in:\n${stdout}`);
  const accounts = [...stdout.matchAll(/^ {2}(\w+) +name (\S+) +password (\S+) +API key (\S+)$/gm)].map(
    (m) => ({
      role: m[1]!,
      user: m[2]!,
      password: m[3]!,
      key: m[4]!,
    }),
  );
  const file = /one operator per county \(\d+\): (\S+)/.exec(stdout);
  return {
    child,
    dataDir,
    stdout,
    httpUrl: http[1]!,
    httpPort: Number(new URL(http[1]!).port),
    accounts,
    credentialsFile: file?.[1] ?? '',
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The credentials file's rows: role, counties, name, password, key id, key. */
export function readCredentials(
  text: string,
): { role: string; counties: string; user: string; password: string; keyId: string; key: string }[] {
  return text
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [role, counties, user, password, keyId, key] = l.trim().split(/\s+/);
      return { role: role!, counties: counties!, user: user!, password: password!, keyId: keyId!, key: key! };
    });
}
