/** A validated Reading enriched with where it was measured and its quality judgement: the unit every store writes. */
import type { Metric } from './metrics.js';
import type { ValidReading } from './reading.js';
import type { DeviceInfo } from './registry.js';
import type { SiteKind } from './registry-schema.js';
import { judgeQuality, type QualityLimits } from './rules/quality.js';

export interface StoredReading {
  deviceId: string;
  siteId: string;
  siteKind: SiteKind;
  schemeId: string;
  countyId: string;
  ts: number;
  seq?: number;
  values: Partial<Record<Metric, number>>;
  /** Quality samples in this Reading (turbidity, chlorine, pH away from sources; CONTRACT §6). */
  qualitySamples: number;
  /** How many of them were within the limits in force when it was stored. */
  qualityCompliant: number;
}

export function enrich(
  device: DeviceInfo,
  reading: ValidReading,
  limits: readonly QualityLimits[],
): StoredReading {
  const q = judgeQuality(limits, reading.values);
  return {
    deviceId: device.id,
    siteId: device.siteId,
    siteKind: device.siteKind,
    schemeId: device.schemeId,
    countyId: device.countyId,
    ts: reading.ts,
    seq: reading.seq,
    values: reading.values,
    qualitySamples: q.samples,
    qualityCompliant: q.compliant,
  };
}
