/**
 * quality-anomaly, in the manner of EPA CANARY (EPA/600/R-08/040): per device and metric a predictor with a
 * daily pattern (a level EWMA plus 24 hour-of-day offsets), its residuals against a learned spread, and a
 * binomial event discriminator over the last `count` Readings: an event when more outliers gather than
 * chance would give. Outliers do not teach the predictor, so an event does not become the new normal.
 */
import type { Alert, AlertEvent } from '../alert.js';
import type { Metric } from '../metrics.js';
import type { DeviceInfo } from '../registry.js';
import { cleared, raised } from './alerts.js';
import type { RuleSettings } from './defaults.js';
import { metricName, where } from './messages.js';
import { ewma, warmedUp } from './typical.js';

export interface MetricModel {
  level: number | null;
  variance: number;
  /** Offset of each local hour of the day from the level. */
  season: readonly number[];
  n: number;
  lastTs: number;
}

export interface AnomalyState {
  models: Readonly<Partial<Record<Metric, MetricModel>>>;
  /** Metrics that were outliers, one entry per recent Reading (newest last), at most `count`. */
  window: readonly (readonly Metric[])[];
}

/** Below this spread a residual is sensor resolution, not a signal (units of each metric). */
const FLOOR: Record<Metric, number> = {
  turbidity: 0.02,
  chlorine: 0.01,
  ph: 0.02,
  conductivity: 2,
  temperature: 0.1,
  flow: 0.5,
  pressure: 0.003,
  level: 0.01,
};
const QUALITY: ReadonlySet<Metric> = new Set(['chlorine', 'turbidity', 'ph', 'conductivity', 'temperature']);
/** Chance that a normal Reading is an outlier, used by the discriminator (heavier tails than a Gaussian's). */
export const OUTLIER_P0 = 0.02;
/** The discriminator's false-event probability per window. */
const EVENT_P = 1e-3;
/** How fast a day's hourly offset learns (per day the hour recurs). */
const SEASON_RATE = 0.1;
/** China Standard Time: the daily pattern follows local clock time. */
const LOCAL_OFFSET_MS = 8 * 3_600_000;

/** Thresholds by window length: they depend on the settings only, so each is worked out once. */
const thresholds = new Map<string, number>();

export function eventThreshold(n: number, p0 = OUTLIER_P0): number {
  const key = `${n}|${p0}`;
  let k = thresholds.get(key);
  if (k === undefined) {
    k = binomialThreshold(n, p0);
    thresholds.set(key, k);
  }
  return k;
}

/** Smallest k such that P(X ≥ k) < EVENT_P for X ~ Binomial(n, p0). */
function binomialThreshold(n: number, p0: number): number {
  let tail = 1;
  let pk = (1 - p0) ** n;
  for (let k = 0; k <= n; k++) {
    if (tail < EVENT_P) return Math.max(k, 2);
    tail -= pk;
    pk = (pk * (n - k) * p0) / ((k + 1) * (1 - p0));
  }
  return n + 1;
}

const hourOf = (ts: number) =>
  Math.floor(((((ts + LOCAL_OFFSET_MS) % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);

export function stepAnomaly(
  s: RuleSettings,
  device: DeviceInfo,
  prev: AnomalyState | undefined,
  active: Alert | undefined,
  values: Partial<Record<Metric, number>>,
  ts: number,
): { anomaly: AnomalyState; event?: AlertEvent } {
  const tau = s.typicalS ?? 21600;
  const sigma = s.sigma ?? 4;
  const n = s.count ?? 12;
  const models: Partial<Record<Metric, MetricModel>> = { ...prev?.models };
  const outliers: Metric[] = [];
  for (const m of device.metrics) {
    // Water quality, as CANARY: hydraulics follow demand and have their own rules (burst, plant-outage).
    if (!QUALITY.has(m)) continue;
    const v = values[m];
    if (v === undefined) continue;
    const md = models[m] ?? { level: null, variance: 0, season: new Array(24).fill(0), n: 0, lastTs: ts };
    const h = hourOf(ts);
    const predicted = (md.level ?? v) + md.season[h]!;
    const r = v - predicted;
    const sd = Math.max(Math.sqrt(md.variance), FLOOR[m]);
    const ready = md.level !== null && warmedUp(md.n, tau, device.intervalS);
    if (ready && Math.abs(r) > sigma * sd) {
      outliers.push(m);
      continue;
    }
    const dt = ts - md.lastTs;
    const level = ewma(md.level, v - md.season[h]!, dt, tau);
    const season = md.season.slice();
    if (md.level !== null) season[h] = season[h]! + SEASON_RATE * (v - level - season[h]!);
    models[m] = {
      level,
      variance: ewma(md.level === null ? null : md.variance, r * r, dt, tau),
      season,
      n: md.n + 1,
      lastTs: ts,
    };
  }
  const window = [...(prev?.window ?? []), outliers].slice(-n);
  const count = window.filter((w) => w.length > 0).length;
  const k = eventThreshold(n);
  const anomaly = { models, window };
  if (!active) {
    if (count < k || outliers.length === 0) return { anomaly };
    const moved = [...new Set(window.flat())];
    const message =
      `${moved.map(metricName).join(', ')} ${moved.length > 1 ? 'moved together' : 'moved'} away from ` +
      `their daily pattern: ${count} of the last ${window.length} readings beyond ${sigma} standard deviations ${where(device)}`;
    const event = raised({ settings: s, device, at: ts, value: count, limit: k, message });
    return { anomaly, event };
  }
  return count < Math.ceil(k / 2) ? { anomaly, event: cleared(active, ts) } : { anomaly };
}
