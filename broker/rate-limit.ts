/** A token bucket per device: how long each publish must wait so a device keeps to its message rate. */

export interface RateLimitOptions {
  /** Sustained messages per second; 0 = unlimited. */
  perSecond: number;
  /** Messages a device may send at once before the rate applies. */
  burst: number;
  clock: () => number;
}

export interface RateLimiter {
  /**
   * Reserves the next slot for one message of `key` and returns the milliseconds to wait for it
   * (0 = now). Reserving, not just checking, lets concurrent packets of one read queue up in order.
   */
  reserve(key: string): number;
  /** Drops the state of a key whose bucket has refilled, so departed devices cost nothing. */
  release(key: string): void;
}

interface Bucket {
  /** The time at which the bucket is full again; earlier than now means full. */
  fullAt: number;
}

export function createRateLimiter(opts: RateLimitOptions): RateLimiter {
  const { perSecond, clock } = opts;
  if (perSecond <= 0) return { reserve: () => 0, release: () => undefined };
  const interval = 1000 / perSecond;
  const burstSpan = Math.max(1, opts.burst) * interval;
  const buckets = new Map<string, Bucket>();

  return {
    reserve(key) {
      const now = clock();
      let b = buckets.get(key);
      if (!b) {
        b = { fullAt: now };
        buckets.set(key, b);
      }
      // "Generic cell rate" form of the bucket: one timestamp instead of a token count and a refill time.
      const start = Math.max(b.fullAt, now);
      b.fullAt = start + interval;
      const wait = b.fullAt - now - burstSpan;
      return wait > 0 ? Math.ceil(wait) : 0;
    },
    release(key) {
      const b = buckets.get(key);
      if (b && b.fullAt <= clock()) buckets.delete(key);
    },
  };
}
