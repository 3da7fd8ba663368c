/** Runs Debian's mosquitto_pub / mosquitto_sub against a test broker: a third-party MQTT client. */
import { spawn } from 'node:child_process';

export interface ClientRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Resolves when the process exits, or kills it after `timeoutMs` (code is then null). */
export function runMosquitto(
  cmd: 'mosquitto_pub' | 'mosquitto_sub',
  url: string,
  args: string[],
  timeoutMs = 10_000,
): Promise<ClientRun> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, ['-h', hostname, '-p', port, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
