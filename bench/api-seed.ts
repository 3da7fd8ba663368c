/** Seeds a SQLite store with the demo registry and simulated quality readings, for the API benchmark. */
import type { Metric } from '../core/metrics.js';
import type { DeviceInfo, Registry } from '../core/registry.js';
import { qualityLimits } from '../core/rules/quality.js';
import { enrich, type StoredReading } from '../core/stored-reading.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

export interface SeedOptions {
  /** Window end, epoch ms; readings cover [to - days, to]. */
  to: number;
  days: number;
  /** Keep one Reading in `thin` of each device's schedule (1 = every Reading). */
  thin: number;
  batchSize?: number;
}

/** Typical values per metric, with a small share out of the GB 5749-2022 limits so compliance is below 1. */
function sampleValue(metric: Metric, device: DeviceInfo, r: number): number {
  switch (metric) {
    case 'turbidity':
      return r < 0.02 ? 1.4 : 0.2 + r * 0.5;
    case 'chlorine':
      return device.siteKind === 'plant' ? 0.4 + r : r < 0.03 ? 0.02 : 0.1 + r * 0.4;
    case 'ph':
      return 6.9 + r;
    case 'pressure':
      return 0.25 + r * 0.1;
    case 'flow':
      return 20 + r * 40;
    case 'level':
      return 2 + r;
    case 'conductivity':
      return 400 + r * 200;
    case 'temperature':
      return 8 + r * 6;
  }
}

/** A small deterministic generator (mulberry32), so every run seeds the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the readings and returns how many. */
export async function seedReadings(
  store: TelemetryStore,
  registry: Registry,
  opts: SeedOptions,
): Promise<number> {
  const rand = random(42);
  const overrides = registry.file.rules ?? [];
  const from = opts.to - opts.days * 86_400_000;
  const batchSize = opts.batchSize ?? 20_000;
  let batch: StoredReading[] = [];
  let total = 0;
  for (const device of registry.devices.values()) {
    const limits = qualityLimits(device, overrides);
    const step = device.intervalS * 1000 * opts.thin;
    for (let ts = opts.to; ts >= from; ts -= step) {
      const values: Partial<Record<Metric, number>> = {};
      for (const m of device.metrics) values[m] = sampleValue(m, device, rand());
      batch.push(enrich(device, { ts, values }, limits));
      if (batch.length >= batchSize) {
        await store.writeReadings(batch);
        total += batch.length;
        batch = [];
      }
    }
  }
  await store.writeReadings(batch);
  return total + batch.length;
}
