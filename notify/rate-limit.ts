/** A token bucket per channel, on the injected clock: a burst up to the per-minute limit, then its pace. */
export interface RateLimiter {
  /** Takes a token when one is there. */
  take(channel: string, perMinute: number, now: number): boolean;
}

export function createRateLimiter(): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(channel, perMinute, now) {
      const b = buckets.get(channel) ?? { tokens: perMinute, at: now };
      b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) * perMinute) / 60_000);
      b.at = now;
      buckets.set(channel, b);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
  };
}
