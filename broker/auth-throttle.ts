/** Slows down refusals for an address with repeated failed logins, so guessing tokens gets expensive. */

export interface AuthThrottleOptions {
  clock: () => number;
  /** Failures allowed without delay: a misconfigured device retrying is not an attack. */
  freeFailures?: number;
  /** First delay; each further failure doubles it, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A failure is forgotten after this long without another one. */
  forgetAfterMs?: number;
  /** Refusals held back at once per address; beyond it the connection is dropped without a CONNACK. */
  maxPending?: number;
}

export type ThrottleDecision = { action: 'refuse'; delayMs: number } | { action: 'drop' };

export interface AuthThrottle {
  /** Records a failed login from `address` and says how to refuse it. */
  failed(address: string): ThrottleDecision;
  /** A delayed refusal has been sent (or its connection went away). */
  settled(address: string): void;
}

interface Entry {
  failures: number;
  last: number;
  pending: number;
}

/**
 * Only refusals are delayed, never a valid login: many devices share one carrier-grade NAT address
 * on 4G, and one broken device must not lock the others out.
 */
export function createAuthThrottle(opts: AuthThrottleOptions): AuthThrottle {
  const free = opts.freeFailures ?? 3;
  const base = opts.baseDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 10_000;
  const forget = opts.forgetAfterMs ?? 10 * 60_000;
  const maxPending = opts.maxPending ?? 20;
  const entries = new Map<string, Entry>();

  const sweep = (now: number) => {
    // Bounded memory under a spray of addresses: old entries go whenever the map grows large.
    if (entries.size < 10_000) return;
    for (const [k, e] of entries) if (now - e.last > forget && e.pending === 0) entries.delete(k);
  };

  return {
    failed(address) {
      const now = opts.clock();
      sweep(now);
      let e = entries.get(address);
      if (!e || (now - e.last > forget && e.pending === 0)) {
        e = { failures: 0, last: now, pending: 0 };
        entries.set(address, e);
      }
      e.failures++;
      e.last = now;
      if (e.failures <= free) return { action: 'refuse', delayMs: 0 };
      if (e.pending >= maxPending) return { action: 'drop' };
      e.pending++;
      return { action: 'refuse', delayMs: Math.min(max, base * 2 ** (e.failures - free - 1)) };
    },
    settled(address) {
      const e = entries.get(address);
      if (e && e.pending > 0) e.pending--;
    },
  };
}
