/** Reads and validates the registry file named by the configuration (or the bundled demo registry). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRegistryText, type Registry } from '../core/registry.js';
import { err, type Result } from '../core/result.js';

export const DEMO_REGISTRY_PATH = fileURLToPath(
  new URL('../devices-sim/demo-registry.json', import.meta.url),
);

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
