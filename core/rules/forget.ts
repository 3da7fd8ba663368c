/** Forgetting an alert a person resolved by hand, so the rule watches the device afresh and can raise anew. */
import type { Alert } from '../alert.js';
import { isRuleId } from '../registry-schema.js';
import type { DeviceState } from './rule-state.js';

/**
 * The device's state without `alert` (when it is the rule's active one), as if the rule had just
 * cleared it: a threshold needs `raiseAfter` fresh breaching Readings, a burst a new drop, a flatline
 * a new run of `count` identical values, and `stale` a full silence again counted from the resolve
 * (`at`). A state whose active alert is another one (raised again since) is returned unchanged.
 */
export function forgetAlert(state: DeviceState, alert: Alert, at: number): DeviceState {
  const rule = alert.ruleId;
  // A lab alert (`lab-<indicator>`) is no online rule's: nothing here to forget.
  if (!isRuleId(rule)) return state;
  const current = state.active[rule];
  if (current === undefined || current.id !== alert.id) return state;
  const { [rule]: _gone, ...active } = state.active;
  const { [rule]: _count, ...counts } = state.counts;
  const next: DeviceState = { ...state, active, counts };
  if (alert.ruleId === 'pressure-drop') next.drop = { window: state.drop.window, breaches: 0, recovered: 0 };
  if (alert.ruleId === 'flatline') next.runs = {};
  if (alert.ruleId === 'stale' || alert.ruleId === 'offline') next.heardAt = Math.max(state.heardAt, at);
  return next;
}
