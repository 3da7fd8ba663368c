/** Runs the pure rule engine over a live stream: per-device state, settings per registry, stale checks on a clock. */
import type { Alert, AlertEvent } from '../core/alert.js';
import type { ValidReading } from '../core/reading.js';
import type { DeviceInfo, Registry } from '../core/registry.js';
import type { RuleSettings } from '../core/rules/defaults.js';
import { evaluate, type Outcome } from '../core/rules/evaluate.js';
import { forgetAlert } from '../core/rules/forget.js';
import { type QualityLimits, qualityLimits } from '../core/rules/quality.js';
import { rebuildStates } from '../core/rules/rebuild.js';
import { type DeviceState, initialState } from '../core/rules/rule-state.js';
import { rulesFor } from '../core/rules/settings.js';
import { checkStale } from '../core/rules/stale.js';

/** What a registry says about one device, computed once per registry version. */
export interface DeviceSetup {
  device: DeviceInfo;
  rules: RuleSettings[];
  stale: RuleSettings | undefined;
  limits: QualityLimits[];
}

export interface RuleRunner {
  /** The device's setup under the current registry, or undefined for a device it does not know. */
  setup(deviceId: string): DeviceSetup | undefined;
  /** Judges one Reading (in arrival order) and keeps the device's new state. */
  judge(
    setup: DeviceSetup,
    reading: ValidReading,
    receivedAt: number,
  ): { events: AlertEvent[]; outcome: Outcome };
  /** Raises `stale` for every device silent past its deadline at `now`. */
  checkStale(now: number): AlertEvent[];
  /** Replaces all state with what the store's active alerts imply (at start, before any message). */
  restore(active: readonly Alert[], at: number): void;
  /**
   * Forgets an alert a person resolved by hand (POST /api/v1/alerts/{id}/resolve), so the next
   * breaching Readings raise a new alert. `at` (default: the alert's clearedAt) restarts stale's count.
   * Returns whether the alert was this runner's active one.
   */
  resolved(alert: Alert, at?: number): boolean;
  activeAlerts(): number;
}

export function createRuleRunner(registry: () => Registry): RuleRunner {
  const states = new Map<string, DeviceState>();
  let cachedFor: Registry | null = null;
  const setups = new Map<string, DeviceSetup>();

  const current = (): Registry => {
    const r = registry();
    if (r !== cachedFor) {
      // A reload: settings are recomputed lazily; alert state is per device id and survives.
      setups.clear();
      cachedFor = r;
    }
    return r;
  };

  const setup = (deviceId: string): DeviceSetup | undefined => {
    const r = current();
    let s = setups.get(deviceId);
    if (s) return s;
    const device = r.devices.get(deviceId);
    if (!device) return undefined;
    const overrides = r.file.rules ?? [];
    const rules = rulesFor(device, overrides);
    s = {
      device,
      rules,
      stale: rules.find((x) => x.rule === 'stale'),
      limits: qualityLimits(device, overrides),
    };
    setups.set(deviceId, s);
    return s;
  };

  const stateOf = (deviceId: string, at: number): DeviceState => {
    let st = states.get(deviceId);
    if (!st) {
      // Not known at restore (added by a reload): watched from now.
      st = initialState(at);
      states.set(deviceId, st);
    }
    return st;
  };

  return {
    setup,
    judge(s, reading, receivedAt) {
      const r = evaluate(stateOf(s.device.id, receivedAt), s.device, reading, s.rules, receivedAt);
      states.set(s.device.id, r.state);
      return r;
    },
    checkStale(now) {
      const r = current();
      const events: AlertEvent[] = [];
      for (const id of r.devices.keys()) {
        // A device added by a reload is watched from the first check after it.
        const st = stateOf(id, now);
        const s = setup(id);
        if (!s?.stale) continue;
        const step = checkStale(st, s.device, s.stale, now);
        if (step.event) {
          states.set(id, step.state);
          events.push(step.event);
        }
      }
      return events;
    },
    restore(active, at) {
      states.clear();
      for (const [id, st] of rebuildStates(active, at, (id) => setup(id)?.rules)) states.set(id, st);
      for (const id of current().devices.keys()) stateOf(id, at);
    },
    resolved(alert, at) {
      const st = states.get(alert.deviceId);
      if (!st) return false;
      const when = at ?? (alert.clearedAt ? Date.parse(alert.clearedAt) : st.heardAt);
      const next = forgetAlert(st, alert, when);
      if (next === st) return false;
      states.set(alert.deviceId, next);
      return true;
    },
    activeAlerts() {
      let n = 0;
      for (const st of states.values()) n += Object.keys(st.active).length;
      return n;
    },
  };
}
