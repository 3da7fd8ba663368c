/** One simulated field device: its schedule, its sensors' noise and faults, and what it sends when. */
import { METRICS, type Metric } from '../core/metrics.js';
import type { Reading } from '../core/reading.js';
import type { DeviceInfo } from '../core/registry.js';
import type { Fault } from './faults.js';
import { malformedPayload } from './malformed.js';
import { createRandom, gaussian, hashSeed } from './random.js';
import type { World } from './world.js';

/** What the device does with one reading. */
export interface Emission {
  reading: Reading;
  /** `send` now; `buffer` for store-and-forward while offline; `drop` when it has no power. */
  mode: 'send' | 'buffer' | 'drop';
  /** A broken message it also sends (the malformed-payload fault). */
  malformed?: string;
}

export interface DeviceSim {
  device: DeviceInfo;
  /** Simulated time of the next reading, ms. */
  nextTs: number;
  /** Produces the reading due at `nextTs` and schedules the one after. */
  next(): Emission;
  /** Whether the device should hold a broker connection at a time (offline faults and power cuts drop it). */
  online(ts: number): boolean;
}

interface Noise {
  /** White noise, in the metric's unit (or a share of the value when `relative`). */
  white: number;
  /** A slow correlated wander (sensor and process variation) with time constant `tauMin`. */
  wander: number;
  tauMin: number;
  relative: boolean;
  /** Resolution sent, decimal places: fine enough that ten equal readings mean a stuck sensor. */
  digits: number;
}

// Instrument accuracy of typical online analysers: pressure transmitters ±0.25 % of a 1 MPa span,
// amperometric chlorine ±0.02 mg/L, ISO 7027 nephelometers ±2 %, pH electrodes ±0.02, EM flow meters ±0.5 %.
const NOISE: Record<Metric, Noise> = {
  pressure: { white: 0.0015, wander: 0.003, tauMin: 10, relative: false, digits: 4 },
  flow: { white: 0.02, wander: 0.04, tauMin: 15, relative: true, digits: 2 },
  chlorine: { white: 0.01, wander: 0.015, tauMin: 60, relative: false, digits: 3 },
  turbidity: { white: 0.04, wander: 0.08, tauMin: 30, relative: true, digits: 3 },
  ph: { white: 0.02, wander: 0.03, tauMin: 60, relative: false, digits: 2 },
  conductivity: { white: 3, wander: 6, tauMin: 60, relative: false, digits: 1 },
  temperature: { white: 0.05, wander: 0.1, tauMin: 60, relative: false, digits: 2 },
  level: { white: 0.005, wander: 0.01, tauMin: 20, relative: false, digits: 3 },
};

/** Default sensor drift per hour: slow enough to look like fouling or a failing reference electrode. */
const DRIFT_PER_HOUR: Partial<Record<Metric, number>> = {
  chlorine: -0.06,
  pressure: -0.01,
  ph: 0.1,
  turbidity: 0.1,
};

const inWindow = (f: Fault, ts: number) => ts >= f.start && ts < f.end;

export interface DeviceSimOptions {
  device: DeviceInfo;
  world: World;
  /** Faults of this device, and plant outages that cut its power. */
  faults: readonly Fault[];
  seed: number;
  firstTs: number;
}

export function createDeviceSim(o: DeviceSimOptions): DeviceSim {
  const { device, world } = o;
  const rnd = createRandom(hashSeed(o.seed, device.id));
  const wander = new Map<Metric, number>();
  const last = new Map<Metric, number>();
  const stuck = new Map<Metric, number>();
  let lastTs = o.firstTs;
  let seq = 0;
  let spikedLast = false;
  const active = (kind: Fault['kind'], ts: number) =>
    o.faults.find((f) => f.kind === kind && inWindow(f, ts));
  const covers = (f: Fault | undefined, m: Metric) =>
    f !== undefined && (f.metric === undefined || f.metric === m);

  const sense = (m: Metric, ts: number, dtMin: number): number => {
    const n = NOISE[m];
    const truth = world.value(device, m, ts);
    // Ornstein–Uhlenbeck: the same wander a real analyser shows between calibrations.
    const decay = Math.exp(-dtMin / n.tauMin);
    const w = (wander.get(m) ?? 0) * decay + n.wander * Math.sqrt(1 - decay * decay) * gaussian(rnd);
    wander.set(m, w);
    const scale = n.relative ? Math.max(Math.abs(truth), 0.5) : 1;
    let v = truth + (w + n.white * gaussian(rnd)) * scale;
    // Analysers and meters read magnitudes: a dry chlorine cell or a still meter shows a small positive value.
    if (m === 'chlorine' || m === 'turbidity' || m === 'flow' || m === 'conductivity' || m === 'level')
      v = Math.abs(v);
    const drift = active('sensor-drift', ts);
    if (drift && covers(drift, m)) {
      const rate = drift.params.ratePerHour ?? DRIFT_PER_HOUR[m] ?? 0.01 * truth;
      v += (rate * (ts - drift.start)) / 3_600_000;
    }
    return v;
  };

  const sim: DeviceSim = {
    device,
    nextTs: o.firstTs,
    online(ts) {
      const offline = active('device-offline', ts);
      const outage = o.faults.find(
        (f) => f.kind === 'plant-outage' && inWindow(f, ts) && f.deviceIds.includes(device.id),
      );
      return !offline && !outage;
    },
    next() {
      const ts = sim.nextTs;
      const dtMin = Math.max(0.01, (ts - lastTs) / 60_000);
      lastTs = ts;
      const values: Record<string, number> = {};
      const stuckFault = active('sensor-stuck', ts);
      const spikeFault = active('sensor-spike', ts);
      const spikeNow =
        spikeFault !== undefined && !spikedLast && rnd() < (spikeFault.params.probability ?? 0.1);
      spikedLast = spikeNow;
      for (const m of device.metrics) {
        let v = sense(m, ts, dtMin);
        if (spikeNow && covers(spikeFault, m)) v = spike(m, v, rnd);
        const range = METRICS[m];
        v = Number(Math.min(range.max, Math.max(range.min, v)).toFixed(NOISE[m].digits));
        if (covers(stuckFault, m)) {
          if (!stuck.has(m)) stuck.set(m, last.get(m) ?? v);
          v = stuck.get(m)!;
        } else stuck.delete(m);
        last.set(m, v);
        values[m] = v;
      }
      const skew = active('clock-skew', ts);
      const reading: Reading = {
        ts: ts + (skew ? (skew.params.skewS ?? 900) * 1000 : 0),
        seq: seq++,
        values,
      };
      // ±10 % jitter so thousands of devices do not report in lockstep.
      sim.nextTs = ts + Math.round(device.intervalS * 1000 * (0.9 + 0.2 * rnd()));
      const offline = active('device-offline', ts);
      const mode = sim.online(ts)
        ? 'send'
        : offline && offline.params.storeAndForward !== false
          ? 'buffer'
          : 'drop';
      const bad = active('malformed', ts);
      return bad ? { reading, mode, malformed: malformedPayload(seq, reading, device) } : { reading, mode };
    },
  };
  return sim;
}

/** A one-reading spike upwards: a bubble in a turbidimeter, a power glitch in an analyser. */
function spike(m: Metric, v: number, rnd: () => number): number {
  if (m === 'turbidity') return v * (8 + 22 * rnd()) + 2;
  if (m === 'chlorine') return v + 1.5 + 1.5 * rnd();
  if (m === 'ph') return v + 1.2 + rnd();
  return v * (2 + rnd());
}
