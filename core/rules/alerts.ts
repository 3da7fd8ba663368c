/** Building Alerts and AlertEvents: deterministic ids, so a replay after a crash produces the same alert. */
import type { Alert, AlertEvent } from '../alert.js';
import type { Metric } from '../metrics.js';
import type { DeviceInfo } from '../registry.js';
import type { RuleSettings } from './defaults.js';

/**
 * `${ruleId}.${deviceId}.${raisedAtMs}`: the same Reading raises the same id however often it is
 * evaluated, so the store's idempotent append (same id, type and time) stores it once.
 */
export function alertId(ruleId: string, deviceId: string, raisedAtMs: number): string {
  return `${ruleId}.${deviceId}.${raisedAtMs}`;
}

export interface Raise {
  settings: RuleSettings;
  device: DeviceInfo;
  /** Epoch ms: the breaching Reading's ts, or the clock for `stale`. */
  at: number;
  metric?: Metric;
  value?: number;
  limit?: number;
  message: string;
}

export function raised(r: Raise): AlertEvent {
  const at = new Date(r.at).toISOString();
  const alert: Alert = {
    id: alertId(r.settings.rule, r.device.id, r.at),
    ruleId: r.settings.rule,
    kind: r.settings.kind,
    deviceId: r.device.id,
    siteId: r.device.siteId,
    schemeId: r.device.schemeId,
    countyId: r.device.countyId,
    severity: r.settings.severity,
    active: true,
    acknowledged: false,
    raisedAt: at,
    message: r.message,
  };
  if (r.metric !== undefined) alert.metric = r.metric;
  if (r.value !== undefined) alert.value = r.value;
  if (r.limit !== undefined) alert.limit = r.limit;
  return { type: 'raised', at, alert };
}

/** Clearing never acknowledges (CONTRACT §4); a clear never predates its raise, whatever the device clock says. */
export function cleared(alert: Alert, atMs: number): AlertEvent {
  const at = new Date(Math.max(atMs, Date.parse(alert.raisedAt))).toISOString();
  return { type: 'cleared', at, alert: { ...alert, active: false, clearedAt: at } };
}
