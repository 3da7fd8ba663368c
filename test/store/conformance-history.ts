/** The coverage-history part of the store conformance suite: one row per day, level and place, in order. */
import { expect, it } from 'vitest';
import type { CoverageDay } from '../../core/coverage/history.js';
import { INDICATOR_NAMES, type Indicators, indicator } from '../../core/coverage/indicator.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';

const DAY = 86_400_000;
const D0 = Date.parse('2026-11-30T16:00:00Z'); // 1 December, Beijing

function day(i: number, level: CoverageDay['level'], id: string, tap: number, final = true): CoverageDay {
  const indicators = Object.fromEntries(
    INDICATOR_NAMES.map((n) => [
      n,
      n === 'tapWaterRate' ? indicator(tap, 100, 0.98) : indicator(0, 0, 0.9, 'no-quality-data'),
    ]),
  ) as Indicators;
  return {
    day: `2026-12-0${i + 1}`,
    dayStart: D0 + i * DAY,
    level,
    row: { id, name: `县${id}`, ruralPopulation: 100, indicators },
    final,
    computedAt: D0 + (i + 1) * DAY + 60_000,
  };
}

export function historyTests(store: () => TelemetryStore): void {
  it('keeps daily snapshots per level in day order, places in the order written', async () => {
    const s = store();
    await s.writeCoverageDays([
      day(1, 'county', 'zz', 95),
      day(1, 'county', 'aa', 90),
      day(1, 'region', 'nx', 93),
    ]);
    await s.writeCoverageDays([day(0, 'county', 'zz', 94), day(0, 'county', 'aa', 89)]);
    const got = await s.coverageDays({ level: 'county', from: D0, to: D0 + 5 * DAY });
    expect(got.map((d) => [d.day, d.row.id, d.row.indicators.tapWaterRate.numerator])).toEqual([
      ['2026-12-01', 'zz', 94],
      ['2026-12-01', 'aa', 89],
      ['2026-12-02', 'zz', 95],
      ['2026-12-02', 'aa', 90],
    ]);
    expect(got[0]).toEqual(day(0, 'county', 'zz', 94));
    expect(await s.coverageDays({ level: 'region', from: D0, to: D0 })).toEqual([]);
    expect((await s.coverageDays({ level: 'region', from: D0, to: D0 + DAY })).map((d) => d.row.id)).toEqual([
      'nx',
    ]);
  });

  it('replaces the running day snapshot with a later one', async () => {
    const s = store();
    await s.writeCoverageDays([day(0, 'region', 'nx', 50, false)]);
    await s.writeCoverageDays([day(0, 'region', 'nx', 60, true)]);
    const got = await s.coverageDays({ level: 'region', from: D0, to: D0 });
    expect(got).toEqual([day(0, 'region', 'nx', 60, true)]);
  });
}
