/** Test data for the store conformance suite, and a plain in-memory model of what a store must answer. */
import { expect } from 'vitest';
import type { Alert, AlertEvent } from '../../core/alert.js';
import type { Metric } from '../../core/metrics.js';
import type { SiteKind } from '../../core/registry-schema.js';
import type { Point, QualityCount, StoredReading } from '../../store/telemetry-store.js';

export const HOUR = 3_600_000;
export const MIN = 60_000;
/** A Monday 00:00 UTC: data is written around it, and the embedded store's clock is set just after. */
export const BASE = Date.UTC(2026, 0, 5);
/** "Now" for stores with retention: a little after every test's data. */
export const NOW = BASE + 10 * 24 * HOUR;

interface Dims {
  siteId: string;
  siteKind: SiteKind;
  schemeId: string;
  countyId: string;
}

/** Two counties, three schemes; d-src is at a source, so it has no quality samples (CONTRACT §6). */
export const DEVICES: Record<string, Dims> = {
  'd-plant': { siteId: 's-plant', siteKind: 'plant', schemeId: 'sch-a', countyId: 'cty-x' },
  'd-pipe': { siteId: 's-pipe', siteKind: 'pipe', schemeId: 'sch-a', countyId: 'cty-x' },
  'd-tap': { siteId: 's-tap', siteKind: 'tap', schemeId: 'sch-b', countyId: 'cty-x' },
  'd-src': { siteId: 's-src', siteKind: 'source', schemeId: 'sch-c', countyId: 'cty-y' },
  'd-res': { siteId: 's-res', siteKind: 'reservoir', schemeId: 'sch-d', countyId: 'cty-y' },
};

export function reading(
  deviceId: string,
  ts: number,
  values: Partial<Record<Metric, number>>,
  quality: { n: number; ok: number } = { n: 0, ok: 0 },
  seq?: number,
): StoredReading {
  const r: StoredReading = {
    deviceId,
    ...DEVICES[deviceId]!,
    ts,
    values,
    qualitySamples: quality.n,
    qualityCompliant: quality.ok,
  };
  if (seq !== undefined) r.seq = seq;
  return r;
}

/** What the store must hold: one merged row per device and ts, exactly as the port describes it. */
export class Model {
  readonly rows = new Map<string, StoredReading>();

  write(batch: readonly StoredReading[]): void {
    for (const r of batch) {
      const k = `${r.deviceId}@${r.ts}`;
      const old = this.rows.get(k);
      this.rows.set(
        k,
        old
          ? { ...r, seq: r.seq ?? old.seq, values: { ...old.values, ...r.values } }
          : { ...r, values: { ...r.values } },
      );
    }
  }

  series(deviceId: string, metric: Metric, from: number, to: number, every?: number): Point[] {
    const rows = [...this.rows.values()]
      .filter((r) => r.deviceId === deviceId && r.ts >= from && r.ts <= to && r.values[metric] !== undefined)
      .sort((a, b) => a.ts - b.ts);
    if (every === undefined) {
      return rows.map((r) => {
        const v = r.values[metric]!;
        return { ts: r.ts, mean: v, min: v, max: v, count: 1 };
      });
    }
    const buckets = new Map<number, number[]>();
    for (const r of rows) {
      const b = Math.floor(r.ts / every) * every;
      buckets.set(b, [...(buckets.get(b) ?? []), r.values[metric]!]);
    }
    return [...buckets.entries()].map(([ts, vs]) => ({
      ts,
      mean: vs.reduce((a, b) => a + b, 0) / vs.length,
      min: Math.min(...vs),
      max: Math.max(...vs),
      count: vs.length,
    }));
  }

  quality(from: number, to: number, countyId?: string): QualityCount[] {
    const by = new Map<string, QualityCount>();
    for (const r of this.rows.values()) {
      if (r.ts < from || r.ts > to || r.qualitySamples === 0) continue;
      if (countyId !== undefined && r.countyId !== countyId) continue;
      const c = by.get(r.schemeId) ?? {
        schemeId: r.schemeId,
        countyId: r.countyId,
        samples: 0,
        compliant: 0,
      };
      c.samples += r.qualitySamples;
      c.compliant += r.qualityCompliant;
      by.set(r.schemeId, c);
    }
    return [...by.values()].sort((a, b) => (a.schemeId < b.schemeId ? -1 : 1));
  }

  lastSeen(at = Number.POSITIVE_INFINITY): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.rows.values()) {
      if (r.ts <= at && r.ts > (out.get(r.deviceId) ?? Number.NEGATIVE_INFINITY)) out.set(r.deviceId, r.ts);
    }
    return out;
  }
}

/** Points compared exactly, except means, which sums in another order may round differently. */
export function expectPoints(actual: Point[], expected: Point[]): void {
  expect(actual.map((p) => ({ ...p, mean: 0 }))).toEqual(expected.map((p) => ({ ...p, mean: 0 })));
  actual.forEach((p, i) => {
    expect(p.mean).toBeCloseTo(expected[i]!.mean, 9);
  });
}

export function alert(id: string, over: Partial<Alert> = {}): Alert {
  const device = over.deviceId ?? 'd-plant';
  const d = DEVICES[device]!;
  return {
    id,
    ruleId: 'chlorine-plant',
    kind: 'threshold',
    metric: 'chlorine',
    deviceId: device,
    siteId: d.siteId,
    schemeId: d.schemeId,
    countyId: d.countyId,
    severity: 'critical',
    active: true,
    acknowledged: false,
    raisedAt: new Date(BASE).toISOString(),
    value: 0.1,
    limit: 0.3,
    message: 'free chlorine 0.1 mg/L below 0.3 mg/L',
    ...over,
  };
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function raised(a: Alert): AlertEvent {
  return { type: 'raised', at: a.raisedAt, alert: a };
}
