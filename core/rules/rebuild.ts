/** Rule state after a restart, rebuilt from the store's active alerts so no active alert is raised twice. */
import type { Alert } from '../alert.js';
import type { RuleSettings } from './defaults.js';
import { referenceOf } from './pressure-drop.js';
import { type DeviceState, initialState } from './rule-state.js';

/**
 * Each device starts from `initialState(at)` holding its active alerts. Consecutive counts restart from
 * zero: an active threshold alert needs `clearAfter` fresh Readings inside to clear, and a breach that
 * had one Reading towards raising before the restart needs `raiseAfter` again. What carries over is
 * what a clear needs: the pressure reference before the drop, and the stuck value of a flatline (so
 * the same value keeps it active and a different one clears it). If the store holds two active alerts
 * for one (device, rule), the newest is kept.
 */
export function rebuildStates(
  alerts: readonly Alert[],
  at: number,
  rulesOf: (deviceId: string) => readonly RuleSettings[] | undefined,
): Map<string, DeviceState> {
  const states = new Map<string, DeviceState>();
  const sorted = [...alerts].sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt));
  for (const alert of sorted) {
    if (!alert.active) continue;
    const prev = states.get(alert.deviceId) ?? initialState(at);
    const s = rulesOf(alert.deviceId)?.find((r) => r.rule === alert.ruleId);
    let { drop, runs } = prev;
    if (alert.ruleId === 'pressure-drop' && s) drop = { ...drop, reference: referenceOf(alert, s) };
    if (alert.ruleId === 'flatline' && alert.metric !== undefined && alert.value !== undefined) {
      runs = { ...runs, [alert.metric]: { value: alert.value, count: s?.count ?? alert.limit ?? 10 } };
    }
    states.set(alert.deviceId, { ...prev, drop, runs, active: { ...prev.active, [alert.ruleId]: alert } });
  }
  return states;
}
