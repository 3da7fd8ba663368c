/** The GB 5749-2022 lab-limit table checked against the standard's values, and samples judged whole. */
import { describe, expect, it } from 'vitest';
import { describeLimit, judgeSample, limitFor } from '../../core/lab/judge.js';
import { LAB_INDICATORS, labIndicator } from '../../core/lab/limits.js';

/**
 * The standard's figures, typed in separately from the table: [indicator, table and row, limit, small supply].
 * GB 5749-2022 表1 (常规指标) and 表2 (消毒剂), with the 表1 note for small centralised supplies.
 */
const STANDARD: [string, string, string, string | null][] = [
  ['total-coliforms', '表1 第1行', 'absent', null],
  ['e-coli', '表1 第2行', 'absent', null],
  ['plate-count', '表1 第3行', 'max 100', 'max 500'],
  ['arsenic', '表1 第4行', 'max 0.01', null],
  ['cadmium', '表1 第5行', 'max 0.005', null],
  ['chromium-vi', '表1 第6行', 'max 0.05', null],
  ['lead', '表1 第7行', 'max 0.01', null],
  ['mercury', '表1 第8行', 'max 0.001', null],
  ['cyanide', '表1 第9行', 'max 0.05', null],
  ['fluoride', '表1 第10行', 'max 1', 'max 1.2'],
  ['nitrate', '表1 第11行', 'max 10', 'max 20'],
  ['colour', '表1 第22行', 'max 15', null],
  ['turbidity', '表1 第23行', 'max 1', 'max 3'],
  ['odour', '表1 第24行', 'absent', null],
  ['visible-matter', '表1 第25行', 'absent', null],
  ['ph', '表1 第26行', 'range 6.5 8.5', null],
  ['aluminium', '表1 第27行', 'max 0.2', null],
  ['iron', '表1 第28行', 'max 0.3', null],
  ['manganese', '表1 第29行', 'max 0.1', null],
  ['chloride', '表1 第32行', 'max 250', null],
  ['sulfate', '表1 第33行', 'max 250', null],
  ['tds', '表1 第34行', 'max 1000', null],
  ['hardness', '表1 第35行', 'max 450', null],
  ['permanganate-index', '表1 第36行', 'max 3', null],
  ['ammonia', '表1 第37行', 'max 0.5', null],
  ['chlorine', '表2 第1行', 'range 0.05 2', null],
];

const text = (l: { kind: string; min?: number; max?: number }) =>
  [l.kind, l.min, l.max].filter((x) => x !== undefined).join(' ');

describe('GB 5749-2022 lab limits', () => {
  it('holds exactly the indicators of the standard list, once each', () => {
    expect(LAB_INDICATORS.map((i) => i.id).sort()).toEqual(STANDARD.map((s) => s[0]).sort());
  });

  it.each(STANDARD)(
    '%s: %s with the standard value, and the small-supply note where it allows one',
    (id, row, limit, small) => {
      const ind = labIndicator(id)!;
      expect(ind.cite).toContain(`GB 5749-2022 ${row}`);
      expect(text(ind.limit)).toBe(limit);
      if (small === null) expect(ind.small).toBeUndefined();
      else {
        expect(text(ind.small!.limit)).toBe(small);
        expect(ind.small!.cite).toContain('表1 注');
      }
    },
  );

  it('uses 表2 free chlorine at the plant outlet 0.3–2 mg/L, and 0.05–2 mg/L in the network and at taps', () => {
    const cl = labIndicator('chlorine')!;
    expect(text(limitFor(cl, { kind: 'plant', small: false }).limit)).toBe('range 0.3 2');
    expect(text(limitFor(cl, { kind: 'tap', small: true }).limit)).toBe('range 0.05 2');
    expect(limitFor(cl, { kind: 'plant', small: false }).cite).toContain('出厂水');
  });
});

describe('judging a sample', () => {
  it('complies only when every tested indicator meets its limit', () => {
    const ok = judgeSample({ turbidity: 0.8, ph: 7.1, 'e-coli': 0 }, { kind: 'tap', small: false });
    expect(ok).toMatchObject({ compliant: true, failed: [] });
    const bad = judgeSample({ turbidity: 0.8, ph: 7.1, 'e-coli': 1 }, { kind: 'tap', small: false });
    expect(bad).toMatchObject({ compliant: false, failed: ['e-coli'] });
  });

  it('applies the small-supply exceptions only to small schemes', () => {
    const values = { turbidity: 2.5, fluoride: 1.1, nitrate: 15, 'plate-count': 300 };
    expect(judgeSample(values, { kind: 'tap', small: true }).compliant).toBe(true);
    expect(judgeSample(values, { kind: 'tap', small: false }).failed).toEqual([
      'turbidity',
      'fluoride',
      'nitrate',
      'plate-count',
    ]);
    expect(judgeSample({ turbidity: 3.1 }, { kind: 'tap', small: true }).failed).toEqual(['turbidity']);
  });

  it('judges the limits inclusively and a sample with nothing tested as not compliant', () => {
    expect(judgeSample({ ph: 6.5, arsenic: 0.01 }, { kind: 'pipe', small: false }).compliant).toBe(true);
    expect(judgeSample({ chlorine: 0.29 }, { kind: 'plant', small: false }).failed).toEqual(['chlorine']);
    expect(judgeSample({ chlorine: 0.29 }, { kind: 'pipe', small: false }).compliant).toBe(true);
    expect(judgeSample({}, { kind: 'pipe', small: false }).compliant).toBe(false);
  });

  it('describes a limit as people read it', () => {
    expect(describeLimit({ kind: 'range', min: 6.5, max: 8.5 }, 'pH')).toBe('6.5–8.5 pH');
    expect(describeLimit({ kind: 'max', max: 1 }, 'NTU')).toBe('≤ 1 NTU');
  });
});
