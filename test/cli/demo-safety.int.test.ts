/** The demo is private by default: its own random secret per data folder, keys printed, loopback only. */
import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_SECRET, demoApiKey } from '../../devices-sim/demo-secret.js';
import { type DemoProcess, readCredentials, startDemo } from './demo-process.js';

/** Whether a TCP connection to host:port is accepted (refused or timed out = false). */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 3000 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
  });
}

/** The local addresses of this machine's listening TCP sockets on `port`, from the kernel's table. */
function listeningAddresses(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue; // 0A = LISTEN
      const [addr, portHex] = local.split(':');
      if (Number.parseInt(portHex!, 16) !== port) continue;
      out.push(addr!.length === 8 ? ipv4(addr!) : addr!);
    }
  }
  return out;
}
const ipv4 = (hex: string) => [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join('.');

describe('npm start with the demo registry', () => {
  let a: DemoProcess;
  let b: DemoProcess;
  let open: DemoProcess;

  beforeAll(async () => {
    [a, b, open] = await Promise.all([startDemo(), startDemo(), startDemo(['--host', '0.0.0.0'])]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), open?.stop()]);
  });

  it('makes a random secret for each fresh data folder, readable by its owner only, so two demos share no key', () => {
    const secretA = readFileSync(join(a.dataDir, 'demo-secret'), 'utf8');
    const secretB = readFileSync(join(b.dataDir, 'demo-secret'), 'utf8');
    expect(secretA.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(secretA).not.toBe(secretB);
    expect(statSync(join(a.dataDir, 'demo-secret')).mode & 0o777).toBe(0o600);
    expect(statSync(a.credentialsFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(a.dataDir, 'users.db')).mode & 0o777).toBe(0o600);
    const keysA = readCredentials(readFileSync(a.credentialsFile, 'utf8')).map((r) => r.key);
    const keysB = new Set(readCredentials(readFileSync(b.credentialsFile, 'utf8')).map((r) => r.key));
    expect(keysA.length).toBeGreaterThan(2);
    for (const k of keysA) expect(keysB.has(k)).toBe(false);
  });

  it('refuses the admin key of the published demo secret', async () => {
    const published = demoApiKey('demo-admin', DEFAULT_DEMO_SECRET);
    const res = await fetch(`${a.httpUrl}/api/v1/devices`, {
      headers: { authorization: `Bearer ${published}` },
    });
    expect(res.status).toBe(401);
  });

  it('prints the admin and planner keys and passwords and lists one operator per county in a file', async () => {
    expect(a.accounts.map((x) => x.role)).toEqual(expect.arrayContaining(['admin', 'viewer', 'operator']));
    const rows = readCredentials(readFileSync(a.credentialsFile, 'utf8'));
    const counties = rows.filter((r) => r.role === 'operator').map((r) => r.counties);
    expect(new Set(counties).size).toBe(22);
    for (const row of rows) {
      const res = await fetch(`${a.httpUrl}/ui/session`, { headers: { authorization: `Bearer ${row.key}` } });
      expect(res.status, row.keyId).toBe(200);
      const signIn = await fetch(`${a.httpUrl}/ui/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: row.user, password: row.password }),
      });
      expect(signIn.status, row.user).toBe(200);
    }
    // The other folder's admin key is refused here.
    const other = b.accounts.find((x) => x.role === 'admin')!;
    const res = await fetch(`${a.httpUrl}/api/v1/devices`, {
      headers: { authorization: `Bearer ${other.key}` },
    });
    expect(res.status).toBe(401);
  }, 120_000);

  it('listens on loopback only without --host, and on every interface with --host 0.0.0.0', async () => {
    expect(listeningAddresses(a.httpPort)).toEqual(['127.0.0.1']);
    expect(await reachable('127.0.0.1', a.httpPort)).toBe(true);
    // 127.0.0.2 is another address of this machine: a socket bound to every interface accepts there,
    // one bound to 127.0.0.1 does not (no traffic leaves the machine to prove it).
    expect(await reachable('127.0.0.2', a.httpPort)).toBe(false);
    expect(listeningAddresses(open.httpPort).some((x) => x === '0.0.0.0' || /^0+$/.test(x))).toBe(true);
    expect(await reachable('127.0.0.2', open.httpPort)).toBe(true);
  });
});
