/** Judging one laboratory sample against GB 5749-2022: each tested indicator, then the sample as a whole. */
import type { SiteKind } from '../registry-schema.js';
import { type LabIndicator, type Limit, labIndicator } from './limits.js';

/** The situation of the sampled site that selects a limit. */
export interface SampleSite {
  kind: SiteKind;
  /** The scheme is small (小型集中式供水: not scale, CONTRACT §2), so 表1 注 applies. */
  small: boolean;
}

export interface IndicatorVerdict {
  indicator: string;
  value: number;
  pass: boolean;
  limit: Limit;
  /** Where the limit applied comes from. */
  cite: string;
}

export interface SampleVerdict {
  /** GB/T 5750 practice: a sample complies only when every tested indicator meets its limit. */
  compliant: boolean;
  verdicts: IndicatorVerdict[];
  /** Ids of the failing indicators. */
  failed: string[];
}

/** The limit in force for an indicator at a site: the plant-outlet figure, the small-supply note, or the table. */
export function limitFor(ind: LabIndicator, site: SampleSite): { limit: Limit; cite: string } {
  if (site.kind === 'plant' && ind.atPlant) return ind.atPlant;
  if (site.small && ind.small) return ind.small;
  return { limit: ind.limit, cite: ind.cite };
}

export function withinLimit(value: number, limit: Limit): boolean {
  switch (limit.kind) {
    case 'max':
      return value <= limit.max;
    case 'min':
      return value >= limit.min;
    case 'range':
      return value >= limit.min && value <= limit.max;
    case 'absent':
      return value === 0;
  }
}

/** Judges the values of known indicators; unknown ids are the caller's to refuse (see sample.ts). */
export function judgeSample(values: Readonly<Record<string, number>>, site: SampleSite): SampleVerdict {
  const verdicts: IndicatorVerdict[] = [];
  for (const [id, value] of Object.entries(values)) {
    const ind = labIndicator(id);
    if (!ind) continue;
    const { limit, cite } = limitFor(ind, site);
    verdicts.push({ indicator: id, value, pass: withinLimit(value, limit), limit, cite });
  }
  const failed = verdicts.filter((v) => !v.pass).map((v) => v.indicator);
  return { compliant: verdicts.length > 0 && failed.length === 0, verdicts, failed };
}

/** "≤ 1 NTU", "0.3–2 mg/L", "不应检出": a limit as people read it. */
export function describeLimit(limit: Limit, unit: string): string {
  switch (limit.kind) {
    case 'max':
      return `≤ ${limit.max} ${unit}`;
    case 'min':
      return `≥ ${limit.min} ${unit}`;
    case 'range':
      return `${limit.min}–${limit.max} ${unit}`;
    case 'absent':
      return '0 (不应检出 / none)';
  }
}
