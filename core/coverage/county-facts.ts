/** The additive counts behind every indicator, per county or per scheme; groups sum them (CONTRACT §6). */
import type { CoverageInputs, SchemeQuality } from './inputs.js';

export interface CountyFacts {
  ruralPopulation: number;
  tapPopulation: number;
  scalePopulation: number;
  integratedPopulation: number;
  /** Population of villages whose scheme had samples in the window and met the compliance target. */
  safePopulation: number;
  /** Population of villages whose scheme had any sample (on the safe-water basis) in the window. */
  judgedPopulation: number;
  qualitySamples: number;
  qualityCompliant: number;
  /** Suspect online samples left out of qualitySamples (flatline). */
  qualityExcluded: number;
  labSamples: number;
  labCompliant: number;
  devices: number;
  devicesOnline: number;
}

export const emptyFacts = (): CountyFacts => ({
  ruralPopulation: 0,
  tapPopulation: 0,
  scalePopulation: 0,
  integratedPopulation: 0,
  safePopulation: 0,
  judgedPopulation: 0,
  qualitySamples: 0,
  qualityCompliant: 0,
  qualityExcluded: 0,
  labSamples: 0,
  labCompliant: 0,
  devices: 0,
  devicesOnline: 0,
});

export function addFacts(into: CountyFacts, more: CountyFacts): void {
  for (const k of Object.keys(into) as (keyof CountyFacts)[]) into[k] += more[k];
}

type Totals = Map<string, { samples: number; compliant: number }>;

function totals(list: readonly SchemeQuality[]): Totals {
  const out: Totals = new Map();
  for (const q of list) {
    const t = out.get(q.schemeId) ?? { samples: 0, compliant: 0 };
    t.samples += q.samples;
    t.compliant += q.compliant;
    out.set(q.schemeId, t);
  }
  return out;
}

/**
 * Per scheme: whether it was judged at all in the window, and whether it was safe, on the registry's
 * basis (`coverage.safeWaterBasis`): `lab` samples, `online` quality samples, or `auto` (default) — lab
 * where the scheme has lab samples in the window (GB 5749-2022 compliance is judged officially on lab
 * analyses), online otherwise. Safe = compliance >= targets.qualityCompliance (CONTRACT §6).
 */
function judgeSchemes(inputs: CoverageInputs): { judged: Set<string>; safe: Set<string> } {
  const target = inputs.registry.file.targets.qualityCompliance;
  const basis = inputs.registry.file.coverage?.safeWaterBasis ?? 'auto';
  const online = totals(trusted(inputs));
  const lab = totals(inputs.lab ?? []);
  const judged = new Set<string>();
  const safe = new Set<string>();
  for (const id of inputs.registry.schemes.keys()) {
    const l = lab.get(id);
    const o = online.get(id);
    const t = basis === 'lab' ? l : basis === 'online' ? o : l && l.samples > 0 ? l : o;
    if (!t || t.samples === 0) continue;
    judged.add(id);
    if (t.compliant / t.samples >= target) safe.add(id);
  }
  return { judged, safe };
}

/** Online quality counts per scheme with the suspect samples taken out. */
function trusted(inputs: CoverageInputs): SchemeQuality[] {
  const out = new Map(inputs.quality.map((q) => [q.schemeId, { ...q }]));
  for (const s of inputs.suspect ?? []) {
    const q = out.get(s.schemeId);
    if (!q) continue;
    q.samples = Math.max(0, q.samples - s.samples);
    q.compliant = Math.max(0, q.compliant - s.compliant);
  }
  return [...out.values()];
}

/** Facts keyed by county (`by: 'county'`) or by scheme (`by: 'scheme'`), every key of the registry present. */
export function coverageFacts(inputs: CoverageInputs, by: 'county' | 'scheme'): Map<string, CountyFacts> {
  const { registry, window } = inputs;
  const facts = new Map<string, CountyFacts>();
  for (const id of by === 'county' ? registry.counties.keys() : registry.schemes.keys())
    facts.set(id, emptyFacts());
  const { judged, safe } = judgeSchemes(inputs);

  // A village counts in its own county, whichever county its scheme belongs to (CONTRACT §6); in a
  // scheme row it counts in the scheme serving it.
  for (const v of registry.file.villages) {
    const f = facts.get(by === 'county' ? v.county : (v.scheme ?? ''));
    if (!f) continue;
    const scheme = v.scheme === null ? undefined : registry.schemes.get(v.scheme);
    f.ruralPopulation += v.population;
    if (v.tap) f.tapPopulation += v.population;
    if (scheme?.scale) f.scalePopulation += v.population;
    if (scheme?.integrated) f.integratedPopulation += v.population;
    if (scheme && safe.has(scheme.id)) f.safePopulation += v.population;
    if (scheme && judged.has(scheme.id)) f.judgedPopulation += v.population;
  }

  // Samples are measured at a scheme's sites, so they count in the scheme's county.
  const schemeKey = (schemeId: string) =>
    by === 'county' ? (registry.schemes.get(schemeId)?.county ?? '') : schemeId;
  for (const q of trusted(inputs)) {
    const f = facts.get(schemeKey(q.schemeId));
    if (!f) continue;
    f.qualitySamples += q.samples;
    f.qualityCompliant += q.compliant;
  }
  for (const s of inputs.suspect ?? []) {
    const f = facts.get(schemeKey(s.schemeId));
    if (f) f.qualityExcluded += s.samples;
  }
  for (const q of inputs.lab ?? []) {
    const f = facts.get(schemeKey(q.schemeId));
    if (!f) continue;
    f.labSamples += q.samples;
    f.labCompliant += q.compliant;
  }

  // Online: a Reading within 3 × intervalS of the window's end, the same deadline as `stale` (CONTRACT §5, §6).
  for (const d of registry.devices.values()) {
    const f = facts.get(by === 'county' ? d.countyId : d.schemeId);
    if (!f) continue;
    f.devices++;
    const seen = inputs.lastSeen.get(d.id);
    if (seen !== undefined && seen <= window.to && window.to - seen <= 3 * d.intervalS * 1000)
      f.devicesOnline++;
  }
  return facts;
}

/** Facts for every county of the registry, in registry order. */
export const countyFacts = (inputs: CoverageInputs): Map<string, CountyFacts> =>
  coverageFacts(inputs, 'county');
