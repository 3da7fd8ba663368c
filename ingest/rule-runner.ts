/** Runs the pure rule engine over a live stream: per-device state, settings per registry, stale checks on a clock. */
import type { Alert, AlertEvent } from '../core/alert.js';
import type { ValidReading } from '../core/reading.js';
import type { DeviceInfo, Registry } from '../core/registry.js';
import type { RuleSettings } from '../core/rules/defaults.js';
import { evaluate, type Outcome } from '../core/rules/evaluate.js';
import { type QualityLimits, qualityLimits } from '../core/rules/quality.js';
import { rebuildStates } from '../core/rules/rebuild.js';
import { type DeviceState, initialState } from '../core/rules/rule-state.js';
import { rulesFor } from '../core/rules/settings.js';
import { checkStale, staleDeadline } from '../core/rules/stale.js';
import { createIncidentTracker } from './incident-tracker.js';

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
  activeAlerts(): number;
}

export interface RuleRunnerOptions {
  /**
   * `wall` (default): `stale` counts silence on the receiving clock. `readings`: on the newest live
   * Reading's own ts, so a replay at speed is judged on simulated time (INGEST_STALE_CLOCK).
   */
  staleClock?: 'wall' | 'readings';
}

export function createRuleRunner(registry: () => Registry, options: RuleRunnerOptions = {}): RuleRunner {
  const byReadings = options.staleClock === 'readings';
  /** The simulated now of a replay: the newest live Reading's ts (readings clock only). */
  let simNow: number | null = null;
  /**
   * How far behind the newest a Reading may still arrive (decaying maximum, simulated ms). A replay at
   * 600× turns a second of delivery delay into ten simulated minutes, so the stale clock runs this far
   * behind the front: a device is stale only once the front has passed its deadline by more than that.
   */
  let lag = 0;
  const staleNow = () => simNow! - 2 * lag - 60_000;
  /** When watching began on the receiving clock: on the readings clock it moves to the first Reading's ts. */
  let watchedFrom: number | null = null;
  const states = new Map<string, DeviceState>();
  let cachedFor: Registry | null = null;
  const setups = new Map<string, DeviceSetup>();
  // Incidents: every event leaves the runner with its incidentId (and any `grouped` events it causes).
  const incidents = createIncidentTracker(registry);
  // chlorine-demand compares a network site with the newest chlorine at its scheme's works outlet.
  const plantChlorine = new Map<string, number>();

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

  /** The first Reading of a replay starts its clock: devices watched since start count from it. */
  const startSimClock = (ts: number, first: string) => {
    simNow = ts;
    // A replay starts its devices over a stretch of simulated time (the simulator spreads first Readings
    // over 3 s of wall clock, 25 simulated minutes at 500×): one not heard yet is watched from an hour in.
    for (const [id, st] of states)
      if (st.newestTs === null && st.heardAt === watchedFrom)
        states.set(id, { ...st, heardAt: id === first ? ts : ts + REPLAY_START_MS });
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

  const staleAt = (now: number): AlertEvent[] => {
    const r = current();
    const events: AlertEvent[] = [];
    for (const id of r.devices.keys()) {
      // A device added by a reload is watched from the first check after it.
      const st = stateOf(id, now);
      const s = setup(id);
      if (!s?.stale) continue;
      // On the readings clock `now` trails the front by the delivery allowance: a device found silent is
      // stale from its deadline, the simulated time it really became so.
      const at = byReadings
        ? Math.min(now, Math.max(staleDeadline(st, s.device, s.stale) + 1, st.heardAt))
        : now;
      const step =
        now > staleDeadline(st, s.device, s.stale) ? checkStale(st, s.device, s.stale, at) : { state: st };
      if (step.event) {
        states.set(id, step.state);
        events.push(step.event);
      }
    }
    return incidents.assign(events);
  };
  /** On the readings clock, simulated time moves with Readings: stale is checked as it passes (CONTRACT §3: within 10 s). */
  let staleCheckedAt = Number.NEGATIVE_INFINITY;
  const STALE_STEP_MS = 5_000;
  const LAG_HALF_MS = 6 * 3_600_000;
  const REPLAY_START_MS = 3_600_000;
  const MAX_LAG_MS = 30 * 60_000;

  return {
    setup,
    judge(s, reading, wallAt) {
      const d = s.device;
      let receivedAt = wallAt;
      if (byReadings) {
        if (simNow === null) startSimClock(reading.ts, d.id);
        receivedAt = reading.ts;
      }
      const context = { plantChlorine: plantChlorine.get(d.schemeId) };
      const r = evaluate(stateOf(d.id, receivedAt), d, reading, s.rules, receivedAt, context);
      if (d.siteKind === 'plant' && reading.values.chlorine !== undefined && r.outcome === 'live')
        plantChlorine.set(d.schemeId, reading.values.chlorine);
      states.set(d.id, r.state);
      const events = incidents.assign(r.events);
      if (byReadings && r.outcome === 'live') {
        const front = Math.max(simNow ?? reading.ts, reading.ts);
        // A store-and-forward batch is hours behind on purpose: not delivery delay.
        const behind = front - reading.ts;
        // The allowance decays with simulated time (halving every LAG_HALF_MS), not per Reading.
        const decay = 2 ** (-(front - (simNow ?? front)) / LAG_HALF_MS);
        lag = Math.max(behind <= MAX_LAG_MS ? behind : 0, lag * decay);
        simNow = front;
        if (staleNow() - staleCheckedAt >= STALE_STEP_MS) {
          staleCheckedAt = staleNow();
          events.push(...staleAt(staleCheckedAt));
        }
      }
      return { ...r, events };
    },
    checkStale(wallNow) {
      if (byReadings && simNow === null) return [];
      return staleAt(byReadings ? staleNow() : wallNow);
    },
    restore(active, at) {
      watchedFrom = at;
      incidents.restore(active);
      states.clear();
      for (const [id, st] of rebuildStates(active, at, (id) => setup(id)?.rules)) states.set(id, st);
      for (const id of current().devices.keys()) stateOf(id, at);
    },
    activeAlerts() {
      let n = 0;
      for (const st of states.values()) n += Object.keys(st.active).length;
      return n;
    },
  };
}
