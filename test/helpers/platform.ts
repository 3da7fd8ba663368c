/** Starts the whole platform in-process on free ports with a temp embedded store, for end-to-end tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startPlatform } from '../../bin/platform.js';
import { parseConfig } from '../../core/config.js';
import { parseRegistry, type Registry } from '../../core/registry.js';
import type { RegistryFile } from '../../core/registry-schema.js';
import { createSqliteStore } from '../../store/sqlite-store.js';

export interface TestPlatform {
  registry: Registry;
  mqttUrl: string;
  httpUrl: string;
  /** The data folder: the embedded store is `waterline.db` in it. */
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestPlatform(
  file: RegistryFile,
  opts: { sim: boolean; host?: string },
): Promise<TestPlatform> {
  const parsed = parseRegistry(file);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const dir = mkdtempSync(join(tmpdir(), 'wl-e2e-'));
  const host = opts.host ?? '127.0.0.1';
  const flags = ['--mqtt-port', '0', '--http-port', '0', '--host', host, '--data', dir];
  const config = parseConfig(opts.sim ? flags : [...flags, '--no-sim'], {});
  if (!config.ok) throw new Error(JSON.stringify(config.issues));
  const store = createSqliteStore({ path: join(dir, 'waterline.db') });
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const platform = await startPlatform({ config: config.value, registry: parsed.value, store, log });
  return {
    registry: parsed.value,
    mqttUrl: `mqtt://${host}:${platform.mqttPort}`,
    httpUrl: `http://${host}:${platform.httpPort}`,
    dataDir: dir,
    async stop() {
      await platform.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
