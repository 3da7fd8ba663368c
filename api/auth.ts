/** Bearer-key authentication and the role and county checks every route applies. */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Registry } from '../core/registry.js';
import type { ApiKey } from '../core/registry-schema.js';
import { forbidden, unauthorized } from './problem.js';

export type ApiEnv = { Variables: { key: ApiKey } };

/**
 * Keys are looked up by their SHA-256: the map lookup on a digest reveals nothing useful through
 * timing, since an attacker cannot choose digests (CONTRACT §7).
 */
export function requireKey(registry: () => Registry): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) throw unauthorized('an Authorization: Bearer <key> header is required');
    const digest = createHash('sha256').update(m[1]!).digest('hex');
    const key = registry().apiKeysByHash.get(digest);
    if (!key) throw unauthorized('unknown API key');
    c.set('key', key);
    await next();
  };
}

/** Whether a key may see a county's alerts and devices. */
export function seesCounty(key: ApiKey, countyId: string): boolean {
  if (key.role !== 'operator' || key.counties === undefined) return true;
  return key.counties.includes(countyId);
}

export function assertCounty(key: ApiKey, countyId: string, what: string): void {
  if (!seesCounty(key, countyId))
    throw forbidden(`key "${key.id}" has no access to ${what} of county "${countyId}"`);
}
