/** stale (CONTRACT §5): no Reading for factor × intervalS; checked on an injected clock, cleared by the next Reading. */
import type { AlertEvent } from '../alert.js';
import type { DeviceInfo } from '../registry.js';
import { raised } from './alerts.js';
import type { RuleSettings } from './defaults.js';
import { staleMessage } from './messages.js';
import type { DeviceState } from './rule-state.js';

/** When the device becomes stale: factor × intervalS after it was last heard from (or watching began). */
export function staleDeadline(state: DeviceState, device: DeviceInfo, s: RuleSettings): number {
  return state.heardAt + (s.factor ?? 3) * device.intervalS * 1000;
}

/**
 * Raises `stale` once `now` has passed the deadline and no stale alert is active. A device never heard
 * from since ingest started counts from the start (its `heardAt`), so a dead device is still reported.
 */
export function checkStale(
  state: DeviceState,
  device: DeviceInfo,
  s: RuleSettings,
  now: number,
): { state: DeviceState; event?: AlertEvent } {
  if (state.active.stale !== undefined || now <= staleDeadline(state, device, s)) return { state };
  const silentMs = now - state.heardAt;
  const event = raised({
    settings: s,
    device,
    at: now,
    value: Math.round(silentMs / 1000),
    limit: (s.factor ?? 3) * device.intervalS,
    message: staleMessage(device, silentMs),
  });
  return { state: { ...state, active: { ...state.active, stale: event.alert } }, event };
}
