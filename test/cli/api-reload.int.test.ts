/** `npm run api` re-reads the registry on SIGHUP: revoked keys stop working, an invalid file is refused. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../devices-sim/demo-secret.js';
import { SERVICE_PASSWORDS, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { freePort } from '../helpers/ingest-process.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';
import { waitFor } from '../helpers/wait-for.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NEW_KEY = 'wl-rotated-planner-key';

describe('npm run api with SIGHUP', () => {
  let broker: TestBroker;
  let dir: string;
  beforeAll(async () => {
    broker = await startTestBroker();
    dir = mkdtempSync(join(tmpdir(), 'wl-api-reload-'));
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('refuses a revoked key and accepts a new one without a restart, and keeps the registry when the new one is invalid', async () => {
    const registryPath = join(dir, 'registry.json');
    writeFileSync(registryPath, JSON.stringify(smallRegistry()));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        REGISTRY: registryPath,
        DEMO: '',
        MQTT_URL: broker.url,
        API_PASSWORD: SERVICE_PASSWORDS.api,
        DATA_DIR: join(dir, 'data'),
        HTTP_PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      output += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const status = async (key: string) =>
        (
          await fetch(`http://127.0.0.1:${port}/api/v1/devices`, {
            headers: { authorization: `Bearer ${key}` },
            signal: AbortSignal.timeout(5_000),
          })
        ).status;
      await waitFor(async () => (await status(apiKey('planner'))) === 200, 'the API to serve the planner');
      expect(await status(NEW_KEY)).toBe(401);

      // Revoke the planner's key and add a new viewer key.
      const next = smallRegistry();
      next.apiKeys = next.apiKeys.filter((k) => k.id !== 'planner');
      next.apiKeys.push({ id: 'planner-2', role: 'viewer', keySha256: sha256Hex(NEW_KEY) });
      writeFileSync(registryPath, JSON.stringify(next));
      child.kill('SIGHUP');
      await waitFor(async () => (await status(NEW_KEY)) === 200, 'the new key to be accepted');
      expect(await status(apiKey('planner'))).toBe(401);

      // An invalid registry is refused and logged; the one in force stays.
      const broken = smallRegistry();
      broken.devices[0]!.site = 'nowhere';
      writeFileSync(registryPath, JSON.stringify(broken));
      child.kill('SIGHUP');
      await waitFor(async () => output.includes('registry reload refused'), 'the refusal to be logged');
      expect(output).toContain('devices[0].site: unknown site');
      expect(await status(NEW_KEY)).toBe(200);
      expect(await status(apiKey('demo-admin'))).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
