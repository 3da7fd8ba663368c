/** Fault kinds the simulator injects, and the scenario file that schedules them at a time and place. */
import { z } from 'zod';
import { Id } from '../core/ids.js';
import type { Metric } from '../core/metrics.js';
import { MetricName } from '../core/registry-schema.js';

export const FAULT_KINDS = [
  'burst',
  'dosing-failure',
  'plant-outage',
  'source-turbidity',
  'sensor-stuck',
  'sensor-drift',
  'sensor-spike',
  'device-offline',
  'clock-skew',
  'malformed',
] as const;
export const FaultKind = z.enum(FAULT_KINDS);
export type FaultKind = z.infer<typeof FaultKind>;

/** Faults of the water system itself (the rest are faults of one device). */
export const NETWORK_KINDS: ReadonlySet<FaultKind> = new Set([
  'burst',
  'dosing-failure',
  'plant-outage',
  'source-turbidity',
]);

export interface FaultParams {
  /** burst: opening as a share of the bore of the main feeding the site (default 0.35). */
  severity?: number;
  /** dosing-failure: share of the normal dose still fed (default 0). */
  fraction?: number;
  /** source-turbidity: raw-water turbidity at the peak, NTU (default 400). */
  peakNtu?: number;
  /** sensor-drift: change per hour in the metric's unit (default: a fall of 0.06 mg/L/h for chlorine). */
  ratePerHour?: number;
  /** clock-skew: seconds added to the device's clock (default +900). */
  skewS?: number;
  /** plant-outage: the works' monitors lose power too (default true). */
  devicesOffline?: boolean;
  /** sensor-spike: chance that a reading is a spike (default 0.1). */
  probability?: number;
  /** device-offline: readings kept and sent as one batch on reconnection (default true). */
  storeAndForward?: boolean;
}

/** A fault resolved to a place and a time (epoch ms). */
export interface Fault {
  id: string;
  kind: FaultKind;
  start: number;
  end: number;
  schemeId: string;
  countyId: string;
  /** The site it happens at (burst node, plant, source) or the device's site. */
  siteId: string;
  /** The device it happens to (device faults), or the devices it silences (a plant outage). */
  deviceIds: string[];
  metric?: Metric;
  params: FaultParams;
}

/** One entry of a scenario: what, when (`at` relative to the start like `+10m`, or RFC 3339), how long, where. */
export const ScenarioEntry = z.strictObject({
  kind: FaultKind,
  at: z.string().min(1),
  for: z.string().regex(/^\d{1,9}[smhd]$/, 'a duration like 30m, 2h or 1d'),
  site: Id.optional(),
  scheme: Id.optional(),
  device: Id.optional(),
  county: Id.optional(),
  /** How many places to pick at random (seeded) when no site or device is named. */
  count: z.number().int().min(1).max(1000).optional(),
  metric: (MetricName as unknown as z.ZodType<Metric>).optional(),
  severity: z.number().gt(0).max(1).optional(),
  fraction: z.number().min(0).max(1).optional(),
  peakNtu: z.number().positive().max(4000).optional(),
  ratePerHour: z.number().finite().optional(),
  skewS: z.number().int().min(-86_400).max(86_400).optional(),
  devicesOffline: z.boolean().optional(),
  probability: z.number().gt(0).max(0.5).optional(),
  storeAndForward: z.boolean().optional(),
});
export type ScenarioEntry = z.infer<typeof ScenarioEntry>;

export const Scenario = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  faults: z.array(ScenarioEntry),
});
export type Scenario = z.infer<typeof Scenario>;

/**
 * A `--fault` flag: the kind, then comma-separated key=value pairs of a scenario entry, e.g.
 * `burst,site=xiji-s01-p2,at=+10m,for=30m` or `sensor-stuck,count=2,at=+1h,for=2h`.
 */
export function parseFaultFlag(text: string): Record<string, unknown> {
  const [kind, ...pairs] = text.split(',');
  const entry: Record<string, unknown> = { kind };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq) : pair;
    const raw = eq > 0 ? pair.slice(eq + 1) : 'true';
    entry[key] =
      raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : /^-?\d+(\.\d+)?$/.test(raw) && key !== 'at'
            ? Number(raw)
            : raw;
  }
  return entry;
}
