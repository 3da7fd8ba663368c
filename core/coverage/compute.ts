/** Coverage rows for a region, its prefectures, its counties or its schemes: pure, shared by the API, reports and tests. */
import type { Targets } from '../registry-schema.js';
import { addFacts, type CountyFacts, coverageFacts, emptyFacts } from './county-facts.js';
import { type Indicators, indicator, meets } from './indicator.js';
import type { CoverageInputs, CoverageWindow, GroupBy } from './inputs.js';

export interface CoverageRow {
  id: string;
  name: string;
  nameEn?: string;
  ruralPopulation: number;
  indicators: Indicators;
  /** County rows: whether the county itself meets every target standardizedCountyShare counts. */
  meetsTargets?: boolean;
}

export interface CoverageReport {
  groupBy: GroupBy;
  window: CoverageWindow;
  rows: CoverageRow[];
}

/** The indicators a county must meet to count as standardized (CONTRACT §6, standardizedCountyShare). */
export function countyMeetsTargets(f: CountyFacts, t: Targets): boolean {
  return [
    indicator(f.tapPopulation, f.ruralPopulation, t.tapWaterRate),
    indicator(f.scalePopulation, f.ruralPopulation, t.scaleCoverage),
    indicator(f.qualityCompliant, f.qualitySamples, t.qualityCompliance),
    indicator(f.devicesOnline, f.devices, t.monitoringOnline),
  ].every(meets);
}

/** The indicators over summed facts; `standardized` counts the counties meeting their targets, or null for schemes. */
export function indicatorsOf(
  f: CountyFacts,
  t: Targets,
  standardized: { n: number; of: number } | null,
): Indicators {
  const pop = 'no-population' as const;
  // safeWaterCoverage of a population none of whose schemes was sampled at all is unknown, not 0.
  const safe =
    f.judgedPopulation === 0 && f.ruralPopulation > 0
      ? {
          ...indicator(f.safePopulation, 0, t.safeWaterCoverage, 'no-quality-data'),
          denominator: f.ruralPopulation,
        }
      : indicator(f.safePopulation, f.ruralPopulation, t.safeWaterCoverage, pop);
  const quality = indicator(f.qualityCompliant, f.qualitySamples, t.qualityCompliance, 'no-quality-data');
  if (f.qualityExcluded > 0) quality.excluded = f.qualityExcluded;
  return {
    tapWaterRate: indicator(f.tapPopulation, f.ruralPopulation, t.tapWaterRate, pop),
    scaleCoverage: indicator(f.scalePopulation, f.ruralPopulation, t.scaleCoverage, pop),
    integrationRate: indicator(f.integratedPopulation, f.ruralPopulation, t.integrationRate, pop),
    qualityCompliance: quality,
    // Lab samples are judged against the same GB 5749-2022 limits, so they answer to the same target.
    labCompliance: indicator(f.labCompliant, f.labSamples, t.qualityCompliance, 'no-lab-samples'),
    monitoringOnline: indicator(f.devicesOnline, f.devices, t.monitoringOnline, 'no-devices'),
    safeWaterCoverage: safe,
    standardizedCountyShare:
      standardized === null
        ? indicator(0, 0, t.standardizedCountyShare, 'not-applicable')
        : indicator(standardized.n, standardized.of, t.standardizedCountyShare),
  };
}

/**
 * One row over a set of counties. standardizedCountyShare is the share of those counties meeting
 * their targets; for a county row that is 1/1 or 0/1, the same definition over a set of one.
 */
function row(
  place: { id: string; name: string; nameEn?: string },
  counties: readonly string[],
  facts: Map<string, CountyFacts>,
  t: Targets,
): CoverageRow {
  const f = emptyFacts();
  let standardized = 0;
  for (const c of counties) {
    const cf = facts.get(c);
    if (!cf) continue;
    addFacts(f, cf);
    if (countyMeetsTargets(cf, t)) standardized++;
  }
  const r: CoverageRow = {
    id: place.id,
    name: place.name,
    ruralPopulation: f.ruralPopulation,
    indicators: indicatorsOf(f, t, { n: standardized, of: counties.length }),
  };
  if (place.nameEn !== undefined) r.nameEn = place.nameEn;
  return r;
}

/** Rows in registry order: one for the region, one per prefecture, per county, or per scheme. */
export function computeCoverage(inputs: CoverageInputs, groupBy: GroupBy): CoverageReport {
  const { registry } = inputs;
  const t = registry.file.targets;
  const counties = registry.file.counties;
  let rows: CoverageRow[];
  if (groupBy === 'scheme') {
    const facts = coverageFacts(inputs, 'scheme');
    rows = registry.file.schemes.map((s) => {
      const r: CoverageRow = {
        id: s.id,
        name: s.name,
        ruralPopulation: facts.get(s.id)!.ruralPopulation,
        indicators: indicatorsOf(facts.get(s.id)!, t, null),
      };
      if (s.nameEn !== undefined) r.nameEn = s.nameEn;
      return r;
    });
    return { groupBy, window: inputs.window, rows };
  }
  const facts = coverageFacts(inputs, 'county');
  if (groupBy === 'region') {
    rows = [row(registry.file.region, [...registry.counties.keys()], facts, t)];
  } else if (groupBy === 'prefecture') {
    rows = registry.file.prefectures.map((p) =>
      row(
        p,
        counties.filter((c) => c.prefecture === p.id).map((c) => c.id),
        facts,
        t,
      ),
    );
  } else {
    rows = counties.map((c) => ({
      ...row(c, [c.id], facts, t),
      meetsTargets: countyMeetsTargets(facts.get(c.id)!, t),
    }));
  }
  return { groupBy, window: inputs.window, rows };
}
