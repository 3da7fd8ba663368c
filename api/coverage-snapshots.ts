/**
 * The store counts behind coverage, kept per window and refreshed in the background when stale. A
 * 24 h window reads about a million Readings; planners' indicators move over hours, so answering from
 * counts up to `maxAgeMs` old (the response's `window` says exactly which) keeps the route fast
 * without hiding anything. `maxAgeMs: 0` computes every request afresh.
 */
import type { Logger } from 'pino';
import type { CoverageWindow, SchemeQuality } from '../core/coverage/inputs.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

export interface CoverageCounts {
  window: CoverageWindow;
  quality: SchemeQuality[];
  lastSeen: Map<string, number>;
}

export interface CoverageSnapshots {
  /** Counts for `windowMs` ending at `to`, or ending about now when `to` is undefined. */
  get(windowMs: number, to: number | undefined): Promise<CoverageCounts>;
}

export interface CoverageSnapshotOptions {
  store: TelemetryStore;
  clock: () => number;
  log: Logger;
  maxAgeMs: number;
  /** Distinct windows remembered; the least recently used is dropped beyond it. */
  maxEntries?: number;
}

interface Entry {
  counts?: CoverageCounts;
  computedAt: number;
  refreshing?: Promise<CoverageCounts>;
}

export function createCoverageSnapshots(opts: CoverageSnapshotOptions): CoverageSnapshots {
  const entries = new Map<string, Entry>();
  const maxEntries = opts.maxEntries ?? 32;

  async function compute(windowMs: number, to: number): Promise<CoverageCounts> {
    const from = to - windowMs;
    const [quality, lastSeen] = await Promise.all([
      opts.store.qualityCounts({ from, to }),
      opts.store.lastSeen(to),
    ]);
    return { window: { from, to }, quality, lastSeen };
  }

  function refresh(key: string, e: Entry, windowMs: number, to: number | undefined): Promise<CoverageCounts> {
    e.refreshing ??= compute(windowMs, to ?? opts.clock())
      .then((counts) => {
        e.counts = counts;
        e.computedAt = opts.clock();
        return counts;
      })
      .finally(() => {
        e.refreshing = undefined;
      });
    entries.delete(key);
    entries.set(key, e);
    for (const k of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(k);
    }
    return e.refreshing;
  }

  return {
    async get(windowMs, to) {
      if (opts.maxAgeMs <= 0) return compute(windowMs, to ?? opts.clock());
      const key = `${windowMs}:${to ?? 'now'}`;
      const e = entries.get(key) ?? { computedAt: 0 };
      if (!e.counts) return refresh(key, e, windowMs, to);
      const age = opts.clock() - e.computedAt;
      // Far too old (nobody asked for a long while): wait for fresh counts rather than show old ones.
      if (age > 10 * opts.maxAgeMs) return refresh(key, e, windowMs, to);
      if (age > opts.maxAgeMs) {
        refresh(key, e, windowMs, to).catch((err: unknown) =>
          opts.log.warn({ err }, 'coverage refresh failed; serving the previous counts'),
        );
      }
      return e.counts;
    },
  };
}
