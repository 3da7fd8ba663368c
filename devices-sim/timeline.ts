/** Solved results on a time grid, read at any instant: linear between rows, a step where an event happened. */
import type { SolveResult } from './epanet-run.js';

export interface Timeline {
  /** Epoch ms of row 0. */
  t0: number;
  stepMs: number;
  result: SolveResult;
  /** Periodic over one day: row `rows - 1` is the next day's row 0 (a healthy, settled network). */
  periodic: boolean;
}

/** Fractional row of `ts`, or `null` outside a non-periodic timeline. */
export function rowAt(tl: Timeline, ts: number): number | null {
  const span = (tl.result.rows - 1) * tl.stepMs;
  let dt = ts - tl.t0;
  if (tl.periodic) dt = ((dt % span) + span) % span;
  else if (dt < 0 || dt > span) return null;
  return dt / tl.stepMs;
}

/** The value of one series at a fractional row; holds the earlier row across a break (a burst opening). */
export function sampleRow(series: Float32Array, breaks: Uint8Array, pos: number): number {
  const k = Math.floor(pos);
  if (k >= series.length - 1) return series[series.length - 1]!;
  const a = series[k]!;
  if (breaks[k + 1]) return a;
  return a + (series[k + 1]! - a) * (pos - k);
}
