/** Calendar periods and local days in the region's time zone, across month and year boundaries. */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  isTimeZone,
  localDate,
  offsetMs,
  parsePeriod,
  startOfDay,
  zonedToUtc,
} from '../../core/time-zone.js';

const SH = 'Asia/Shanghai';
const H = 3_600_000;

describe('calendar periods in Asia/Shanghai', () => {
  it('starts November 2026 at 16:00 UTC on 31 October and ends it at 16:00 UTC on 30 November', () => {
    const p = parsePeriod('2026-11', SH)!;
    expect(new Date(p.from).toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(new Date(p.until).toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('puts a reading at 23:30 Beijing time on 30 November in November, and 00:30 on 1 December in December', () => {
    const nov = parsePeriod('2026-11', SH)!;
    const dec = parsePeriod('2026-12', SH)!;
    const lateNov = Date.parse('2026-11-30T23:30:00+08:00');
    const earlyDec = Date.parse('2026-12-01T00:30:00+08:00');
    expect(lateNov >= nov.from && lateNov < nov.until).toBe(true);
    expect(earlyDec >= nov.until && earlyDec >= dec.from && earlyDec < dec.until).toBe(true);
    // In UTC both fall on 30 November: a UTC month would have put the December one in November.
    expect(new Date(earlyDec).toISOString().slice(0, 10)).toBe('2026-11-30');
  });

  it('reads quarters and years, the fourth quarter ending at the new year in Beijing', () => {
    const q4 = parsePeriod('2026-Q4', SH)!;
    expect(new Date(q4.from).toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(new Date(q4.until).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    const y = parsePeriod('2026', SH)!;
    expect(new Date(y.from).toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(y.until).toBe(q4.until);
  });

  it('refuses malformed periods', () => {
    for (const bad of ['2026-13', '2026-00', '2026-Q5', '26-11', '2026-1', '2026/11', ''])
      expect(parsePeriod(bad, SH)).toBeNull();
  });
});

describe('local days', () => {
  it('starts the Beijing day at 16:00 UTC the day before', () => {
    const t = Date.parse('2026-12-01T03:00:00Z'); // 11:00 in Beijing
    expect(new Date(startOfDay(t, SH)).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(localDate(Date.parse('2026-11-30T16:30:00Z'), SH)).toBe('2026-12-01');
    expect(addDays(startOfDay(t, SH), -1, SH)).toBe(startOfDay(t, SH) - 24 * H);
  });

  it('follows daylight saving where the zone has it (a 23-hour day in Berlin)', () => {
    const day = zonedToUtc({ year: 2026, month: 3, day: 29, hour: 0, minute: 0, second: 0 }, 'Europe/Berlin');
    expect(addDays(day, 1, 'Europe/Berlin') - day).toBe(23 * H);
    expect(offsetMs(day, 'Europe/Berlin')).toBe(H);
  });

  it('knows IANA zone names and refuses others', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Asia/Beijing')).toBe(false);
    expect(isTimeZone('+08:00x')).toBe(false);
  });
});

describe('region.timeZone in the registry', () => {
  it('defaults to Asia/Shanghai, takes an IANA name, and reports a wrong one at its path', async () => {
    const { parseRegistry, timeZoneOf } = await import('../../core/registry.js');
    const { smallRegistry } = await import('../helpers/small-registry.js');
    const plain = parseRegistry(smallRegistry());
    expect(plain.ok && timeZoneOf(plain.value)).toBe('Asia/Shanghai');
    const file = smallRegistry();
    file.region = { ...file.region, timeZone: 'Asia/Urumqi' };
    const ok = parseRegistry(file);
    expect(ok.ok && timeZoneOf(ok.value)).toBe('Asia/Urumqi');
    file.region = { ...file.region, timeZone: 'Beijing' };
    const bad = parseRegistry(file);
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(['region.timeZone']);
  });
});
