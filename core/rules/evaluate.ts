/** The rule engine: one Reading through every rule of its device, as a pure function of state and Reading. */
import type { AlertEvent } from '../alert.js';
import type { Metric } from '../metrics.js';
import type { ValidReading } from '../reading.js';
import type { DeviceInfo } from '../registry.js';
import type { RuleId } from '../registry-schema.js';
import { cleared } from './alerts.js';
import type { RuleSettings } from './defaults.js';
import { stepFlatline } from './flatline.js';
import { type RuleContext, stepOperational } from './operational-step.js';
import { stepDrop } from './pressure-drop.js';
import type { DeviceState, RecentTs, ThresholdCount } from './rule-state.js';
import { stepThreshold } from './threshold.js';

/** CONTRACT §3: a Reading more than 10 minutes older than the newest seen from its device is backfill. */
export const BACKFILL_MS = 10 * 60_000;
/** How many recent `ts` are remembered per device to recognise a redelivered duplicate (about). */
export const RECENT_KEPT = 128;
const CHUNK = 16;

/**
 * `live`: judged by the rules. `backfill`: stored and counted, never raises or clears (CONTRACT §3).
 * `duplicate`: a ts already judged (QoS 1 redelivery, a device resending), stored again idempotently
 * but not counted twice towards a consecutive run.
 */
export type Outcome = 'live' | 'backfill' | 'duplicate';

export interface Evaluation {
  state: DeviceState;
  events: AlertEvent[];
  outcome: Outcome;
}

/**
 * Judges `reading` by `rules` (the device's rules in force, from `rulesFor`) on the Reading's own time.
 * `receivedAt` (the receiving clock; default the Reading's ts) only feeds `stale`, so a device whose
 * clock is wrong is neither stale while it reports nor fresh while it is silent.
 */
export function evaluate(
  state: DeviceState,
  device: DeviceInfo,
  reading: ValidReading,
  rules: readonly RuleSettings[],
  receivedAt: number = reading.ts,
  context: RuleContext = {},
): Evaluation {
  const { ts, values } = reading;
  const heardAt = Math.max(state.heardAt, receivedAt);
  // Nothing newer than the newest can have been seen: the common case skips the search.
  const late = state.newestTs !== null && ts <= state.newestTs;
  if (late && seen(state.recent, ts))
    return { state: { ...state, heardAt }, events: [], outcome: 'duplicate' };
  const recent = remember(state.recent, ts);
  if (state.newestTs !== null && ts < state.newestTs - BACKFILL_MS) {
    return { state: { ...state, heardAt, recent }, events: [], outcome: 'backfill' };
  }

  // A late (but not backfill) Reading is judged too; only pressure-drop, whose window is the time
  // before the Reading, needs them in order.
  const events: AlertEvent[] = [];
  let active = state.active;
  let counts = state.counts;
  let { drop, runs, ops, anomaly } = state;

  for (const s of rules) {
    let event: AlertEvent | undefined;
    if (s.kind === 'threshold' && s.metric !== undefined) {
      const v = values[s.metric];
      if (v === undefined) continue;
      const step = stepThreshold(
        s as RuleSettings & { metric: Metric },
        device,
        counts[s.rule],
        active[s.rule],
        v,
        ts,
      );
      counts = withCount(counts, s.rule, step.count);
      event = step.event;
    } else if (s.rule === 'pressure-drop') {
      const v = values.pressure;
      if (v === undefined || late) continue;
      const step = stepDrop(s, device, drop, active[s.rule], v, ts);
      drop = step.drop;
      event = step.event;
    } else if (s.rule === 'flatline') {
      const step = stepFlatline(s, device, runs, active.flatline, values, ts);
      runs = step.runs;
      event = step.event;
    } else {
      // Backfill never raises or clears (CONTRACT §3): not judged at all, as pressure-drop above.
      if (late) continue;
      const step = stepOperational(s, device, { ops, anomaly }, active[s.rule], values, ts, context);
      if (!step) continue;
      ({ ops, anomaly, event } = step);
    }
    if (event) {
      events.push(event);
      active = settle(active, s.rule, event);
    }
  }
  // CONTRACT §5: stale clears on the device's next Reading, even if the rule was disabled meanwhile;
  // so does offline, the same silence seen sooner through the closed connection.
  for (const rule of ['offline', 'stale'] as const) {
    const alert = active[rule];
    if (!alert) continue;
    const event = cleared(alert, ts);
    events.push(event);
    active = settle(active, rule, event);
  }

  const newestTs = state.newestTs === null ? ts : Math.max(state.newestTs, ts);
  const extra = { ...(ops ? { ops } : {}), ...(anomaly ? { anomaly } : {}) };
  return {
    state: { newestTs, heardAt, recent, active, counts, drop, runs, ...extra },
    events,
    outcome: 'live',
  };
}

/** The active alerts after an event: a raise adds its alert, a clear removes it. */
function settle(active: DeviceState['active'], rule: RuleId, event: AlertEvent): DeviceState['active'] {
  if (event.type === 'raised') return { ...active, [rule]: event.alert };
  const { [rule]: _, ...rest } = active;
  return rest;
}

function seen(recent: RecentTs, ts: number): boolean {
  return recent.newer.includes(ts) || recent.older.includes(ts);
}

function remember(recent: RecentTs, ts: number): RecentTs {
  if (recent.newer.length < CHUNK) return { older: recent.older, newer: [...recent.newer, ts] };
  const older = recent.older.concat(recent.newer);
  return { older: older.length > RECENT_KEPT ? older.slice(older.length - RECENT_KEPT) : older, newer: [ts] };
}

/** Counts at zero are dropped, so a healthy device's state stays small. */
function withCount(counts: DeviceState['counts'], rule: RuleId, c: ThresholdCount): DeviceState['counts'] {
  const prev = counts[rule];
  if (c.breaches === 0 && c.inside === 0) {
    if (prev === undefined) return counts;
    const { [rule]: _, ...rest } = counts;
    return rest;
  }
  return { ...counts, [rule]: c };
}
