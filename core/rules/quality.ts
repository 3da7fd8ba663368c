/** Drinking-water quality samples: each turbidity, chlorine and pH value judged against the limits (CONTRACT §6). */
import type { Metric } from '../metrics.js';
import type { DeviceInfo } from '../registry.js';
import type { RuleId, RuleOverride } from '../registry-schema.js';
import { effectiveSettings } from './settings.js';

/** Which rule holds each quality metric's limits at a site kind. */
function qualityRule(metric: Metric, device: DeviceInfo): RuleId | null {
  if (metric === 'turbidity') return 'turbidity-max';
  if (metric === 'ph') return 'ph-range';
  if (metric === 'chlorine') return device.siteKind === 'plant' ? 'chlorine-plant' : 'chlorine-network';
  return null;
}

export interface QualityLimits {
  metric: Metric;
  min?: number;
  max?: number;
}

/**
 * The limits a device's quality samples are judged by; empty for a source (raw water falls under
 * GB 3838 / GB/T 14848, not the drinking-water standard). A disabled rule still lends its limits:
 * CONTRACT §6 counts every stored sample, and silencing an alert must not raise 水质达标率.
 */
export function qualityLimits(device: DeviceInfo, overrides: readonly RuleOverride[]): QualityLimits[] {
  if (device.siteKind === 'source') return [];
  const out: QualityLimits[] = [];
  for (const metric of device.metrics) {
    const rule = qualityRule(metric, device);
    const s = rule ? effectiveSettings(rule, device, overrides, { evenDisabled: true }) : null;
    if (s) out.push({ metric, min: s.min, max: s.max });
  }
  return out;
}

/** Samples in a Reading and how many are within their limits (limits only, no hysteresis). */
export function judgeQuality(
  limits: readonly QualityLimits[],
  values: Partial<Record<Metric, number>>,
): { samples: number; compliant: number } {
  let samples = 0;
  let compliant = 0;
  for (const l of limits) {
    const v = values[l.metric];
    if (v === undefined) continue;
    samples++;
    if ((l.min === undefined || v >= l.min) && (l.max === undefined || v <= l.max)) compliant++;
  }
  return { samples, compliant };
}
