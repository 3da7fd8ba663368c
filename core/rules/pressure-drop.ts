/** pressure-drop (CONTRACT §5): a fall of more than dropRatio below the highest Reading of the window before: a burst. */
import type { Alert, AlertEvent } from '../alert.js';
import type { DeviceInfo } from '../registry.js';
import { cleared, raised } from './alerts.js';
import type { RuleSettings } from './defaults.js';
import { dropMessage } from './messages.js';
import type { DropState, WindowPoint } from './rule-state.js';

/** CONTRACT §5: cleared by Readings back above 90 % of the highest Reading before the drop. */
export const PRESSURE_RECOVERY_RATIO = 0.9;

export interface DropStep {
  drop: DropState;
  event?: AlertEvent;
}

/**
 * The highest Reading before the drop, for an alert raised before a restart: its limit is
 * reference × (1 − dropRatio), so the reference is recovered from it under the settings in force.
 */
export function referenceOf(alert: Alert, s: RuleSettings): number | undefined {
  return alert.limit === undefined ? undefined : alert.limit / (1 - (s.dropRatio ?? 0.3));
}

/**
 * One pressure Reading, in ts order (a late Reading has no complete window before it and is not
 * judged). The window is a monotonic deque: the front is the highest value of the last windowS, so
 * each Reading costs amortised O(1) however often the device reports.
 */
export function stepDrop(
  s: RuleSettings,
  device: DeviceInfo,
  prev: DropState,
  active: Alert | undefined,
  value: number,
  ts: number,
): DropStep {
  const windowMs = (s.windowS ?? 300) * 1000;
  const kept = prune(prev.window, ts - windowMs);
  const high = kept[0]?.value;
  const window = pushWindow(kept, { ts, value });
  const ratio = s.dropRatio ?? 0.3;

  if (!active) {
    // Only a positive high can fall by a ratio; a network without pressure is pressure-low's business.
    const level = high !== undefined && high > 0 ? high * (1 - ratio) : undefined;
    if (level === undefined || !(value < level)) return { drop: { window, breaches: 0, recovered: 0 } };
    const breaches = prev.breaches + 1;
    if (breaches < s.raiseAfter) return { drop: { window, breaches, recovered: 0 } };
    const message = dropMessage(device, value, high!, s.windowS ?? 300);
    const event = raised({ settings: s, device, at: ts, metric: 'pressure', value, limit: level, message });
    return { drop: { window, reference: high, breaches: 0, recovered: 0 }, event };
  }

  const reference = prev.reference ?? referenceOf(active, s);
  const back = reference !== undefined && value > reference * PRESSURE_RECOVERY_RATIO;
  const recovered = back ? prev.recovered + 1 : 0;
  if (recovered < s.clearAfter) return { drop: { window, reference, breaches: 0, recovered } };
  return { drop: { window, breaches: 0, recovered: 0 }, event: cleared(active, ts) };
}

function prune(window: readonly WindowPoint[], from: number): readonly WindowPoint[] {
  let i = 0;
  while (i < window.length && window[i]!.ts < from) i++;
  return i === 0 ? window : window.slice(i);
}

function pushWindow(window: readonly WindowPoint[], p: WindowPoint): WindowPoint[] {
  let end = window.length;
  while (end > 0 && window[end - 1]!.value <= p.value) end--;
  const out = window.slice(0, end);
  out.push(p);
  return out;
}
