/** Resolves MQTT credentials to an Identity: devices by token hash, API keys, service accounts. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Identity, SERVICES, type ServiceName } from '../core/acl.js';
import type { Registry } from '../core/registry.js';

export const sha256Hex = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

/** Constant-time comparison of two hex digests, so response timing leaks nothing about a token. */
export function digestEquals(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

export type ServicePasswords = Readonly<Partial<Record<ServiceName, string>>>;

/**
 * The identity the credentials prove, with the sha-256 of the password (kept to re-check the connection
 * against a reloaded registry). For a device or an API key that digest is the registry's own string,
 * equal to the password's: 10,000 connected devices then hold no copy of it.
 */
export function resolveIdentity(
  registry: Registry,
  services: ServicePasswords,
  username: string,
  password: Uint8Array,
): { identity: Identity; digest: string } | null {
  const hash = sha256Hex(password);
  if (username.startsWith('svc:')) {
    const name = username.slice(4) as ServiceName;
    const expected = SERVICES.includes(name) ? services[name] : undefined;
    return expected !== undefined && digestEquals(hash, sha256Hex(expected))
      ? { identity: { kind: 'service', service: name }, digest: hash }
      : null;
  }
  if (username.startsWith('key:')) {
    const key = registry.file.apiKeys.find((k) => k.id === username.slice(4));
    return key && digestEquals(hash, key.keySha256)
      ? { identity: { kind: 'watcher', key }, digest: key.keySha256 }
      : null;
  }
  const device = registry.devices.get(username);
  return device && digestEquals(hash, device.tokenSha256)
    ? { identity: { kind: 'device', deviceId: device.id }, digest: device.tokenSha256 }
    : null;
}
