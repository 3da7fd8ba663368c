/**
 * Ground truth for each injected fault: the contract's default rules (CONTRACT §5) applied to the
 * model's own noise-free values, so "what a correct platform raises" comes from the physics, with a
 * margin of three standard deviations of sensor noise between expected and merely allowed alerts.
 */
import { METRICS, type Metric } from '../core/metrics.js';
import type { DeviceInfo, Registry } from '../core/registry.js';
import type { RuleId } from '../core/registry-schema.js';
import { effectiveSettings } from '../core/rules/settings.js';
import { isoTime } from '../core/time.js';
import { type Fault, NETWORK_KINDS } from './faults.js';
import { deviceOperational, networkOperational } from './truth-operational.js';
import { faultPlace } from './truth-place.js';
import type { AlertRef, FaultRecord } from './truth-record.js';
import type { World } from './world.js';

/** Three standard deviations of what a sensor adds to the truth (white and wander, see device-sim.ts). */
const NOISE_3SD: Record<Metric, (v: number) => number> = {
  pressure: () => 0.01,
  flow: (v) => 0.14 * Math.max(v, 0.5),
  chlorine: () => 0.055,
  turbidity: (v) => 0.27 * Math.max(v, 0.5),
  ph: () => 0.11,
  conductivity: () => 20,
  temperature: () => 0.35,
  level: () => 0.035,
};
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** How long after a fault ends its effects can still raise alerts, by kind. */
const HORIZON: Partial<Record<Fault['kind'], number>> = {
  burst: 3 * HOUR,
  'plant-outage': 12 * HOUR,
  'dosing-failure': 30 * HOUR,
  'source-turbidity': 24 * HOUR,
};
const THRESHOLD_RULES: Partial<Record<Metric, RuleId[]>> = {
  pressure: ['pressure-low', 'pressure-high'],
  chlorine: ['chlorine-plant', 'chlorine-network'],
  turbidity: ['turbidity-max'],
  ph: ['ph-range'],
};

export interface TruthDeps {
  registry: Registry;
  /** The devices of this run. */
  devices: readonly DeviceInfo[];
  world: World;
  /** Wall-clock time at which the simulation reaches a simulated time (replays run ahead of the wall). */
  wallAt(simTs: number): number;
  /** `readings`: ingest's stale follows simulated time (INGEST_STALE_CLOCK), so silence is timed on it. */
  staleClock?: 'wall' | 'readings';
}

interface Found {
  expected: Map<string, AlertRef>;
  allowed: Map<string, AlertRef>;
  last: number;
}

export function faultTruth(deps: TruthDeps, f: Fault): FaultRecord {
  const found: Found = { expected: new Map(), allowed: new Map(), last: f.end };
  const overrides = deps.registry.file.rules ?? [];
  const add = (to: 'expected' | 'allowed', ref: AlertRef) => {
    const key = `${ref.ruleId}|${ref.deviceId}`;
    if (!found[to].has(key)) found[to].set(key, ref);
  };
  const horizon = f.end + (HORIZON[f.kind] ?? 15 * MINUTE);
  const devicesOf = (ids: readonly string[]) => deps.devices.filter((d) => ids.includes(d.id));

  if (
    f.kind === 'burst' ||
    f.kind === 'plant-outage' ||
    f.kind === 'dosing-failure' ||
    f.kind === 'source-turbidity'
  ) {
    for (const d of deps.devices.filter((x) => x.schemeId === f.schemeId)) {
      for (const m of d.metrics) {
        const value = (ts: number) => deps.world.value(d, m, ts);
        const silent = f.kind === 'plant-outage' && f.deviceIds.includes(d.id) ? f : null;
        judge(d, m, value, f.start - 10 * MINUTE, horizon, overrides, add, found, silent);
      }
    }
    // A works' monitors losing their power drop their connection (device-sim.ts).
    for (const d of devicesOf(f.deviceIds)) silence(deps, d, f, f.end - f.start, add, overrides, true);
    if (f.kind === 'dosing-failure') outletFall(deps, f, add, overrides);
    networkOperational(deps.devices, f, overrides, add);
  } else {
    const d = deps.devices.find((x) => x.id === f.deviceIds[0]);
    if (d) deviceFault(deps, d, f, add, overrides, found);
    if (d) deviceOperational(d, f, overrides, add);
  }
  const effectEnd =
    Math.max(f.end, found.last) +
    Math.max(15 * MINUTE, ...devicesOf(f.deviceIds).map((d) => 3 * d.intervalS * 1000));
  // An alert that is expected is not also listed as merely allowed.
  for (const key of found.expected.keys()) found.allowed.delete(key);
  return {
    record: 'fault',
    id: f.id,
    kind: f.kind,
    schemeId: f.schemeId,
    countyId: f.countyId,
    siteId: f.siteId,
    deviceIds: f.deviceIds,
    ...(f.metric ? { metric: f.metric } : {}),
    start: isoTime(f.start),
    end: isoTime(f.end),
    effectEnd: isoTime(effectEnd),
    params: { ...f.params },
    expected: [...found.expected.values()],
    allowed: [...found.allowed.values()],
    ...(NETWORK_KINDS.has(f.kind) ? faultPlace(deps, f) : {}),
  };
}

type Add = (to: 'expected' | 'allowed', ref: AlertRef) => void;
type Overrides = NonNullable<Registry['file']['rules']>;

/** Threshold rules and pressure-drop over the true values, sampled at the device's own interval. */
function judge(
  d: DeviceInfo,
  m: Metric,
  value: (ts: number) => number,
  from: number,
  to: number,
  overrides: Overrides,
  add: Add,
  found: Found,
  silent: Fault | null,
): void {
  const step = d.intervalS * 1000;
  const times: number[] = [];
  for (let t = from; t <= to; t += step) if (!silent || t < silent.start || t >= silent.end) times.push(t);
  const values = times.map(value);
  for (const rule of THRESHOLD_RULES[m] ?? []) {
    const s = effectiveSettings(rule, d, overrides);
    if (!s) continue;
    let run = 0;
    values.forEach((v, k) => {
      const sd = NOISE_3SD[m](v);
      const breach = (s.min !== undefined && v < s.min - sd) || (s.max !== undefined && v > s.max + sd);
      const near = (s.min !== undefined && v < s.min + sd) || (s.max !== undefined && v > s.max - sd);
      run = breach ? run + 1 : 0;
      if (near) {
        add('allowed', { ruleId: rule, deviceId: d.id, metric: m });
        found.last = Math.max(found.last, times[k]!);
      }
      // One more breaching reading than the rule needs, so a noisy edge does not decide it.
      if (run === s.raiseAfter + 1)
        add('expected', { ruleId: rule, deviceId: d.id, metric: m, at: isoTime(times[k]!) });
    });
  }
  const drop = m === 'pressure' ? effectiveSettings('pressure-drop', d, overrides) : null;
  if (!drop) return;
  const ratio = 1 - (drop.dropRatio ?? 0.3);
  const windowMs = (drop.windowS ?? 300) * 1000;
  values.forEach((v, k) => {
    let high = Number.NEGATIVE_INFINITY;
    for (let j = k - 1; j >= 0 && times[j]! >= times[k]! - windowMs; j--) high = Math.max(high, values[j]!);
    if (!Number.isFinite(high)) return;
    const sd = NOISE_3SD.pressure(v);
    if (v + sd < ratio * (high - sd)) {
      add('expected', {
        ruleId: 'pressure-drop',
        deviceId: d.id,
        metric: 'pressure',
        at: isoTime(times[k]!),
      });
      found.last = Math.max(found.last, times[k]!);
    } else if (v - sd < ratio * (high + sd) && high > 2 * sd) {
      add('allowed', { ruleId: 'pressure-drop', deviceId: d.id, metric: 'pressure' });
    }
  });
}

/**
 * A device that sends nothing for `silentMs`: stale, if that is long enough on the clock ingest judges
 * by; and offline too when it drops its connection (`drops`), which it does at its first Reading due
 * in the fault, up to 1.1 intervals after its last.
 */
function silence(
  deps: TruthDeps,
  d: DeviceInfo,
  f: Fault,
  silentMs: number,
  add: Add,
  overrides: Overrides,
  drops: boolean,
): void {
  const off = drops ? effectiveSettings('offline', d, overrides) : null;
  if (off) {
    const deadline = (off.factor ?? 1.5) * d.intervalS * 1000;
    const wallMs =
      deps.staleClock === 'readings' ? silentMs : deps.wallAt(f.start + silentMs) - deps.wallAt(f.start);
    // Counted from the last Reading, at most one interval before the fault: due by start + deadline.
    if (wallMs > deadline + 15_000 && silentMs > deadline)
      add('expected', { ruleId: 'offline', deviceId: d.id, at: isoTime(f.start + deadline) });
    else add('allowed', { ruleId: 'offline', deviceId: d.id });
  }
  const s = effectiveSettings('stale', d, overrides);
  if (!s) return;
  const deadline = (s.factor ?? 3) * d.intervalS * 1000;
  const wallMs =
    deps.staleClock === 'readings' ? silentMs : deps.wallAt(f.start + silentMs) - deps.wallAt(f.start);
  // Ingest's stale timer runs on the wall clock (CONTRACT §3: within 10 s of the deadline).
  if (wallMs > deadline + 15_000 && silentMs > deadline) {
    add('expected', { ruleId: 'stale', deviceId: d.id, at: isoTime(f.start + deadline) });
  } else if (wallMs > deadline || silentMs > deadline) add('allowed', { ruleId: 'stale', deviceId: d.id });
}

function deviceFault(
  deps: TruthDeps,
  d: DeviceInfo,
  f: Fault,
  add: Add,
  overrides: Overrides,
  found: Found,
): void {
  const intervalMs = d.intervalS * 1000;
  switch (f.kind) {
    case 'device-offline':
      silence(deps, d, f, f.end - f.start, add, overrides, true);
      return;
    case 'clock-skew': {
      const skewMs = (f.params.skewS ?? 900) * 1000;
      // Ingest refuses readings more than 5 minutes ahead of its clock: the device then looks silent.
      if (f.start + skewMs > deps.wallAt(f.start) + 300_000)
        silence(deps, d, f, f.end - f.start, add, overrides, false);
      // Afterwards its readings are older than the newest seen: backfill, which raises and clears nothing.
      add('allowed', { ruleId: 'stale', deviceId: d.id });
      return;
    }
    case 'sensor-stuck': {
      const s = effectiveSettings('flatline', d, overrides);
      const count = s?.count ?? 10;
      for (const m of d.metrics.filter((x) => !f.metric || x === f.metric)) {
        const ref = { ruleId: 'flatline' as const, deviceId: d.id, metric: m };
        if (s && f.end - f.start >= (count + 1) * intervalMs * 1.1)
          add('expected', { ...ref, at: isoTime(f.start + count * intervalMs) });
        else if (s) add('allowed', ref);
      }
      return;
    }
    case 'sensor-drift': {
      const m = f.metric!;
      const rate =
        f.params.ratePerHour ??
        ({ chlorine: -0.06, pressure: -0.01, ph: 0.1, turbidity: 0.1 } as Partial<Record<Metric, number>>)[m];
      if (rate === undefined) return;
      const value = (ts: number) =>
        deps.world.value(d, m, ts) + (ts < f.end ? (rate * (ts - f.start)) / HOUR : 0);
      judge(d, m, value, f.start, f.end, overrides, add, found, null);
      // Drifted past the bottom of its range the sensor reads its floor again and again: a flatline.
      const flat = effectiveSettings('flatline', d, overrides);
      let pinned = 0;
      for (let t = f.start; t < f.end && flat; t += intervalMs) {
        pinned = value(t) <= METRICS[m].min + NOISE_3SD[m](0) ? pinned + 1 : 0;
        if (pinned === 1) add('allowed', { ruleId: 'flatline', deviceId: d.id, metric: m });
        if (pinned === (flat.count ?? 10) + 3)
          add('expected', { ruleId: 'flatline', deviceId: d.id, metric: m, at: isoTime(t) });
      }
      return;
    }
    case 'sensor-spike':
      // Isolated spikes must not raise a threshold alert (2 consecutive readings needed); a pressure
      // spike does set a high "previous 5 minutes" mark that the next normal reading falls far below.
      if (!f.metric || f.metric === 'pressure')
        add('allowed', { ruleId: 'pressure-drop', deviceId: d.id, metric: 'pressure' });
      return;
    default:
      // malformed: every message is rejected by ingest; nothing may be raised.
      return;
  }
}

/**
 * A dosing failure at the works: chlorine-rate at the outlet's own monitors raises on the fall of its
 * free chlorine from the value before the fault (the typical value learns nothing while it breaches),
 * expected once the true fall is beyond the rule's span by 3 standard deviations of noise for one
 * Reading more than the rule needs.
 */
function outletFall(deps: TruthDeps, f: Fault, add: Add, overrides: Overrides): void {
  const at = deps.devices.filter((d) => d.siteId === f.siteId && d.metrics.includes('chlorine'));
  for (const d of at) {
    const s = effectiveSettings('chlorine-rate', d, overrides);
    if (!s) continue;
    const need = (s.fallRaiseAfter ?? s.raiseAfter) + 1;
    const before = deps.world.value(d, 'chlorine', f.start - 1000);
    const span = Math.max(s.max ?? 0, (s.riseRatio ?? 0) * before) + NOISE_3SD.chlorine(before);
    let run = 0;
    for (let t = f.start; t < f.end; t += d.intervalS * 1000) {
      run = deps.world.value(d, 'chlorine', t) < before - span ? run + 1 : 0;
      if (run < need) continue;
      add('expected', { ruleId: 'chlorine-rate', deviceId: d.id, metric: 'chlorine', at: isoTime(t) });
      break;
    }
  }
}
