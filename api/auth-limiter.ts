/** Counts failed key attempts per client address and blocks an address that fails too often. */

export interface FailureLimiterOptions {
  /** Failed attempts allowed per address in one window. */
  limit: number;
  windowMs: number;
  /** Addresses remembered at most; the oldest are forgotten first, so memory stays bounded under a flood. */
  maxAddresses: number;
}

export interface FailureLimiter {
  /** Seconds until the address may try again, or 0 when it is not blocked. */
  blockedFor(address: string, now: number): number;
  fail(address: string, now: number): void;
}

/** 10 wrong keys a minute is far beyond any honest typo, and far below what guessing a key needs. */
export const DEFAULT_FAILURE_LIMIT: FailureLimiterOptions = {
  limit: 10,
  windowMs: 60_000,
  maxAddresses: 10_000,
};

export function createFailureLimiter(opts: FailureLimiterOptions = DEFAULT_FAILURE_LIMIT): FailureLimiter {
  // Fixed windows per address; a Map iterates in insertion order, so its first keys are the oldest.
  const seen = new Map<string, { start: number; count: number }>();

  // Entries are (re)inserted when their window starts, so the first ones are also the first to expire.
  const prune = (now: number) => {
    for (const [address, e] of seen) {
      if (seen.size < opts.maxAddresses && now - e.start < opts.windowMs) return;
      seen.delete(address);
    }
  };

  return {
    blockedFor(address, now) {
      const e = seen.get(address);
      if (!e || e.count < opts.limit) return 0;
      const left = e.start + opts.windowMs - now;
      if (left <= 0) {
        seen.delete(address);
        return 0;
      }
      return Math.ceil(left / 1000);
    },
    fail(address, now) {
      const e = seen.get(address);
      if (e && now - e.start < opts.windowMs) {
        e.count++;
        return;
      }
      seen.delete(address);
      prune(now);
      seen.set(address, { start: now, count: 1 });
    },
  };
}
