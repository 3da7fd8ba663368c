/** Bearer-key authentication, failed-attempt limiting, and the role and county checks every route applies. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Registry } from '../core/registry.js';
import type { ApiKey, Role } from '../core/registry-schema.js';
import type { FailureLimiter } from './auth-limiter.js';
import { forbidden, tooManyRequests, unauthorized } from './problem.js';

export type ApiEnv = { Variables: { key: ApiKey } };

/** Real keys are 40-odd characters; hashing megabytes of header for each guess would be a cheap attack. */
const MAX_KEY_LENGTH = 512;

/** The peer address of the connection; `unknown` when the app is called without a socket (app.request()). */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export interface RequireKeyDeps {
  registry: () => Registry;
  limiter: FailureLimiter;
  clock: () => number;
}

/**
 * Keys are looked up by their SHA-256 (CONTRACT §7): the map lookup on a digest reveals nothing useful
 * through timing, since an attacker cannot choose digests, and the final comparison is constant-time.
 * A wrong key counts against the client address; a missing header does not (that is a misconfigured
 * client, not a guess), so its 401 stays visible instead of turning into 429.
 *
 * A valid key always gets in, even from a blocked address: many honest clients share one address
 * behind a NAT, and one of them guessing (or misconfigured) must not lock the others out. Only the
 * blocked address's further wrong keys are refused with 429. That tells a guesser nothing it could
 * use: keys are random and long (the registry stores only their SHA-256), so the limiter is there to
 * bound the work and the noise of a flood of guesses, not to hide which guess was right.
 */
export function requireKey(deps: RequireKeyDeps): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const address = clientAddress(c);
    const now = deps.clock();
    const header = c.req.header('authorization');
    const m = header ? /^Bearer +(\S+)$/i.exec(header) : null;
    if (!m) throw unauthorized('an Authorization: Bearer <key> header is required');
    const presented = m[1]!;
    const key = presented.length > MAX_KEY_LENGTH ? undefined : lookUp(deps.registry(), presented);
    if (!key) {
      const wait = deps.limiter.blockedFor(address, now);
      if (wait > 0)
        throw tooManyRequests(`too many failed key attempts from this address; retry in ${wait} s`, wait);
      deps.limiter.fail(address, now);
      throw unauthorized('unknown API key');
    }
    c.set('key', key);
    await next();
  };
}

function lookUp(registry: Registry, presented: string): ApiKey | undefined {
  const digest = createHash('sha256').update(presented).digest();
  const key = registry.apiKeysByHash.get(digest.toString('hex'));
  return key && timingSafeEqual(Buffer.from(key.keySha256, 'hex'), digest) ? key : undefined;
}

/** Whether a key may see a county's alerts and devices: operators only their `counties`, when listed. */
export function seesCounty(key: ApiKey, countyId: string): boolean {
  if (key.role !== 'operator' || key.counties === undefined) return true;
  return key.counties.includes(countyId);
}

export function assertCounty(key: ApiKey, countyId: string, what: string): void {
  if (!seesCounty(key, countyId))
    throw forbidden(`key "${key.id}" has no access to ${what} of county "${countyId}"`);
}

/** The counties a key is limited to, or undefined for all (what the store's `counties` filter takes). */
export const scopeOf = (key: ApiKey): readonly string[] | undefined =>
  key.role === 'operator' ? key.counties : undefined;

export function assertRole(key: ApiKey, roles: readonly Role[], action: string): void {
  if (!roles.includes(key.role))
    throw forbidden(`key "${key.id}" (role ${key.role}) may not ${action}; that needs ${roles.join(' or ')}`);
}
