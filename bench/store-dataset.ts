/** The store bench's data: 1,000 devices in 20 counties, one Reading a minute each, generated minute by minute. */
import type { SiteKind } from '../core/registry-schema.js';
import type { StoredReading } from '../core/stored-reading.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface BenchDevice {
  deviceId: string;
  siteId: string;
  siteKind: SiteKind;
  schemeId: string;
  countyId: string;
}

const KINDS: SiteKind[] = ['plant', 'reservoir', 'pipe', 'tap', 'source'];

/** 20 counties of 50 devices; a scheme is 5 devices, one at each kind of site. */
export function benchDevices(count: number): BenchDevice[] {
  return Array.from({ length: count }, (_, i) => {
    const scheme = Math.floor(i / 5);
    const county = scheme % 20;
    return {
      deviceId: `d-${String(i).padStart(4, '0')}`,
      siteId: `site-${String(i).padStart(4, '0')}`,
      siteKind: KINDS[i % 5]!,
      schemeId: `sch-${String(scheme).padStart(3, '0')}`,
      countyId: `cty-${String(county).padStart(2, '0')}`,
    };
  });
}

/**
 * Free chlorine and turbidity, the two quality metrics every site but a source reports (a source reports
 * turbidity and level). Values wander smoothly per device with an occasional breach of the GB 5749-2022
 * limits (turbidity 1 NTU; free chlorine 0.3-2 mg/L at the plant, >= 0.05 mg/L in the network), so the
 * quality counts are not all compliant. No seq: not every device sends one.
 */
export function benchReading(d: BenchDevice, index: number, ts: number): StoredReading {
  const minute = ts / MINUTE;
  const phase = (index * 37) % WAVE.length;
  // A table, not Math.sin: generating 10 million Readings should cost the bench little next to storing them.
  const chlorine = round(0.6 + 0.35 * wave(minute / 2 + phase) + (hash(index, minute) % 20) / 200);
  const turbidity = round(0.4 + 0.3 * wave(minute / 3 + phase) + (hash(minute, index) % 40) / 100);
  const { deviceId, siteId, siteKind, schemeId, countyId } = d;
  if (siteKind === 'source') {
    const values = { turbidity: round(turbidity * 4), level: round(3 + wave(minute / 5)) };
    return {
      deviceId,
      siteId,
      siteKind,
      schemeId,
      countyId,
      ts,
      values,
      qualitySamples: 0,
      qualityCompliant: 0,
    };
  }
  const chlorineMin = siteKind === 'plant' ? 0.3 : 0.05;
  const ok = Number(chlorine >= chlorineMin && chlorine <= 2) + Number(turbidity <= 1);
  const values = { chlorine, turbidity };
  return {
    deviceId,
    siteId,
    siteKind,
    schemeId,
    countyId,
    ts,
    values,
    qualitySamples: 2,
    qualityCompliant: ok,
  };
}

const WAVE = Array.from({ length: 360 }, (_, i) => Math.sin((i * Math.PI) / 180));
const wave = (x: number) => WAVE[Math.floor(x) % WAVE.length]!;

/** Every device's Reading for minutes [first, first + minutes): time-major, as ingest receives them. */
export function minuteBatch(
  devices: readonly BenchDevice[],
  first: number,
  minutes: number,
): StoredReading[] {
  const out: StoredReading[] = new Array(devices.length * minutes);
  let k = 0;
  for (let m = 0; m < minutes; m++) {
    const ts = first + m * MINUTE;
    for (let i = 0; i < devices.length; i++) out[k++] = benchReading(devices[i]!, i, ts);
  }
  return out;
}

const round = (v: number) => Math.round(v * 1000) / 1000;
/** A small deterministic integer hash, so every run writes the same values. */
const hash = (a: number, b: number) =>
  (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35)) >>> 0;
