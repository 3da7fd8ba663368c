/** The rule engine: one Reading through every rule of its device, as a pure function of state and Reading. */
import type { AlertEvent } from '../alert.js';
import type { Metric } from '../metrics.js';
import type { ValidReading } from '../reading.js';
import type { DeviceInfo } from '../registry.js';
import type { RuleId } from '../registry-schema.js';
import { cleared } from './alerts.js';
import type { RuleSettings } from './defaults.js';
import { stepFlatline } from './flatline.js';
import { stepDrop } from './pressure-drop.js';
import type { DeviceState, ThresholdCount } from './rule-state.js';
import { stepThreshold } from './threshold.js';

/** CONTRACT §3: a Reading more than 10 minutes older than the newest seen from its device is backfill. */
export const BACKFILL_MS = 10 * 60_000;
/** How many recent `ts` are remembered per device to recognise a redelivered duplicate. */
export const RECENT_KEPT = 128;

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
): Evaluation {
  const { ts, values } = reading;
  const heardAt = Math.max(state.heardAt, receivedAt);
  if (state.recent.includes(ts)) return { state: { ...state, heardAt }, events: [], outcome: 'duplicate' };
  const recent = remember(state.recent, ts);
  if (state.newestTs !== null && ts < state.newestTs - BACKFILL_MS) {
    return { state: { ...state, heardAt, recent }, events: [], outcome: 'backfill' };
  }

  // A late (but not backfill) Reading is judged too; only pressure-drop, whose window is the time
  // before the Reading, needs them in order.
  const inOrder = state.newestTs === null || ts > state.newestTs;
  const events: AlertEvent[] = [];
  const active = { ...state.active };
  let counts = state.counts;
  let { drop, runs } = state;
  const settle = (rule: RuleId, event: AlertEvent | undefined) => {
    if (!event) return;
    events.push(event);
    if (event.type === 'raised') active[rule] = event.alert;
    else delete active[rule];
  };

  for (const s of rules) {
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
      settle(s.rule, step.event);
    } else if (s.rule === 'pressure-drop') {
      const v = values.pressure;
      if (v === undefined || !inOrder) continue;
      const step = stepDrop(s, device, drop, active[s.rule], v, ts);
      drop = step.drop;
      settle(s.rule, step.event);
    } else if (s.rule === 'flatline') {
      const step = stepFlatline(s, device, runs, active.flatline, values, ts);
      runs = step.runs;
      settle(s.rule, step.event);
    }
  }
  // CONTRACT §5: stale clears on the device's next Reading, even if the rule was disabled meanwhile.
  if (active.stale) settle('stale', cleared(active.stale, ts));

  const newestTs = state.newestTs === null ? ts : Math.max(state.newestTs, ts);
  return { state: { newestTs, heardAt, recent, active, counts, drop, runs }, events, outcome: 'live' };
}

function remember(recent: readonly number[], ts: number): number[] {
  const out = recent.length >= RECENT_KEPT ? recent.slice(recent.length - RECENT_KEPT + 1) : recent.slice();
  out.push(ts);
  return out;
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
