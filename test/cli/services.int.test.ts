/** The split services (`npm run broker|ingest|api|sim`) never fall back to the demo registry unless asked to. */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVICE_PASSWORDS } from '../helpers/broker.js';
import { nodeScript } from '../helpers/npm-script.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVICES = {
  broker: 'broker/main.ts',
  ingest: 'ingest/main.ts',
  api: 'api/main.ts',
  sim: 'devices-sim/main.ts',
} as const;

const baseEnv = () => {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'info' };
  delete env.REGISTRY;
  delete env.DEMO;
  return env;
};

const run = (service: keyof typeof SERVICES, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', SERVICES[service], ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...baseEnv(), ...env },
  });

describe('a single service without a registry', () => {
  for (const service of Object.keys(SERVICES) as (keyof typeof SERVICES)[]) {
    it(`npm run ${service} exits 2 naming REGISTRY and --registry, instead of running the demo registry`, () => {
      const r = run(service, []);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('no registry: set REGISTRY=FILE or pass --registry FILE');
      expect(r.stderr).toContain('--demo');
      expect(r.stdout).not.toContain('listening');
    });
  }

  it('refuses --demo together with a registry file, naming both', () => {
    const r = run('api', ['--demo'], { REGISTRY: '/config/registry.json' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--demo (DEMO) and --registry (REGISTRY) exclude each other');
  });
});

describe('a single service asked for the demo', () => {
  it('runs the demo registry with --demo or DEMO=1', async () => {
    for (const how of [
      { args: ['--demo'], env: {} },
      { args: [], env: { DEMO: '1' } },
    ]) {
      // Exactly what `npm run broker` runs: the bundle its pre-script builds, with its V8 flags.
      const child = spawn(process.execPath, [...nodeScript('broker'), ...how.args], {
        cwd: ROOT,
        env: {
          ...baseEnv(),
          ...how.env,
          MQTT_PORT: '0',
          WS_PORT: 'off',
          HOST: '127.0.0.1',
          INGEST_PASSWORD: SERVICE_PASSWORDS.ingest,
          API_PASSWORD: SERVICE_PASSWORDS.api,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
      });
      child.stderr.on('data', (b: Buffer) => {
        out += b.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const listening = await Promise.race([
        new Promise<boolean>((resolve) => {
          const check = () => (out.includes('broker listening') ? resolve(true) : undefined);
          child.stdout.on('data', check);
        }),
        exited.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
      ]);
      child.kill('SIGTERM');
      await exited;
      expect(listening, out).toBe(true);
    }
  });
});
