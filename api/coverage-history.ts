/**
 * Records one coverage snapshot per local day (region time zone) for the region, every prefecture and
 * every county. The running day is recomputed on each tick with the registry in force, so a registry
 * reload shows from the day it happened; a finished day is taken once more after its end and then never
 * touched, so history keeps what the registry said then. Snapshots live in the store: they survive restarts.
 */
import type { Logger } from 'pino';
import { computeCoverage } from '../core/coverage/compute.js';
import { type CoverageDay, HISTORY_LEVELS } from '../core/coverage/history.js';
import { type Registry, timeZoneOf } from '../core/registry.js';
import { addDays, localDate, startOfDay } from '../core/time-zone.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { suspectQuality } from './coverage-suspect.js';

export interface CoverageHistoryDeps {
  store: TelemetryStore;
  registry: () => Registry;
  clock: () => number;
  log: Logger;
  /** How often the running day is recomputed (default 10 minutes; 0 = only when `tick` is called). */
  intervalMs?: number;
}

export interface CoverageHistory {
  /** Takes the snapshots now: yesterday's final one if missing, and today's so far. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** Every level's rows for the window [from, to], as the snapshots of the day starting at `dayStart`. */
async function snapshot(
  deps: CoverageHistoryDeps,
  registry: Registry,
  dayStart: number,
  from: number,
  to: number,
  final: boolean,
): Promise<CoverageDay[]> {
  const [quality, lab, lastSeen, suspect] = await Promise.all([
    deps.store.qualityCounts({ from, to }),
    deps.store.labCounts({ from, to }),
    deps.store.lastSeen(to),
    suspectQuality(deps.store, registry, { from, to }),
  ]);
  const day = localDate(dayStart, timeZoneOf(registry));
  const computedAt = deps.clock();
  return HISTORY_LEVELS.flatMap((level) =>
    computeCoverage({ registry, window: { from, to }, quality, lab, suspect, lastSeen }, level).rows.map(
      (row) => ({
        day,
        dayStart,
        level,
        row,
        final,
        computedAt,
      }),
    ),
  );
}

export function createCoverageHistory(deps: CoverageHistoryDeps): CoverageHistory {
  let running: Promise<void> | null = null;
  // The registry last in force on each recent day: yesterday's final snapshot is taken with the registry
  // of yesterday, so a reload just after midnight shows from the new day, not a day early.
  const dayRegistry = new Map<number, Registry>();

  async function take(): Promise<void> {
    const current = deps.registry();
    const zone = timeZoneOf(current);
    const now = deps.clock();
    const today = startOfDay(now, zone);
    const yesterday = addDays(today, -1, zone);
    const have = await deps.store.coverageDays({ level: 'region', from: yesterday, to: yesterday });
    if (!have.some((d) => d.final)) {
      const then = dayRegistry.get(yesterday) ?? current;
      await deps.store.writeCoverageDays(await snapshot(deps, then, yesterday, yesterday, today - 1, true));
    }
    dayRegistry.set(today, current);
    for (const k of dayRegistry.keys()) if (k < yesterday) dayRegistry.delete(k);
    await deps.store.writeCoverageDays(await snapshot(deps, current, today, today, now, false));
  }

  const tick = (): Promise<void> => {
    running ??= take().finally(() => {
      running = null;
    });
    return running;
  };

  const interval = deps.intervalMs ?? 600_000;
  const run = () =>
    tick().catch((err: unknown) =>
      deps.log.warn({ err }, 'coverage history snapshot failed; next tick retries'),
    );
  const timer = interval > 0 ? setInterval(run, interval) : null;
  timer?.unref();
  if (interval > 0) void run();

  return {
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
