/** Retention of the embedded store: raw Readings and hourly rollups older than their windows are deleted. */
import type Database from 'better-sqlite3';
import type { DevicesTable } from './devices.js';
import { hourOf } from './hours.js';
import type { Rollups } from './rollups.js';
import { SLOT_MS } from './schema.js';

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  /** Raw Readings are kept this long (default 90 days). */
  rawDays?: number;
  /** Hourly rollups are kept this long (default 5 years). */
  rollupDays?: number;
}

export interface PruneResult {
  /** Cut-offs used: rows before them were deleted (epoch ms, whole hours). */
  rawBefore: number;
  rollupBefore: number;
  rawDeleted: number;
  rollupDeleted: number;
}

export interface Retention {
  prune(now: number): PruneResult;
}

/** Slots deleted per transaction: a day of them, so a long-overdue prune never holds the write lock for long. */
const SLOTS_PER_STEP = DAY_MS / SLOT_MS;

export function createRetention(
  db: Database.Database,
  devices: DevicesTable,
  rollups: Rollups,
  opts: RetentionOptions = {},
): Retention {
  const rawMs = (opts.rawDays ?? 90) * DAY_MS;
  const rollupMs = (opts.rollupDays ?? 5 * 365) * DAY_MS;
  if (!(rawMs > 0) || !(rollupMs >= rawMs)) {
    throw new RangeError('retention: rawDays must be > 0 and rollupDays at least rawDays');
  }
  const lowest = db.prepare<[], { slot: number | null }>('SELECT min(slot) AS slot FROM readings');
  // Raw rows are clustered by slot, so old ones are one stretch at the start of the table.
  const rawDelete = db.prepare<[number]>('DELETE FROM readings WHERE slot < ?');
  // The rollup is clustered by device: a range of each device's key.
  const rollupDelete = db.prepare<[number, number]>('DELETE FROM rollup_hour WHERE dev = ? AND hour < ?');

  return {
    prune(now) {
      // Whole hours, so an hour is either all in raw rows or all gone: the rollup of a kept hour and its
      // raw rows always agree. Never an hour the rollup has yet to take in.
      const rawBefore = Math.min(hourOf(now - rawMs), rollups.watermark() ?? Number.NEGATIVE_INFINITY);
      const rollupBefore = hourOf(now - rollupMs);
      let rawDeleted = 0;
      let rollupDeleted = 0;
      const end = rawBefore / SLOT_MS;
      for (let lo = lowest.get()?.slot; lo !== null && lo !== undefined && lo < end; ) {
        const upTo = Math.min(end, lo + SLOTS_PER_STEP);
        rawDeleted += rawDelete.run(upTo).changes;
        lo = upTo;
      }
      db.transaction(() => {
        for (const dev of devices.keys()) rollupDeleted += rollupDelete.run(dev, rollupBefore).changes;
      })();
      return { rawBefore, rollupBefore, rawDeleted, rollupDeleted };
    },
  };
}
