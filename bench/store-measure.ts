/** Timing helpers of the store bench: throughput of a series of writes, latency percentiles of a query. */
import { performance } from 'node:perf_hooks';

export interface Latency {
  p50: number;
  p95: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `query` `runs` times (after `warm` untimed runs) and gives p50/p95 in ms. */
export async function latency(
  runs: number,
  warm: number,
  query: (i: number) => Promise<unknown>,
): Promise<Latency> {
  for (let i = 0; i < warm; i++) await query(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await query(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

export interface Rate {
  /** Items per second of wall time. */
  wall: number;
  /** Items per second of this process's CPU time: what load from other processes changes least. */
  cpu: number;
}

/** Items/s over the given batches, written one after the other; the time to make a batch is not counted. */
export async function throughput<T>(
  batches: number,
  make: (i: number) => T,
  write: (b: T) => Promise<void>,
  size: number,
): Promise<Rate> {
  let spent = 0;
  let cpu = 0;
  for (let i = 0; i < batches; i++) {
    const b = make(i);
    const t = performance.now();
    const c = process.cpuUsage();
    await write(b);
    const used = process.cpuUsage(c);
    spent += performance.now() - t;
    cpu += (used.user + used.system) / 1000;
  }
  return { wall: (batches * size) / (spent / 1000), cpu: (batches * size) / (cpu / 1000) };
}

export const fmtRate = (r: number) => `${Math.round(r).toLocaleString('en-US')}/s`;
export const fmtMs = (l: Latency) => `${l.p50.toFixed(1)} / ${l.p95.toFixed(1)} ms`;
