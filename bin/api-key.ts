/** The API key `npm start` prints: the demo admin key for the demo registry, else a key for this run only. */
import { randomBytes } from 'node:crypto';
import type { Registry } from '../core/registry.js';
import { demoApiKey, sha256Hex } from '../devices-sim/demo-secret.js';

export interface PrintedKey {
  key: string;
  registry: Registry;
  note: string;
}

export function keyToPrint(registry: Registry, demoSecret?: string): PrintedKey {
  const demo = demoApiKey('demo-admin', demoSecret);
  if (registry.apiKeysByHash.get(sha256Hex(demo))?.id === 'demo-admin') {
    return {
      key: demo,
      registry,
      note: 'demo admin key; every demo key is listed above',
    };
  }
  // A registry of real keys holds only their hashes: add an admin key valid until this process exits,
  // so whoever started the platform can use it at once.
  const key = `wl-run-${randomBytes(18).toString('hex')}`;
  const hash = sha256Hex(key);
  const apiKey = { id: 'run-admin', role: 'admin' as const, keySha256: hash };
  const apiKeysByHash = new Map(registry.apiKeysByHash).set(hash, apiKey);
  return { key, registry: { ...registry, apiKeysByHash }, note: 'admin key for this run only' };
}
