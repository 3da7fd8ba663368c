/** Plausible readings for a device at a time: a diurnal demand cycle plus seeded noise, per site kind. */
import type { Metric } from '../core/metrics.js';
import type { DeviceInfo } from '../core/registry.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same readings. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rural demand in China peaks around 07:00 and 19:00 local time (UTC+8), low at night; 1 = daily mean. */
export function diurnalDemand(ts: number): number {
  const hour = (((ts / 3_600_000 + 8) % 24) + 24) % 24;
  const peak = (h: number, width: number) => Math.exp(-(((hour - h) / width) ** 2));
  return 0.45 + 0.9 * peak(7, 1.6) + 0.75 * peak(19, 2) + 0.25 * peak(12.5, 2);
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

/**
 * Values inside the GB 5749-2022 limits on a healthy day, so the demo raises alerts only when a
 * fault is injected. Pressure falls as demand rises (head loss grows with the square of flow).
 */
export function modelValue(device: DeviceInfo, metric: Metric, ts: number, rnd: () => number): number {
  const demand = diurnalDemand(ts);
  const noise = (spread: number) => (rnd() - 0.5) * 2 * spread;
  const atPlant = device.siteKind === 'plant';
  switch (metric) {
    case 'turbidity':
      return round(device.siteKind === 'source' ? 3 + noise(1.5) : 0.25 + noise(0.1), 3);
    case 'chlorine':
      // Plant outlet dosed to ~0.8 mg/L; decayed further down the network.
      return round(
        atPlant
          ? 0.8 + noise(0.08)
          : device.siteKind === 'reservoir'
            ? 0.55 + noise(0.06)
            : 0.35 + noise(0.08),
        3,
      );
    case 'ph':
      return round(7.4 + noise(0.15), 2);
    case 'conductivity':
      return round(650 + noise(40), 1);
    case 'temperature':
      return round(12 + 3 * Math.sin((ts / 86_400_000) * 2 * Math.PI) + noise(0.3), 2);
    case 'flow':
      return round(Math.max(0, (atPlant ? 400 : 35) * demand * (1 + noise(0.05))), 2);
    case 'pressure':
      return round(Math.max(0.12, 0.42 - 0.12 * demand ** 2 + noise(0.01)), 3);
    case 'level':
      return round(3.5 - 0.8 * (demand - 1) + noise(0.05), 3);
  }
}
