/** Times and durations as the API and devices write them. */
import { describe, expect, it } from 'vitest';
import { parseDuration, parseRfc3339, parseTime } from '../../core/time.js';

describe('time', () => {
  it('parses RFC 3339 with an offset and refuses local times and impossible dates', () => {
    expect(parseRfc3339('2026-11-27T14:00:00.250+08:00')).toBe(Date.UTC(2026, 10, 27, 6, 0, 0, 250));
    expect(parseRfc3339('2026-11-27T06:00:00Z')).toBe(Date.UTC(2026, 10, 27, 6));
    expect(parseRfc3339('2026-11-27T06:00:00')).toBeNull();
    expect(parseRfc3339('2026-13-01T00:00:00Z')).toBeNull();
    expect(parseRfc3339('2026-02-29T00:00:00Z')).toBeNull();
    expect(parseRfc3339('2026-01-01T24:00:00Z')).toBeNull();
  });

  it('takes epoch milliseconds as API times', () => {
    expect(parseTime('1764223200000')).toBe(1764223200000);
    expect(parseTime('-5')).toBeNull();
  });

  it('parses durations in s, m, h and d', () => {
    expect([parseDuration('30s'), parseDuration('5m'), parseDuration('1h'), parseDuration('7d')]).toEqual([
      30_000, 300_000, 3_600_000, 604_800_000,
    ]);
    for (const bad of ['0s', '5', '1w', '1.5h', 'h', '-1m']) expect(parseDuration(bad)).toBeNull();
  });
});
