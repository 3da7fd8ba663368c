/** Password hashing with scrypt from node:crypto: a self-describing string, checked in constant time. */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { createWorkGate } from './work-gate.js';

// OWASP Password Storage Cheat Sheet (scrypt): N=2^14, r=8, p=5 is one of its equivalent minimums;
// it needs 16 MiB per hash, which a small server signing in a few people at a time can afford.
const PARAMS = { N: 2 ** 14, r: 8, p: 5 } as const;
const KEY_LENGTH = 32;
const maxmem = (o: { N: number; r: number; p: number }) => 256 * o.N * o.r + 128 * o.r * o.p + 1024 * 1024;

/**
 * One derivation at a time, at most DERIVE_QUEUE waiting; beyond that a sign-in is refused as busy
 * (GateFullError). Each takes 16 MiB and tens of ms on libuv's thread pool (4 threads), which the store's
 * WAL syncs share: a device's PUBACK waits on one. A flood of sign-ins must not take the pool over.
 */
const DERIVE_QUEUE = 32;
export const derivations = createWorkGate(1, DERIVE_QUEUE);

/** `bounded`: a sign-in, refused when too many wait; otherwise (making an account) it waits its turn. */
function derive(
  password: string,
  salt: Buffer,
  o: { N: number; r: number; p: number },
  bounded: boolean,
): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: maxmem(o) };
  return derivations[bounded ? 'run' : 'queue'](
    () =>
      new Promise((resolve, reject) =>
        scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (e, key) =>
          e ? reject(e) : resolve(key),
        ),
      ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64), so stronger parameters can come later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, false);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const o = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), o, true);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of nothing anyone knows: checked when the name is unknown, so timing does not reveal names. */
export const DUMMY_HASH = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;
