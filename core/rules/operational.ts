/**
 * Operational rules beyond fixed limits, each comparing a Reading with the device's own typical value:
 * plant-outage, burst, chlorine-demand and the rate-of-change rules (`<metric>-rate`). Pure steps on the
 * Reading's own time, with the threshold rules' raise-after / clear-after counts.
 */
import type { Alert, AlertEvent } from '../alert.js';
import type { Metric } from '../metrics.js';
import type { DeviceInfo } from '../registry.js';
import { cleared, raised } from './alerts.js';
import type { RuleSettings } from './defaults.js';
import { metricName, quantity, where } from './messages.js';
import type { OpState } from './rule-state.js';
import { ewma, warmedUp } from './typical.js';

export interface OpStep {
  op: OpState;
  event?: AlertEvent;
}

interface Judgement {
  breach: boolean;
  /** Back to normal (clears after clearAfter such Readings). */
  back: boolean;
  value: number;
  limit: number;
  /** Written only when an alert is raised: most Readings raise nothing. */
  message: () => string;
}

const fresh = (ts: number): OpState => ({ typical: null, n: 0, lastTs: ts, breaches: 0, inside: 0 });

/**
 * The common life of these rules. The typical value learns only from normal Readings: an outage or a
 * burst must not become the new normal while it lasts.
 */
function advance(
  s: RuleSettings,
  device: DeviceInfo,
  prev: OpState,
  active: Alert | undefined,
  ts: number,
  metric: Metric,
  judgement: Judgement | null,
  learn: (op: OpState) => OpState,
): OpStep {
  if (!active) {
    if (judgement?.breach) {
      const breaches = prev.breaches + 1;
      if (breaches < s.raiseAfter) return { op: { ...prev, breaches, inside: 0 } };
      const { value, limit } = judgement;
      const event = raised({
        settings: s,
        device,
        at: ts,
        metric,
        value,
        limit,
        message: judgement.message(),
      });
      return { op: { ...prev, breaches: 0, inside: 0 }, event };
    }
    return { op: learn({ ...prev, breaches: 0, inside: 0 }) };
  }
  if (!judgement?.back) return { op: { ...prev, inside: 0 } };
  const inside = prev.inside + 1;
  if (inside < s.clearAfter) return { op: { ...prev, inside } };
  return { op: learn({ ...prev, breaches: 0, inside: 0 }), event: cleared(active, ts) };
}

const learnValue =
  (s: RuleSettings, v: number, ts: number) =>
  (op: OpState): OpState => ({
    ...op,
    typical: ewma(op.typical, v, ts - op.lastTs, s.typicalS ?? 3600),
    n: op.n + 1,
    lastTs: ts,
  });

/** plant-outage: outlet flow below (1 − dropRatio) × its typical flow. */
export function stepPlantOutage(
  s: RuleSettings,
  device: DeviceInfo,
  prev: OpState | undefined,
  active: Alert | undefined,
  flow: number,
  ts: number,
): OpStep {
  const op = prev ?? fresh(ts);
  const ratio = 1 - (s.dropRatio ?? 0.7);
  const ready = op.typical !== null && op.typical > 0 && warmedUp(op.n, s.typicalS ?? 7200, device.intervalS);
  const typical = op.typical ?? 0;
  const level = typical * ratio;
  const j: Judgement | null = ready
    ? {
        breach: flow < level,
        back: flow >= level * (1 + s.deadband) * 1.5,
        value: flow,
        limit: level,
        message: () =>
          `outlet flow ${quantity('flow', flow)}, below ${Math.round(ratio * 100)} % of its typical ` +
          `${quantity('flow', typical)} ${where(device)}: the works may have stopped`,
      }
    : null;
  return advance(s, device, op, active, ts, 'flow', j, learnValue(s, flow, ts));
}

/** burst: flow up by more than riseRatio and pressure down by more than dropRatio, both against typical, in one Reading. */
export function stepBurst(
  s: RuleSettings,
  device: DeviceInfo,
  prev: OpState | undefined,
  active: Alert | undefined,
  flow: number,
  pressure: number,
  ts: number,
): OpStep {
  const op = prev ?? { ...fresh(ts), pressure: null };
  const tau = s.typicalS ?? 3600;
  const ready = op.typical !== null && op.pressure != null && warmedUp(op.n, tau, device.intervalS);
  const tf = op.typical ?? 0;
  const tp = op.pressure ?? 0;
  const flowLimit = tf * (1 + (s.riseRatio ?? 0.3));
  const pressureLimit = tp * (1 - (s.dropRatio ?? 0.15));
  const j: Judgement | null = ready
    ? {
        breach: flow > flowLimit && tp > 0 && pressure < pressureLimit,
        back: flow <= tf * (1 + (s.riseRatio ?? 0.3) / 2) || pressure >= tp * (1 - (s.dropRatio ?? 0.15) / 2),
        value: flow,
        limit: flowLimit,
        message: () =>
          `flow ${quantity('flow', flow)} (typical ${quantity('flow', tf)}) with pressure ` +
          `${quantity('pressure', pressure)} (typical ${quantity('pressure', tp)}) ${where(device)}: a possible burst`,
      }
    : null;
  const learn = (o: OpState): OpState => ({
    ...learnValue(s, flow, ts)(o),
    pressure: ewma(o.pressure ?? null, pressure, ts - o.lastTs, tau),
  });
  return advance(s, device, op, active, ts, 'flow', j, learn);
}

/** `<metric>-rate`: the value away from its typical value by more than max(max, riseRatio × typical). */
export function stepDeparture(
  s: RuleSettings & { metric: Metric },
  device: DeviceInfo,
  prev: OpState | undefined,
  active: Alert | undefined,
  value: number,
  ts: number,
): OpStep {
  const op = prev ?? fresh(ts);
  const tau = s.typicalS ?? 1800;
  const ready = op.typical !== null && warmedUp(op.n, tau, device.intervalS);
  const typical = op.typical ?? 0;
  const span = Math.max(s.max ?? 0, (s.riseRatio ?? 0) * Math.abs(typical));
  const away = Math.abs(value - typical);
  const j: Judgement | null = ready
    ? {
        breach: away > span,
        back: away <= span * 0.5,
        value,
        limit: value > typical ? typical + span : typical - span,
        message: () =>
          `${metricName(s.metric)} ${quantity(s.metric, value)} moved ${value > typical ? 'up' : 'down'} from its ` +
          `typical ${quantity(s.metric, typical)} by more than ${quantity(s.metric, span)} ${where(device)}`,
      }
    : null;
  // A fall may need fewer Readings than a rise (chlorine at the works outlet, operational-defaults.ts).
  const rule =
    ready && value < typical && s.fallRaiseAfter !== undefined ? { ...s, raiseAfter: s.fallRaiseAfter } : s;
  return advance(rule, device, op, active, ts, s.metric, j, learnValue(s, value, ts));
}

/**
 * chlorine-demand: the difference between the works outlet's chlorine (`plantChlorine`, its newest
 * Reading) and this site's, compared with its typical difference.
 */
export function stepChlorineDemand(
  s: RuleSettings,
  device: DeviceInfo,
  prev: OpState | undefined,
  active: Alert | undefined,
  chlorine: number,
  plantChlorine: number,
  ts: number,
): OpStep {
  const op = prev ?? fresh(ts);
  const demand = plantChlorine - chlorine;
  const tau = s.typicalS ?? 21600;
  const ready = op.typical !== null && warmedUp(op.n, tau, device.intervalS);
  const typical = op.typical ?? 0;
  const span = s.max ?? 0.3;
  const j: Judgement | null = ready
    ? {
        breach: Math.abs(demand - typical) > span,
        back: Math.abs(demand - typical) <= span * 0.5,
        value: demand,
        limit: demand > typical ? typical + span : typical - span,
        message: () =>
          `chlorine demand ${quantity('chlorine', demand)} between the works (${quantity('chlorine', plantChlorine)}) ` +
          `and here (${quantity('chlorine', chlorine)}), typically ${quantity('chlorine', typical)} ${where(device)}`,
      }
    : null;
  return advance(s, device, op, active, ts, 'chlorine', j, learnValue(s, demand, ts));
}
