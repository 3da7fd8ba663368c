/** The bundled demo registry keyed by this data folder's demo secret, for every entry point that loads it. */
import { resolve } from 'node:path';
import type { Registry } from '../core/registry.js';
import { rekeyDemoRegistry } from '../devices-sim/demo-rekey.js';
import { type DemoSecret, loadOrCreateDemoSecret } from './demo-secret-file.js';
import { DEMO_REGISTRY_PATH } from './load-registry.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Whether `path` (the --registry value) means the bundled demo registry. */
export const isDemoRegistry = (path: string | null): boolean =>
  path === null || resolve(path) === DEMO_REGISTRY_PATH;

/**
 * The demo registry with keys and tokens derived from the data folder's secret (made on first use);
 * any other registry unchanged. Services sharing a data folder (docker-compose) so agree on them.
 */
export function keyDemoRegistry(
  registry: Registry,
  path: string | null,
  dataDir: string,
  env: Env,
): { registry: Registry; demo: DemoSecret | null } {
  if (!isDemoRegistry(path)) return { registry, demo: null };
  const demo = loadOrCreateDemoSecret(dataDir, env.DEMO_SECRET || undefined);
  return { registry: rekeyDemoRegistry(registry, demo.secret), demo };
}

/** For a registry reload (SIGHUP): the new registry keyed the same way, so the demo's published hashes never return. */
export const keyedOnReload =
  (config: { registry: string | null; dataDir: string }, env: Env, apply: (registry: Registry) => void) =>
  (raw: Registry): void =>
    apply(keyDemoRegistry(raw, config.registry, config.dataDir, env).registry);
