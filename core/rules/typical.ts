/** A typical value over time: an exponentially weighted moving average whose weight follows the time between Readings. */

/**
 * Irregular sampling (jitter, gaps) is why the weight is 1 − e^(−Δt/τ) rather than a fixed α: a Reading
 * after a long gap counts for more, and the average forgets at the same rate whatever the interval.
 */
export function ewma(prev: number | null, value: number, dtMs: number, tauS: number): number {
  if (prev === null) return value;
  const w = 1 - Math.exp(-Math.max(0, dtMs) / (tauS * 1000));
  return prev + w * (value - prev);
}

/** Readings a typical value needs before it is trusted: at least 5, and what the device sends in a tenth of τ. */
export function warmedUp(n: number, tauS: number, intervalS: number): boolean {
  return n >= Math.max(5, Math.ceil(tauS / 10 / intervalS));
}
