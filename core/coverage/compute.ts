/** Coverage rows for a region, its prefectures or its counties: pure, shared by the API, reports and tests. */
import type { Targets } from '../registry-schema.js';
import { addFacts, type CountyFacts, countyFacts, emptyFacts } from './county-facts.js';
import { type Indicators, indicator, meets } from './indicator.js';
import type { CoverageInputs, CoverageWindow, GroupBy } from './inputs.js';

export interface CoverageRow {
  id: string;
  name: string;
  ruralPopulation: number;
  indicators: Indicators;
}

export interface CoverageReport {
  groupBy: GroupBy;
  window: CoverageWindow;
  rows: CoverageRow[];
}

/** The indicators a county must meet to count as standardized (CONTRACT §6, standardizedCountyShare). */
function countyMeetsTargets(f: CountyFacts, t: Targets): boolean {
  return [
    indicator(f.tapPopulation, f.ruralPopulation, t.tapWaterRate),
    indicator(f.scalePopulation, f.ruralPopulation, t.scaleCoverage),
    indicator(f.qualityCompliant, f.qualitySamples, t.qualityCompliance),
    indicator(f.devicesOnline, f.devices, t.monitoringOnline),
  ].every(meets);
}

/**
 * One row over a set of counties. standardizedCountyShare is the share of those counties meeting
 * their targets; for a county row that is 1/1 or 0/1, the same definition over a set of one.
 */
function row(
  id: string,
  name: string,
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
  return {
    id,
    name,
    ruralPopulation: f.ruralPopulation,
    indicators: {
      tapWaterRate: indicator(f.tapPopulation, f.ruralPopulation, t.tapWaterRate),
      scaleCoverage: indicator(f.scalePopulation, f.ruralPopulation, t.scaleCoverage),
      integrationRate: indicator(f.integratedPopulation, f.ruralPopulation, t.integrationRate),
      qualityCompliance: indicator(f.qualityCompliant, f.qualitySamples, t.qualityCompliance),
      monitoringOnline: indicator(f.devicesOnline, f.devices, t.monitoringOnline),
      safeWaterCoverage: indicator(f.safePopulation, f.ruralPopulation, t.safeWaterCoverage),
      standardizedCountyShare: indicator(standardized, counties.length, t.standardizedCountyShare),
    },
  };
}

/** Rows in registry order: one for the region, one per prefecture, or one per county. */
export function computeCoverage(inputs: CoverageInputs, groupBy: GroupBy): CoverageReport {
  const { registry } = inputs;
  const facts = countyFacts(inputs);
  const t = registry.file.targets;
  const counties = registry.file.counties;
  let rows: CoverageRow[];
  if (groupBy === 'region') {
    const r = registry.file.region;
    rows = [row(r.id, r.name, [...registry.counties.keys()], facts, t)];
  } else if (groupBy === 'prefecture') {
    rows = registry.file.prefectures.map((p) =>
      row(
        p.id,
        p.name,
        counties.filter((c) => c.prefecture === p.id).map((c) => c.id),
        facts,
        t,
      ),
    );
  } else {
    rows = counties.map((c) => row(c.id, c.name, [c.id], facts, t));
  }
  return { groupBy, window: inputs.window, rows };
}
