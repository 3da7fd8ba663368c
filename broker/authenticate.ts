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

export function resolveIdentity(
  registry: Registry,
  services: ServicePasswords,
  username: string,
  password: Uint8Array,
): Identity | null {
  const hash = sha256Hex(password);
  if (username.startsWith('svc:')) {
    const name = username.slice(4) as ServiceName;
    const expected = SERVICES.includes(name) ? services[name] : undefined;
    return expected !== undefined && digestEquals(hash, sha256Hex(expected))
      ? { kind: 'service', service: name }
      : null;
  }
  if (username.startsWith('key:')) {
    const key = registry.file.apiKeys.find((k) => k.id === username.slice(4));
    return key && digestEquals(hash, key.keySha256) ? { kind: 'watcher', key } : null;
  }
  const device = registry.devices.get(username);
  return device && digestEquals(hash, device.tokenSha256) ? { kind: 'device', deviceId: device.id } : null;
}
