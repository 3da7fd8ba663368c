/** What the rule engine remembers about one device between Readings: counts, windows and active alerts. */
import type { Alert } from '../alert.js';
import type { Metric } from '../metrics.js';
import type { RuleId } from '../registry-schema.js';

/** Consecutive counts of a threshold rule (CONTRACT §5 hysteresis). */
export interface ThresholdCount {
  /** Consecutive breaching Readings while no alert is active. */
  breaches: number;
  /** Consecutive Readings back inside by the deadband while an alert is active. */
  inside: number;
}

/** One entry of the pressure-drop window: a monotonically decreasing deque of (ts, value). */
export interface WindowPoint {
  ts: number;
  value: number;
}

export interface DropState {
  /** Candidates for the window's highest Reading, oldest first, values strictly decreasing. */
  window: readonly WindowPoint[];
  /** The highest Reading before the drop that raised the active alert. */
  reference?: number;
  /** Consecutive Readings that show a drop, while no alert is active. */
  breaches: number;
  /** Consecutive Readings back above the recovery level, while an alert is active. */
  recovered: number;
}

/** A run of identical values of one metric (flatline). */
export interface Run {
  value: number;
  count: number;
}

/**
 * Recent `ts` in two parts, so remembering one more copies a few numbers rather than the whole list:
 * `newer` grows to a small chunk, then joins `older`, which keeps the most recent ones.
 */
export interface RecentTs {
  older: readonly number[];
  newer: readonly number[];
}

/** An operational or rate rule: the typical value it compares with, and its consecutive counts. */
export interface OpState {
  /** EWMA of the judged value (flow, a metric, the chlorine demand); null until the first Reading. */
  typical: number | null;
  /** EWMA of pressure (burst). */
  pressure?: number | null;
  /** Readings that fed the typical value (it is trusted after a few). */
  n: number;
  lastTs: number;
  breaches: number;
  inside: number;
}

export interface DeviceState {
  /** `ts` of the newest live Reading: backfill is judged against it (CONTRACT §3). */
  newestTs: number | null;
  /** When the device was last heard from on the receiving clock, or when watching began; stale counts from it. */
  heardAt: number;
  /** `ts` of recent Readings, so a redelivered duplicate is not judged twice. */
  recent: RecentTs;
  /** At most one active alert per rule (CONTRACT §4). */
  active: Readonly<Partial<Record<RuleId, Alert>>>;
  counts: Readonly<Partial<Record<RuleId, ThresholdCount>>>;
  drop: DropState;
  runs: Readonly<Partial<Record<Metric, Run>>>;
  /** Operational and rate rules (absent until the first such Reading). */
  ops?: Readonly<Partial<Record<RuleId, OpState>>>;
  /** quality-anomaly's predictors and recent outliers. */
  anomaly?: import('./anomaly.js').AnomalyState;
}

// Every device not heard from yet shares these: a state is only ever replaced, never changed in place
// (frozen, so a slip would throw), and a node of 10,000 idle devices then holds one copy, not 10,000.
const NOTHING = Object.freeze({});
const NO_RECENT: RecentTs = Object.freeze({ older: Object.freeze([]), newer: Object.freeze([]) });
const NO_DROP: DropState = Object.freeze({ window: Object.freeze([]), breaches: 0, recovered: 0 });

/** The state of a device nothing is known about yet, watched from `at` (ingest start or registry reload). */
export function initialState(at: number): DeviceState {
  return {
    newestTs: null,
    heardAt: at,
    recent: NO_RECENT,
    active: NOTHING,
    counts: NOTHING,
    drop: NO_DROP,
    runs: NOTHING,
  };
}
