/** Runs hand-written Reading sequences through the pure rule engine, for rule tests without timers. */
import type { AlertEvent } from '../../core/alert.js';
import type { Metric } from '../../core/metrics.js';
import { type DeviceInfo, parseRegistry, type Registry } from '../../core/registry.js';
import type { RegistryFile, RuleOverride } from '../../core/registry-schema.js';
import type { RuleSettings } from '../../core/rules/defaults.js';
import { evaluate, type Outcome } from '../../core/rules/evaluate.js';
import { type DeviceState, initialState } from '../../core/rules/rule-state.js';
import { rulesFor } from '../../core/rules/settings.js';
import { smallRegistry } from './small-registry.js';

export const T0 = Date.UTC(2026, 10, 27, 6, 0, 0);

export function registryWith(rules: RuleOverride[] = [], edit?: (f: RegistryFile) => void): Registry {
  const file = smallRegistry();
  file.rules = rules;
  edit?.(file);
  const r = parseRegistry(file);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

export interface Step {
  i: number;
  outcome: Outcome;
  events: AlertEvent[];
}

/** A device fed Readings one after another, remembering its state between them. */
export class Feed {
  state: DeviceState;
  readonly device: DeviceInfo;
  readonly rules: RuleSettings[];
  readonly log: Step[] = [];
  private n = 0;

  constructor(deviceId: string, registry: Registry = registryWith(), state?: DeviceState) {
    this.device = registry.devices.get(deviceId)!;
    this.rules = rulesFor(this.device, registry.file.rules ?? []);
    this.state = state ?? initialState(T0);
  }

  /** One Reading at `ts` (default: one interval after the previous). */
  push(values: Partial<Record<Metric, number>>, ts = T0 + (this.n + 1) * this.device.intervalS * 1000): Step {
    const r = evaluate(this.state, this.device, { ts, values }, this.rules);
    this.state = r.state;
    const step = { i: this.n++, outcome: r.outcome, events: r.events };
    this.log.push(step);
    return step;
  }

  /** Feeds one metric's values and returns "raised@i" / "cleared@i" for every event, in order. */
  series(metric: Metric, values: number[]): string[] {
    const out: string[] = [];
    for (const v of values) {
      const s = this.push({ [metric]: v });
      for (const e of s.events) out.push(`${e.type} ${e.alert.ruleId}@${s.i}`);
    }
    return out;
  }
}
