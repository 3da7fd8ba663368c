/** Reads and validates the registry file named by the configuration (or the bundled demo registry). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRegistryText, type Registry } from '../core/registry.js';
import { err, ok, type Result } from '../core/result.js';

export const DEMO_REGISTRY_PATH = fileURLToPath(
  new URL('../devices-sim/demo-registry.json', import.meta.url),
);

/**
 * The registry a single service runs: the file given, or the demo registry only when asked for with
 * `--demo` (its keys are derived from a published secret, so anyone could use them).
 */
export function requireRegistryChoice(registry: string | null, demo: boolean): Result<string | null> {
  if (registry !== null || demo) return ok(registry);
  return err([
    {
      path: 'REGISTRY',
      message:
        'no registry: set REGISTRY=FILE or pass --registry FILE (or --demo / DEMO=1 to try the bundled demo registry, whose keys anyone can derive)',
    },
  ]);
}

export function loadRegistry(path: string | null): Result<Registry> {
  const file = path ?? DEMO_REGISTRY_PATH;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return err([{ path: '--registry', message: `cannot read registry ${file}: ${(e as Error).message}` }]);
  }
  const parsed = parseRegistryText(text);
  if (parsed.ok) return parsed;
  return err(parsed.issues.map((i) => ({ path: i.path ? `${file}: ${i.path}` : file, message: i.message })));
}
