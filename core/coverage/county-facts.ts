/** The additive counts behind every indicator, per county; groups sum them (CONTRACT §6). */
import type { CoverageInputs } from './inputs.js';

export interface CountyFacts {
  ruralPopulation: number;
  tapPopulation: number;
  scalePopulation: number;
  integratedPopulation: number;
  /** Population of villages whose scheme had samples in the window and met the compliance target. */
  safePopulation: number;
  qualitySamples: number;
  qualityCompliant: number;
  devices: number;
  devicesOnline: number;
}

export const emptyFacts = (): CountyFacts => ({
  ruralPopulation: 0,
  tapPopulation: 0,
  scalePopulation: 0,
  integratedPopulation: 0,
  safePopulation: 0,
  qualitySamples: 0,
  qualityCompliant: 0,
  devices: 0,
  devicesOnline: 0,
});

export function addFacts(into: CountyFacts, more: CountyFacts): void {
  for (const k of Object.keys(into) as (keyof CountyFacts)[]) into[k] += more[k];
}

/** Schemes whose compliance over the window is at or above the target, with at least one sample. */
function safeSchemes(inputs: CoverageInputs): Set<string> {
  const target = inputs.registry.file.targets.qualityCompliance;
  const totals = new Map<string, { samples: number; compliant: number }>();
  for (const q of inputs.quality) {
    const t = totals.get(q.schemeId) ?? { samples: 0, compliant: 0 };
    t.samples += q.samples;
    t.compliant += q.compliant;
    totals.set(q.schemeId, t);
  }
  const safe = new Set<string>();
  for (const [id, t] of totals) if (t.samples > 0 && t.compliant / t.samples >= target) safe.add(id);
  return safe;
}

/** Facts for every county of the registry, in registry order. */
export function countyFacts(inputs: CoverageInputs): Map<string, CountyFacts> {
  const { registry, window } = inputs;
  const facts = new Map<string, CountyFacts>();
  for (const id of registry.counties.keys()) facts.set(id, emptyFacts());
  const safe = safeSchemes(inputs);

  // A village counts in its own county, whichever county its scheme belongs to (CONTRACT §6).
  for (const v of registry.file.villages) {
    const f = facts.get(v.county);
    if (!f) continue;
    const scheme = v.scheme === null ? undefined : registry.schemes.get(v.scheme);
    f.ruralPopulation += v.population;
    if (v.tap) f.tapPopulation += v.population;
    if (scheme?.scale) f.scalePopulation += v.population;
    if (scheme?.integrated) f.integratedPopulation += v.population;
    if (scheme && safe.has(scheme.id)) f.safePopulation += v.population;
  }

  // Samples are measured at a scheme's sites, so they count in the scheme's county.
  for (const q of inputs.quality) {
    const f = facts.get(registry.schemes.get(q.schemeId)?.county ?? '');
    if (!f) continue;
    f.qualitySamples += q.samples;
    f.qualityCompliant += q.compliant;
  }

  // Online: a Reading within 3 × intervalS of the window's end, the same deadline as `stale` (CONTRACT §5, §6).
  for (const d of registry.devices.values()) {
    const f = facts.get(d.countyId);
    if (!f) continue;
    f.devices++;
    const seen = inputs.lastSeen.get(d.id);
    if (seen !== undefined && seen <= window.to && window.to - seen <= 3 * d.intervalS * 1000)
      f.devicesOnline++;
  }
  return facts;
}
