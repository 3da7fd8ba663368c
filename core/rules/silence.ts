/** What stale and offline share: a deadline counted from when the device was last heard, and the alert raised past it. */
import type { AlertEvent } from '../alert.js';
import type { DeviceInfo } from '../registry.js';
import { raised } from './alerts.js';
import type { RuleSettings } from './defaults.js';
import type { DeviceState } from './rule-state.js';

/** factor × intervalS (the rule's own default factor unless set) after the device was last heard from. */
export function silenceDeadline(
  state: DeviceState,
  device: DeviceInfo,
  s: RuleSettings,
  defaultFactor: number,
): number {
  return state.heardAt + (s.factor ?? defaultFactor) * device.intervalS * 1000;
}

/** Raises `rule` for a device silent since `heardAt`, and records it as active. */
export function raiseSilence(
  state: DeviceState,
  device: DeviceInfo,
  s: RuleSettings,
  now: number,
  rule: 'stale' | 'offline',
  defaultFactor: number,
  message: (device: DeviceInfo, silentMs: number) => string,
): { state: DeviceState; event: AlertEvent } {
  const silentMs = now - state.heardAt;
  const event = raised({
    settings: s,
    device,
    at: now,
    value: Math.round(silentMs / 1000),
    limit: (s.factor ?? defaultFactor) * device.intervalS,
    message: message(device, silentMs),
  });
  return { state: { ...state, active: { ...state.active, [rule]: event.alert } }, event };
}
