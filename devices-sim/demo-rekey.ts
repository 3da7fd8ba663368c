/** Re-derives the demo registry's device tokens and API keys from a demo secret (the bundled file holds the published one's). */
import { parseRegistry, type Registry } from '../core/registry.js';
import { demoApiKey, demoDeviceToken, sha256Hex } from './demo-secret.js';

/** The same registry with every device token and API key hash derived from `secret`. */
export function rekeyDemoRegistry(registry: Registry, secret: string): Registry {
  const file = registry.file;
  const parsed = parseRegistry({
    ...file,
    devices: file.devices.map((d) => ({ ...d, tokenSha256: sha256Hex(demoDeviceToken(d.id, secret)) })),
    apiKeys: file.apiKeys.map((k) => ({ ...k, keySha256: sha256Hex(demoApiKey(k.id, secret)) })),
  });
  // Only hashes changed, so a registry that was valid stays valid.
  if (!parsed.ok) throw new Error(`re-keyed demo registry is invalid: ${parsed.issues[0]?.message}`);
  return parsed.value;
}
