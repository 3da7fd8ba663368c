/** What a registry reload takes away: identities whose credentials or rights are gone or changed. */
import type { Registry } from './registry.js';

export interface Revoked {
  /** Devices removed, or whose token changed: their open connections must go. */
  devices: string[];
  /** API key ids removed, or whose key, role or counties changed. */
  apiKeys: string[];
}

/**
 * Identities present in `old` and absent or changed in `next`, sorted. An API key's changed role or
 * counties counts as a revocation too, so a watcher's subscriptions never outlive the rights they
 * were granted under.
 */
export function revokedIdentities(old: Registry, next: Registry): Revoked {
  const devices: string[] = [];
  for (const [id, d] of old.devices) {
    const n = next.devices.get(id);
    // A device's MQTT rights are its own topics, fixed by its id: only its token can take them away.
    if (!n || n.tokenSha256 !== d.tokenSha256) devices.push(id);
  }
  const nextKeys = new Map(next.file.apiKeys.map((k) => [k.id, k]));
  const apiKeys: string[] = [];
  for (const k of old.file.apiKeys) {
    const n = nextKeys.get(k.id);
    const counties = (c: readonly string[] | undefined) => (c === undefined ? '*' : [...c].sort().join());
    if (
      !n ||
      n.keySha256 !== k.keySha256 ||
      n.role !== k.role ||
      counties(n.counties) !== counties(k.counties)
    )
      apiKeys.push(k.id);
  }
  return { devices: devices.sort(), apiKeys: apiKeys.sort() };
}
