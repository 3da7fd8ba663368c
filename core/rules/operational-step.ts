/** Routes one Reading to the operational, rate and statistical rules (evaluate.ts calls it for every rule it does not know). */
import type { Alert, AlertEvent } from '../alert.js';
import type { Metric } from '../metrics.js';
import type { DeviceInfo } from '../registry.js';
import { stepAnomaly } from './anomaly.js';
import type { RuleSettings } from './defaults.js';
import { type OpStep, stepBurst, stepChlorineDemand, stepDeparture, stepPlantOutage } from './operational.js';
import type { DeviceState } from './rule-state.js';

/** What a rule needs from beyond its device: the newest chlorine at the works outlet of its scheme. */
export interface RuleContext {
  plantChlorine?: number;
}

export interface OperationalStep {
  ops: DeviceState['ops'];
  anomaly: DeviceState['anomaly'];
  event?: AlertEvent;
}

export function stepOperational(
  s: RuleSettings,
  device: DeviceInfo,
  state: Pick<DeviceState, 'ops' | 'anomaly'>,
  active: Alert | undefined,
  values: Partial<Record<Metric, number>>,
  ts: number,
  context: RuleContext,
): OperationalStep | null {
  const { ops, anomaly } = state;
  const op = ops?.[s.rule];
  if (s.rule === 'quality-anomaly') {
    const r = stepAnomaly(s, device, anomaly, active, values, ts);
    return { ops, anomaly: r.anomaly, ...(r.event ? { event: r.event } : {}) };
  }
  if (s.rule === 'plant-outage') {
    const flow = values.flow;
    return flow === undefined
      ? null
      : withOp(state, s.rule, stepPlantOutage(s, device, op, active, flow, ts));
  }
  if (s.rule === 'burst') {
    const { flow, pressure } = values;
    if (flow === undefined || pressure === undefined) return null;
    return withOp(state, s.rule, stepBurst(s, device, op, active, flow, pressure, ts));
  }
  if (s.rule === 'chlorine-demand') {
    const c = values.chlorine;
    if (c === undefined || context.plantChlorine === undefined) return null;
    return withOp(state, s.rule, stepChlorineDemand(s, device, op, active, c, context.plantChlorine, ts));
  }
  if (s.kind === 'rate' && s.metric !== undefined && s.rule !== 'pressure-drop') {
    const v = values[s.metric];
    return v === undefined
      ? null
      : withOp(
          state,
          s.rule,
          stepDeparture(s as RuleSettings & { metric: Metric }, device, op, active, v, ts),
        );
  }
  return null;
}

/** The device's rule states with one rule's replaced (a module function: this runs for every Reading). */
function withOp(
  state: Pick<DeviceState, 'ops' | 'anomaly'>,
  rule: RuleSettings['rule'],
  r: OpStep,
): OperationalStep {
  return {
    ops: { ...state.ops, [rule]: r.op },
    anomaly: state.anomaly,
    ...(r.event ? { event: r.event } : {}),
  };
}
