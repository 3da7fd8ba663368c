/**
 * Ground truth for the operational, rate and statistical rules, which judge a device against its own
 * typical values: what a fault makes a correct platform raise (expected) or may make it raise (allowed).
 */
import type { DeviceInfo, Registry } from '../core/registry.js';
import type { RuleId } from '../core/registry-schema.js';
import { OPERATIONAL_IDS } from '../core/rules/operational-defaults.js';
import { effectiveSettings } from '../core/rules/settings.js';
import { isoTime } from '../core/time.js';
import type { Fault } from './faults.js';
import type { AlertRef } from './truth-record.js';

type Add = (to: 'expected' | 'allowed', ref: AlertRef) => void;
type Overrides = NonNullable<Registry['file']['rules']>;

/** Which of these rules a fault of the water system may set off at a device of its scheme. */
const BY_FAULT: Record<string, readonly RuleId[]> = {
  burst: ['burst', 'level-rate', 'chlorine-rate', 'chlorine-demand', 'turbidity-rate', 'quality-anomaly'],
  'plant-outage': [
    'plant-outage',
    'burst',
    'level-rate',
    'chlorine-rate',
    'chlorine-demand',
    'quality-anomaly',
  ],
  'dosing-failure': ['chlorine-rate', 'chlorine-demand', 'quality-anomaly'],
  'source-turbidity': [
    'turbidity-rate',
    'conductivity-rate',
    'quality-anomaly',
    'chlorine-rate',
    'chlorine-demand',
  ],
};

/** A fault of the network: every device of its scheme may raise the rules it sets off. */
export function networkOperational(
  devices: readonly DeviceInfo[],
  f: Fault,
  overrides: Overrides,
  add: Add,
): void {
  const rules = BY_FAULT[f.kind] ?? [];
  for (const d of devices.filter((x) => x.schemeId === f.schemeId)) {
    for (const rule of rules) {
      const s = effectiveSettings(rule, d, overrides);
      if (!s || (s.metric !== undefined && !d.metrics.includes(s.metric))) continue;
      // The works' own monitors see an outage at once when they keep their power: 2 Readings of no flow.
      const sees = rule === 'plant-outage' && d.siteId === f.siteId && !f.deviceIds.includes(d.id);
      if (sees)
        add('expected', {
          ruleId: rule,
          deviceId: d.id,
          metric: 'flow',
          at: isoTime(f.start + s.raiseAfter * d.intervalS * 1000),
        });
      else add('allowed', { ruleId: rule, deviceId: d.id, ...(s.metric ? { metric: s.metric } : {}) });
    }
  }
}

/** A fault of one device's sensor: the rules that judge change may see it. */
export function deviceOperational(d: DeviceInfo, f: Fault, overrides: Overrides, add: Add): void {
  if (f.kind !== 'sensor-drift' && f.kind !== 'sensor-spike' && f.kind !== 'sensor-stuck') return;
  for (const rule of OPERATIONAL_IDS) {
    const s = effectiveSettings(rule, d, overrides);
    if (!s || (f.metric && s.metric !== undefined && s.metric !== f.metric)) continue;
    if (s.metric !== undefined && !d.metrics.includes(s.metric)) continue;
    add('allowed', { ruleId: rule, deviceId: d.id, ...(s.metric ? { metric: s.metric } : {}) });
  }
}
