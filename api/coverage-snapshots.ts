/**
 * The store counts behind coverage, kept per window for at most `maxAgeMs`. CONTRACT §6: an answer
 * reflects every Reading stored more than 5 s before the request, so counts older than `maxAgeMs`
 * (default 5 s) are never served: the request waits for fresh ones, which the embedded store's hourly
 * rollups keep cheap. Concurrent requests share one computation, and every row of an answer (region,
 * prefecture, county, scheme) comes from the same counts, so they describe the same instant.
 * `maxAgeMs: 0` computes every request afresh.
 */
import type { Logger } from 'pino';
import type { CoverageWindow, SchemeQuality } from '../core/coverage/inputs.js';
import type { Registry } from '../core/registry.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { suspectQuality } from './coverage-suspect.js';

export interface CoverageCounts {
  window: CoverageWindow;
  quality: SchemeQuality[];
  lab: SchemeQuality[];
  suspect: SchemeQuality[];
  lastSeen: Map<string, number>;
}

export interface CoverageSnapshots {
  /** Counts for `windowMs` ending at `to`, or ending about now when `to` is undefined. */
  get(windowMs: number, to: number | undefined): Promise<CoverageCounts>;
}

export interface CoverageSnapshotOptions {
  store: TelemetryStore;
  /** For the suspect samples (flatline); without it none are left out. */
  registry?: () => Registry;
  clock: () => number;
  log: Logger;
  maxAgeMs: number;
  /** Distinct windows remembered; the least recently used is dropped beyond it. */
  maxEntries?: number;
}

interface Entry {
  counts?: CoverageCounts;
  /** When the computation started: the counts include everything stored before it. */
  computedAt: number;
  refreshing?: Promise<CoverageCounts>;
}

export function createCoverageSnapshots(opts: CoverageSnapshotOptions): CoverageSnapshots {
  const entries = new Map<string, Entry>();
  const maxEntries = opts.maxEntries ?? 32;

  async function compute(windowMs: number, to: number): Promise<CoverageCounts> {
    const from = to - windowMs;
    const [quality, lab, lastSeen, suspect] = await Promise.all([
      opts.store.qualityCounts({ from, to }),
      opts.store.labCounts({ from, to }),
      opts.store.lastSeen(to),
      opts.registry ? suspectQuality(opts.store, opts.registry(), { from, to }) : [],
    ]);
    return { window: { from, to }, quality, lab, suspect, lastSeen };
  }

  function refresh(key: string, e: Entry, windowMs: number, to: number | undefined): Promise<CoverageCounts> {
    const started = opts.clock();
    e.refreshing ??= compute(windowMs, to ?? started)
      .then((counts) => {
        e.counts = counts;
        e.computedAt = started;
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
      if (opts.clock() - e.computedAt > opts.maxAgeMs) return refresh(key, e, windowMs, to);
      return e.counts;
    },
  };
}
