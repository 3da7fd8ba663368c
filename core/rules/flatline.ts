/** flatline (CONTRACT §5): the same value of one metric `count` times in a row: a stuck sensor or a frozen logger. */
import type { Alert, AlertEvent } from '../alert.js';
import type { Metric } from '../metrics.js';
import type { DeviceInfo } from '../registry.js';
import { cleared, raised } from './alerts.js';
import type { RuleSettings } from './defaults.js';
import { flatlineMessage } from './messages.js';
import type { Run } from './rule-state.js';

type Runs = Readonly<Partial<Record<Metric, Run>>>;

export interface FlatlineStep {
  runs: Runs;
  event?: AlertEvent;
}

/**
 * Runs are counted per metric, over the Readings that carry it. A device has one flatline alert
 * (at most one active per device and rule, CONTRACT §4), so several stuck metrics share it: it is
 * raised when the first metric reaches `count` identical values, names that metric, and clears once
 * no metric of the device is stuck any more; with one stuck metric that is its first different value.
 */
export function stepFlatline(
  s: RuleSettings,
  device: DeviceInfo,
  prev: Runs,
  active: Alert | undefined,
  values: Partial<Record<Metric, number>>,
  ts: number,
): FlatlineStep {
  const count = s.count ?? 10;
  const runs: Partial<Record<Metric, Run>> = { ...prev };
  for (const [m, v] of Object.entries(values) as [Metric, number][]) {
    const run = prev[m];
    runs[m] =
      run !== undefined && run.value === v ? { value: v, count: run.count + 1 } : { value: v, count: 1 };
  }
  if (!active) {
    const stuck = device.metrics.find((m) => values[m] !== undefined && (runs[m]?.count ?? 0) >= count);
    if (stuck === undefined) return { runs };
    const run = runs[stuck]!;
    const message = flatlineMessage(device, stuck, run.value, run.count);
    const event = raised({
      settings: s,
      device,
      at: ts,
      metric: stuck,
      value: run.value,
      limit: count,
      message,
    });
    return { runs, event };
  }
  for (const m in runs) if ((runs[m as Metric]?.count ?? 0) >= count) return { runs };
  return { runs, event: cleared(active, ts) };
}
