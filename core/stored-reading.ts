/** A validated Reading enriched with where it was measured: the unit every store writes. */
import type { Metric } from './metrics.js';
import type { ValidReading } from './reading.js';
import type { DeviceInfo } from './registry.js';
import type { SiteKind } from './registry-schema.js';

export interface StoredReading {
  deviceId: string;
  siteId: string;
  siteKind: SiteKind;
  schemeId: string;
  countyId: string;
  ts: number;
  seq?: number;
  values: Partial<Record<Metric, number>>;
}

export function enrich(device: DeviceInfo, reading: ValidReading): StoredReading {
  return {
    deviceId: device.id,
    siteId: device.siteId,
    siteKind: device.siteKind,
    schemeId: device.schemeId,
    countyId: device.countyId,
    ts: reading.ts,
    seq: reading.seq,
    values: reading.values,
  };
}
