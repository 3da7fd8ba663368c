/** Threshold rules (turbidity, chlorine, pH, pressure limits): raise after N breaches, clear N readings inside a deadband. */
import type { Alert, AlertEvent } from '../alert.js';
import type { Metric } from '../metrics.js';
import type { DeviceInfo } from '../registry.js';
import { cleared, raised } from './alerts.js';
import type { RuleSettings } from './defaults.js';
import { thresholdMessage } from './messages.js';
import type { ThresholdCount } from './rule-state.js';

export type Side = 'min' | 'max';

const ZERO: ThresholdCount = { breaches: 0, inside: 0 };

/**
 * Limits are decimal figures (0.05 mg/L) and so are device values; 0.05 × 1.05 is 0.052500000000000005
 * in binary floating point, which would make the contract's own example value 0.0525 miss the deadband.
 * Comparisons at the deadband edge allow this much relative rounding error.
 */
const EPS = 1e-9;

/** The side a Reading breaches, or null when it is within the limits (a value equal to a limit complies). */
export function breachedSide(s: RuleSettings, value: number): Side | null {
  if (s.min !== undefined && value < s.min) return 'min';
  if (s.max !== undefined && value > s.max) return 'max';
  return null;
}

/**
 * CONTRACT §5: back inside means inside by `deadband` × the breached limit, taken from that limit:
 * a lower limit of 0.05 needs ≥ 0.0525, an upper limit of 1 needs ≤ 0.95.
 */
export function backInside(side: Side, limit: number, deadband: number, value: number): boolean {
  const margin = deadband * Math.abs(limit);
  const tolerance = EPS * Math.max(1, Math.abs(limit));
  return side === 'min' ? value >= limit + margin - tolerance : value <= limit - margin + tolerance;
}

/** Which limit an active alert broke: its value lay beyond its limit. */
export function sideOf(alert: Alert, s: RuleSettings): Side {
  if (alert.value !== undefined && alert.limit !== undefined)
    return alert.value < alert.limit ? 'min' : 'max';
  return s.min !== undefined ? 'min' : 'max';
}

export interface ThresholdStep {
  count: ThresholdCount;
  event?: AlertEvent;
}

/** One Reading's value through one threshold rule; `active` is the rule's active alert for the device. */
export function stepThreshold(
  s: RuleSettings & { metric: Metric },
  device: DeviceInfo,
  prev: ThresholdCount | undefined,
  active: Alert | undefined,
  value: number,
  ts: number,
): ThresholdStep {
  const count = prev ?? ZERO;
  const side = breachedSide(s, value);
  if (!active) {
    if (side === null) return { count: ZERO };
    const breaches = count.breaches + 1;
    if (breaches < s.raiseAfter) return { count: { breaches, inside: 0 } };
    const limit = (side === 'min' ? s.min : s.max)!;
    const message = thresholdMessage(device, s.metric, value, limit, side);
    return {
      count: ZERO,
      event: raised({ settings: s, device, at: ts, metric: s.metric, value, limit, message }),
    };
  }
  const broken = sideOf(active, s);
  // After a reload the limit in force may differ from the one the alert recorded; the current one decides.
  const limit = (broken === 'min' ? s.min : s.max) ?? active.limit;
  const inside = side === null && limit !== undefined && backInside(broken, limit, s.deadband, value);
  if (!inside) return { count: ZERO };
  const n = count.inside + 1;
  if (n < s.clearAfter) return { count: { breaches: 0, inside: n } };
  return { count: ZERO, event: cleared(active, ts) };
}
