/** Numbers, values with units, percentages and times, formatted for the page's locale. */
import { METRICS, type Metric } from '../../core/metrics.js';
import { locale, t } from './locale.js';

/** Decimals worth showing per metric: a sensor's resolution, not float noise. */
const DECIMALS: Record<Metric, number> = {
  turbidity: 2,
  chlorine: 2,
  ph: 2,
  conductivity: 0,
  temperature: 1,
  flow: 1,
  pressure: 3,
  level: 2,
};

const numberFormats = new Map<number, Intl.NumberFormat>();
function numberFormat(decimals: number): Intl.NumberFormat {
  let f = numberFormats.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: decimals });
    numberFormats.set(decimals, f);
  }
  return f;
}

export const fmtInteger = (n: number): string => numberFormat(0).format(n);
export const fmtNumber = (n: number, decimals = 2): string => numberFormat(decimals).format(n);

export function unitOf(metric: string): string {
  return metric in METRICS ? METRICS[metric as Metric].unit : '';
}

export function metricName(metric: string): string {
  return metric in METRICS ? t(`metric.${metric as Metric}`) : metric;
}

/** A value with its unit; pH has no unit worth printing after the number. */
export function fmtValue(metric: string, value: number): string {
  const decimals = metric in DECIMALS ? DECIMALS[metric as Metric] : 2;
  const unit = unitOf(metric);
  const n = fmtNumber(value, decimals);
  return unit && unit !== 'pH' ? `${n} ${unit}` : n;
}

const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
export const fmtPercent = (ratio: number): string => percent.format(ratio);

const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
export const fmtTime = (iso: string | number): string => dateTime.format(new Date(iso));

const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
/** "3 minutes ago", for times close to now; older ones as a date. */
export function fmtAgo(iso: string, now = Date.now()): string {
  // A device clock a little ahead of the browser's is not "in 2 seconds".
  const s = Math.min(0, Math.round((Date.parse(iso) - now) / 1000));
  const abs = Math.abs(s);
  if (abs < 60) return relative.format(s, 'second');
  if (abs < 3600) return relative.format(Math.round(s / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(s / 3600), 'hour');
  return fmtTime(iso);
}
