/** Splits a time window into the whole hours the rollup can answer and the rest, read from raw rows. */

export const HOUR_MS = 3_600_000;

export interface HourSplit {
  /** Whole hours inside the window and before the rollup's watermark: hour starts in [from, to), or null. */
  hours: { from: number; to: number } | null;
  /** Inclusive ms ranges to read from raw rows: partial hours at the ends, and hours not rolled up yet. */
  raw: [number, number][];
}

/** Both bounds inclusive, integer epoch ms, as ReadingQuery has them; `covered`: the rollup's watermark. */
export function splitHours(from: number, to: number, covered: number | null): HourSplit {
  if (from > to) return { hours: null, raw: [] };
  const first = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const end = Math.min(Math.floor((to + 1) / HOUR_MS) * HOUR_MS, covered ?? Number.NEGATIVE_INFINITY);
  if (first >= end) return { hours: null, raw: [[from, to]] };
  const raw: [number, number][] = [];
  if (from < first) raw.push([from, first - 1]);
  if (end <= to) raw.push([end, to]);
  return { hours: { from: first, to: end }, raw };
}

/** Start of the hour holding `ts`. */
export const hourOf = (ts: number): number => Math.floor(ts / HOUR_MS) * HOUR_MS;
