/** stale (CONTRACT §5): no Reading for factor × intervalS; checked on an injected clock, cleared by the next Reading. */
import type { AlertEvent } from '../alert.js';
import type { DeviceInfo } from '../registry.js';
import type { RuleSettings } from './defaults.js';
import { staleMessage } from './messages.js';
import type { DeviceState } from './rule-state.js';
import { raiseSilence, silenceDeadline } from './silence.js';

/** CONTRACT §5: stale after 3 × intervalS unless the rule says otherwise. */
const STALE_FACTOR = 3;

/** When the device becomes stale: factor × intervalS after it was last heard from (or watching began). */
export function staleDeadline(state: DeviceState, device: DeviceInfo, s: RuleSettings): number {
  return silenceDeadline(state, device, s, STALE_FACTOR);
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
  return raiseSilence(state, device, s, now, 'stale', STALE_FACTOR, staleMessage);
}
