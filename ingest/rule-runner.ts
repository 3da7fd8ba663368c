/** Runs the pure rule engine over a live stream: per-device state, settings per registry, stale checks on a clock. */
import type { Alert, AlertEvent } from '../core/alert.js';
import type { ValidReading } from '../core/reading.js';
import type { DeviceInfo, Registry } from '../core/registry.js';
import type { RuleSettings } from '../core/rules/defaults.js';
import { evaluate, type Outcome } from '../core/rules/evaluate.js';
import { forgetAlert } from '../core/rules/forget.js';
import { checkOffline, offlineDeadline } from '../core/rules/offline.js';
import { orphanedAlerts } from '../core/rules/orphans.js';
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
  offline: RuleSettings | undefined;
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
  /**
   * Raises `stale` for every device silent past its deadline at `now`. The first call after a registry
   * change (or a restore) also returns `reconcile(now)`'s clears, so the periodic stale check delivers
   * them without its caller knowing about reloads.
   */
  checkStale(now: number): AlertEvent[];
  /**
   * What the broker knows of a device's connection (its status: CONTRACT §3): `offline` is raised only
   * for a device whose connection closed. A Reading from the device also says it is connected.
   */
  connection(deviceId: string, online: boolean): void;
  /**
   * Clears the active alerts the current registry orphans (device removed, rule no longer in force),
   * with their reason, and forgets them: call right after a registry reload and deliver the events.
   */
  reconcile(now: number): AlertEvent[];
  /** Replaces all state with what the store's active alerts imply (at start, before any message). */
  restore(active: readonly Alert[], at: number): void;
  /**
   * Takes over one device from the store's active alerts (it connected to this node, and may have been
   * judged on another one meanwhile): what the store says is active replaces what this node remembered.
   */
  adopt(deviceId: string, active: readonly Alert[], at: number): void;
  /**
   * Forgets an alert a person resolved by hand (POST /api/v1/alerts/{id}/resolve), so the next
   * breaching Readings raise a new alert. `at` (default: the alert's clearedAt) restarts stale's count.
   * Returns whether the alert was this runner's active one.
   */
  resolved(alert: Alert, at?: number): boolean;
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
  /** The registry whose orphans were last cleared; `null` = not yet (start, restore). */
  let reconciledFor: Registry | null = null;
  const setups = new Map<string, DeviceSetup>();
  /**
   * Devices alike (same site kind, scale and metrics, no override naming their site or themselves) share
   * one rules array: 10,000 devices need a few dozen, not 10,000 (memory of an idle node).
   */
  const shared = new Map<string, Pick<DeviceSetup, 'rules' | 'stale' | 'offline' | 'limits'>>();
  let named: { devices: Set<string>; sites: Set<string> } = { devices: new Set(), sites: new Set() };
  // Incidents: every event leaves the runner with its incidentId (and any `grouped` events it causes).
  const incidents = createIncidentTracker(registry);
  // chlorine-demand compares a network site with the newest chlorine at its scheme's works outlet.
  const plantChlorine = new Map<string, number>();
  /** Devices whose connection closed and that have not connected or sent a Reading since. */
  const disconnected = new Set<string>();

  const current = (): Registry => {
    const r = registry();
    if (r !== cachedFor) {
      // A reload: settings are recomputed lazily; alert state is per device id and survives.
      setups.clear();
      shared.clear();
      const overrides = r.file.rules ?? [];
      named = {
        devices: new Set(overrides.flatMap((o) => (o.device ? [o.device] : []))),
        sites: new Set(overrides.flatMap((o) => (o.site ? [o.site] : []))),
      };
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
    const alike =
      named.devices.has(device.id) || named.sites.has(device.siteId)
        ? null
        : `${device.siteKind}|${device.scale}|${device.metrics.join(',')}`;
    let judged = alike === null ? undefined : shared.get(alike);
    if (!judged) {
      const rules = rulesFor(device, overrides);
      judged = {
        rules,
        stale: rules.find((x) => x.rule === 'stale'),
        offline: rules.find((x) => x.rule === 'offline'),
        limits: qualityLimits(device, overrides),
      };
      if (alike !== null) shared.set(alike, judged);
    }
    s = { device, ...judged };
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

  function reconcile(now: number): AlertEvent[] {
    const r = current();
    reconciledFor = r;
    const active: Alert[] = [];
    for (const st of states.values()) for (const a of Object.values(st.active)) if (a) active.push(a);
    const events = orphanedAlerts(active, r, now);
    for (const e of events) {
      const st = states.get(e.alert.deviceId);
      if (st) states.set(e.alert.deviceId, forgetAlert(st, e.alert, now));
    }
    // A removed device's state goes: if it comes back, it is watched afresh.
    for (const id of states.keys()) if (!r.devices.has(id)) states.delete(id);
    return incidents.assign(events);
  }

  const staleAt = (now: number): AlertEvent[] => {
    const r = current();
    const events: AlertEvent[] = r === reconciledFor ? [] : reconcile(now);
    for (const id of r.devices.keys()) {
      // A device added by a reload is watched from the first check after it.
      let st = stateOf(id, now);
      const s = setup(id);
      // On the readings clock `now` trails the front by the delivery allowance: a device found silent is
      // stale (offline) from its deadline, the simulated time it really became so.
      const dated = (deadline: number) =>
        byReadings ? Math.min(now, Math.max(deadline + 1, st.heardAt)) : now;
      if (s?.offline && disconnected.has(id)) {
        const deadline = offlineDeadline(st, s.device, s.offline);
        const step =
          now > deadline ? checkOffline(st, s.device, s.offline, dated(deadline), true) : { state: st };
        if (step.event) {
          st = step.state;
          states.set(id, st);
          events.push(step.event);
        }
      }
      if (!s?.stale) continue;
      const deadline = staleDeadline(st, s.device, s.stale);
      const step = now > deadline ? checkStale(st, s.device, s.stale, dated(deadline)) : { state: st };
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
      disconnected.delete(d.id);
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
      if (byReadings && simNow === null) return current() === reconciledFor ? [] : reconcile(wallNow);
      return staleAt(byReadings ? staleNow() : wallNow);
    },
    connection(deviceId, online) {
      if (online) disconnected.delete(deviceId);
      else disconnected.add(deviceId);
    },
    reconcile,
    adopt(deviceId, active, at) {
      const own = active.filter((a) => a.deviceId === deviceId);
      const rebuilt = rebuildStates(own, at, (id) => setup(id)?.rules).get(deviceId) ?? initialState(at);
      const before = states.get(deviceId);
      // Backfill is still judged against the newest Reading this node saw, if it saw any.
      states.set(
        deviceId,
        before ? { ...rebuilt, newestTs: before.newestTs, recent: before.recent } : rebuilt,
      );
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
    restore(active, at) {
      watchedFrom = at;
      reconciledFor = null;
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
