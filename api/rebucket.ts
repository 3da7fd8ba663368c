/**
 * Merges points into epoch-aligned buckets of `everyMs`. The store already buckets; this pass makes
 * the answer right whatever a store adapter returns (the SQLite adapter binds the width as a REAL and so
 * divides without truncating), and costs one pass over points that are already buckets.
 */
import type { Point } from '../store/telemetry-store.js';

export function rebucket(points: readonly Point[], everyMs: number): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const ts = Math.floor(p.ts / everyMs) * everyMs;
    const last = out.at(-1);
    if (last && last.ts === ts) {
      const count = last.count + p.count;
      last.mean = (last.mean * last.count + p.mean * p.count) / count;
      last.min = Math.min(last.min, p.min);
      last.max = Math.max(last.max, p.max);
      last.count = count;
    } else {
      out.push({ ...p, ts });
    }
  }
  return out;
}
