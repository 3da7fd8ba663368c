/**
 * offline: the broker holds no connection for the device and its next Reading is overdue by
 * factor × intervalS (default 1.5). Checked on stale's clock, cleared by the device's next Reading.
 */
import type { AlertEvent } from '../alert.js';
import type { DeviceInfo } from '../registry.js';
import type { RuleSettings } from './defaults.js';
import { offlineMessage } from './messages.js';
import type { DeviceState } from './rule-state.js';
import { raiseSilence, silenceDeadline } from './silence.js';

/** Half of stale's 3 intervals: a closed connection says the silence is real sooner. */
const OFFLINE_FACTOR = 1.5;

/** When a disconnected device becomes offline: factor × intervalS after it was last heard from. */
export function offlineDeadline(state: DeviceState, device: DeviceInfo, s: RuleSettings): number {
  return silenceDeadline(state, device, s, OFFLINE_FACTOR);
}

/**
 * Raises `offline` once `now` has passed the deadline while the device is disconnected. Not while
 * `stale` is active: a device already reported silent (its clock wrong, its messages refused) says no
 * more by losing its connection too.
 */
export function checkOffline(
  state: DeviceState,
  device: DeviceInfo,
  s: RuleSettings,
  now: number,
  disconnected: boolean,
): { state: DeviceState; event?: AlertEvent } {
  if (!disconnected || state.active.offline !== undefined || state.active.stale !== undefined)
    return { state };
  if (now <= offlineDeadline(state, device, s)) return { state };
  return raiseSilence(state, device, s, now, 'offline', OFFLINE_FACTOR, offlineMessage);
}
