/** Coverage maths on a hand-built registry and known counts, against figures worked out by hand. */
import { describe, expect, it } from 'vitest';
import { computeCoverage } from '../../core/coverage/compute.js';
import { CSV_HEADER, coverageCsv } from '../../core/coverage/csv.js';
import type { Indicators } from '../../core/coverage/indicator.js';
import type { CoverageInputs } from '../../core/coverage/inputs.js';
import { coverageRegistry } from '../api/coverage-registry.js';
import { buildRegistry } from '../api/fixture.js';

const T = Date.parse('2027-06-30T12:00:00Z');
const S = 1000;

function inputs(): CoverageInputs {
  return {
    registry: buildRegistry(coverageRegistry()),
    window: { from: T - 86_400_000, to: T },
    quality: [
      { schemeId: 's-big', samples: 100, compliant: 96 }, // 0.96: safe
      { schemeId: 's-int', samples: 40, compliant: 37 }, // 0.925: not safe
      { schemeId: 's-pop', samples: 20, compliant: 19 }, // 0.95: exactly the target, safe
    ],
    lastSeen: new Map([
      ['dv-1', T - 100 * S], // within 3 × 60 s
      ['dv-2', T - 900 * S], // exactly 3 × 300 s: still online
      ['dv-3', T - 181 * S], // 1 s past 3 × 60 s
      ['dv-5', T - 10 * S],
      // dv-4 has never reported
    ]),
  };
}

/** [numerator, denominator] per indicator, in INDICATOR_NAMES order. */
type Parts = [number, number][];
const NAMES = [
  'tapWaterRate',
  'scaleCoverage',
  'integrationRate',
  'qualityCompliance',
  'monitoringOnline',
  'safeWaterCoverage',
  'standardizedCountyShare',
] as const;
const TARGETS = [0.98, 0.98, 0.98, 0.95, 0.9, 0.95, 0.8];

function expectIndicators(actual: Indicators, parts: Parts): void {
  NAMES.forEach((name, i) => {
    const [n, d] = parts[i]!;
    const got = actual[name];
    expect({ name, n: got.numerator, d: got.denominator, t: got.target }).toEqual({
      name,
      n,
      d,
      t: TARGETS[i],
    });
    if (d === 0) {
      expect(got.value, name).toBeNull();
      expect(got.gap, name).toBeNull();
    } else {
      expect(got.value, name).toBe(n / d);
      expect(got.gap!, name).toBeCloseTo(TARGETS[i]! - n / d, 12);
    }
  });
}

describe('computeCoverage', () => {
  it('computes every indicator per county, counting a village in its own county', () => {
    const r = computeCoverage(inputs(), 'county');
    expect(r.rows.map((x) => [x.id, x.name, x.ruralPopulation])).toEqual([
      ['c-a', 'Alpha', 1800],
      ['c-b', 'Beta', 1000],
      ['c-c', 'Gamma', 10000],
      ['c-d', 'Delta', 0],
    ]);
    // c-a: v1 1000 (scale s-big, tap, safe), v2 500 (none), v5 300 (s-int of c-b: scale, integrated, tap, unsafe)
    expectIndicators(r.rows[0]!.indicators, [
      [1300, 1800],
      [1300, 1800],
      [300, 1800],
      [96, 100],
      [2, 2],
      [1000, 1800],
      [0, 1],
    ]);
    // c-b: v3 800 (s-int), v4 200 (s-small: small); dv-3 late, dv-4 silent
    expectIndicators(r.rows[1]!.indicators, [
      [1000, 1000],
      [800, 1000],
      [800, 1000],
      [37, 40],
      [0, 2],
      [0, 1000],
      [0, 1],
    ]);
    // c-c meets all four targets of standardization: tap 1, scale 1, quality 0.95, online 1
    expectIndicators(r.rows[2]!.indicators, [
      [10000, 10000],
      [10000, 10000],
      [0, 10000],
      [19, 20],
      [1, 1],
      [10000, 10000],
      [1, 1],
    ]);
    // c-d has nothing: every ratio is null, and a null never meets a target
    expectIndicators(r.rows[3]!.indicators, [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 1],
    ]);
    expect(r.rows[3]!.indicators.standardizedCountyShare.value).toBe(0);
  });

  it('sums counties into prefectures, keeping a prefecture without counties as nulls', () => {
    const r = computeCoverage(inputs(), 'prefecture');
    expect(r.rows.map((x) => [x.id, x.ruralPopulation])).toEqual([
      ['p-north', 2800],
      ['p-south', 10000],
      ['p-empty', 0],
    ]);
    expectIndicators(r.rows[0]!.indicators, [
      [2300, 2800],
      [2100, 2800],
      [1100, 2800],
      [133, 140],
      [2, 4],
      [1000, 2800],
      [0, 2],
    ]);
    expectIndicators(r.rows[1]!.indicators, [
      [10000, 10000],
      [10000, 10000],
      [0, 10000],
      [19, 20],
      [1, 1],
      [10000, 10000],
      [1, 2],
    ]);
    expectIndicators(r.rows[2]!.indicators, [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('sums everything into one region row', () => {
    const r = computeCoverage(inputs(), 'region');
    expect(r.rows.map((x) => [x.id, x.name, x.ruralPopulation])).toEqual([['nx', 'Ningxia', 12800]]);
    expectIndicators(r.rows[0]!.indicators, [
      [12300, 12800],
      [12100, 12800],
      [1100, 12800],
      [152, 160],
      [3, 5],
      [11000, 12800],
      [1, 4],
    ]);
    // 0.98 − 12300/12800 = 0.0190625, free of binary noise.
    expect(r.rows[0]!.indicators.tapWaterRate.gap).toBe(0.0190625);
  });

  it('does not count a scheme without samples as safe, nor a device seen only after the window', () => {
    const i = inputs();
    const r = computeCoverage({ ...i, quality: [], lastSeen: new Map() }, 'region');
    expect(r.rows[0]!.indicators.safeWaterCoverage.numerator).toBe(0);
    expect(r.rows[0]!.indicators.qualityCompliance.value).toBeNull();
    const late = computeCoverage({ ...i, lastSeen: new Map([['dv-5', T + S]]) }, 'region');
    expect(late.rows[0]!.indicators.monitoringOnline.numerator).toBe(0);
  });
});

describe('coverageCsv', () => {
  it('writes a header and one line per row, every indicator part a column, nulls empty', () => {
    const csv = coverageCsv(computeCoverage(inputs(), 'prefecture').rows);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(CSV_HEADER).toHaveLength(3 + 8 * 5);
    expect(CSV_HEADER.slice(0, 8)).toEqual([
      'id',
      'name',
      'ruralPopulation',
      'tapWaterRate.value',
      'tapWaterRate.numerator',
      'tapWaterRate.denominator',
      'tapWaterRate.target',
      'tapWaterRate.gap',
    ]);
    expect(lines[1]!.startsWith(`p-north,North,2800,${2300 / 2800},2300,2800,0.98,`)).toBe(true);
    // RFC 4180 quoting of a name with a comma and quotes.
    expect(lines[2]!.startsWith('p-south,"South, ""the dry one""",10000,1,10000,10000,0.98,-0.02,')).toBe(
      true,
    );
    expect(lines[3]!.startsWith('p-empty,Empty,0,,0,0,0.98,,')).toBe(true);
    expect(lines).toHaveLength(5);
  });

  it('defuses a name a spreadsheet would run as a formula', () => {
    const r = computeCoverage(inputs(), 'region');
    r.rows[0]!.name = '=HYPERLINK("x")';
    expect(coverageCsv(r.rows).split('\r\n')[1]!.startsWith(`nx,"'=HYPERLINK(""x"")",`)).toBe(true);
  });
});
