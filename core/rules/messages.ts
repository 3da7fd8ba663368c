/** Human-readable alert messages: what an operator reads on a phone at night, so plain words and units. */
import { METRICS, type Metric } from '../metrics.js';
import type { DeviceInfo } from '../registry.js';

/** A number without floating-point noise: 0.1 + 0.2 prints as 0.3. */
export function num(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/** "free chlorine", "turbidity", but "pH" keeps its capitals. */
export function metricName(metric: Metric): string {
  const label = METRICS[metric].label;
  return metric === 'ph' ? label : label.toLowerCase();
}

/** "0.02 mg/L", and for pH just "7.2" (the unit is the name). */
export function quantity(metric: Metric, v: number): string {
  const unit = METRICS[metric].unit;
  return unit === 'pH' ? num(v) : `${num(v)} ${unit}`;
}

/** "at pipe xiji-s1-p1" */
export function where(device: DeviceInfo): string {
  return `at ${device.siteKind} ${device.siteId}`;
}

export function thresholdMessage(
  device: DeviceInfo,
  metric: Metric,
  value: number,
  limit: number,
  side: 'min' | 'max',
): string {
  const dir = side === 'min' ? 'below' : 'above';
  return `${metricName(metric)} ${quantity(metric, value)} ${dir} ${quantity(metric, limit)} ${where(device)}`;
}

export function dropMessage(device: DeviceInfo, value: number, reference: number, windowS: number): string {
  const pct = Math.round((1 - value / reference) * 100);
  return (
    `pressure ${quantity('pressure', value)}, ${pct} % below the highest of the previous ` +
    `${num(windowS / 60)} min (${quantity('pressure', reference)}) ${where(device)}: a possible burst`
  );
}

export function staleMessage(device: DeviceInfo, silentMs: number): string {
  return (
    `no reading from ${device.id} for ${Math.round(silentMs / 1000)} s ` +
    `(it reports every ${device.intervalS} s) ${where(device)}`
  );
}

/** Starts as staleMessage does, so the pages read the silence from it the same way. */
export function offlineMessage(device: DeviceInfo, silentMs: number): string {
  return `${staleMessage(device, silentMs)}: its connection to the broker is closed`;
}

export function flatlineMessage(device: DeviceInfo, metric: Metric, value: number, count: number): string {
  return (
    `${metricName(metric)} stuck at ${quantity(metric, value)} for ${count} consecutive readings ` +
    `${where(device)}: a stuck sensor?`
  );
}
