/** Active alerts a registry change left without a rule to clear them: they clear, with the reason. */
import type { Alert, AlertEvent, ClearReason } from '../alert.js';
import type { Registry } from '../registry.js';
import { isRuleId } from '../registry-schema.js';
import { cleared } from './alerts.js';
import { effectiveSettings } from './settings.js';

/**
 * A cleared event for each active alert whose device is no longer in `registry` (`device-removed`) or
 * whose rule is no longer in force for its device (`rule-disabled`: disabled by an override, or no
 * longer applying after the device moved). Without this such an alert stays active for ever, because
 * only rules in force see the device's Readings. The clear is at `now` (the reload), never before
 * the raise.
 */
export function orphanedAlerts(active: readonly Alert[], registry: Registry, now: number): AlertEvent[] {
  const events: AlertEvent[] = [];
  const overrides = registry.file.rules ?? [];
  for (const alert of active) {
    // Lab alerts (`lab-<indicator>`) end with a passing sample, not with the registry's rules.
    const rule = alert.ruleId;
    if (!alert.active || !isRuleId(rule)) continue;
    const device = registry.devices.get(alert.deviceId);
    let reason: ClearReason | null = null;
    if (!device) reason = 'device-removed';
    else if (effectiveSettings(rule, device, overrides) === null) reason = 'rule-disabled';
    if (reason !== null) events.push({ ...cleared(alert, now), reason });
  }
  return events;
}
