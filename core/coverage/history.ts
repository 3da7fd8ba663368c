/** Daily coverage snapshots: one row per local day and place, as the planners' trend and reports read them. */
import type { CoverageRow } from './compute.js';

export const HISTORY_LEVELS = ['region', 'prefecture', 'county'] as const;
export type HistoryLevel = (typeof HISTORY_LEVELS)[number];

export interface CoverageDay {
  /** Local date in the region's time zone, `YYYY-MM-DD`. */
  day: string;
  /** The local midnight starting the day, epoch ms: what the store keys and orders by. */
  dayStart: number;
  level: HistoryLevel;
  /** The row as computed that day, with the registry in force that day (names, villages, schemes). */
  row: CoverageRow;
  /** False while the day runs (the snapshot is redone as it goes), true once taken after its end. */
  final: boolean;
  computedAt: number;
}
