/** Reading validation: each reason a Reading is rejected, and valid Readings kept beside bad ones. */
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../core/metrics.js';
import { validateTelemetry } from '../../core/reading.js';

const now = Date.UTC(2026, 10, 27, 6, 0, 0);
const ctx = { metrics: new Set<Metric>(['chlorine', 'ph', 'pressure']), now };
const run = (payload: unknown) =>
  validateTelemetry(typeof payload === 'string' ? payload : JSON.stringify(payload), ctx);
const only = (payload: unknown) => {
  const r = run(payload);
  expect(r.readings).toEqual([]);
  expect(r.rejections).toHaveLength(1);
  return r.rejections[0]!;
};

describe('validateTelemetry', () => {
  it('accepts a Reading with epoch ms or an RFC 3339 time with offset', () => {
    expect(run({ ts: now, seq: 7, values: { chlorine: 0.4 } }).readings).toEqual([
      { ts: now, seq: 7, values: { chlorine: 0.4 } },
    ]);
    expect(run({ ts: '2026-11-27T14:00:00+08:00', values: { ph: 7.2 } }).readings).toEqual([
      { ts: now, values: { ph: 7.2 } },
    ]);
  });

  it('rejects a payload that is not JSON, and one that is not a Reading', () => {
    expect(only('{"ts": 1,')).toMatchObject({ reason: 'not-json' });
    expect(only('42')).toMatchObject({
      reason: 'bad-shape',
      error: 'expected a Reading object {ts, seq?, values}',
    });
    expect(only({ ts: now, values: { chlorine: 1 }, extra: 1 })).toMatchObject({
      reason: 'bad-shape',
      path: 'extra',
    });
    expect(only({ ts: now, values: [] })).toMatchObject({ reason: 'bad-shape', path: 'values' });
    expect(only({ ts: now, values: {} })).toMatchObject({ reason: 'bad-shape', path: 'values' });
    expect(only({ ts: now, seq: -1, values: { ph: 7 } })).toMatchObject({ reason: 'bad-shape', path: 'seq' });
  });

  it('rejects an unknown metric and one the device does not declare, naming it', () => {
    expect(only({ ts: now, values: { colour: 5 } })).toMatchObject({
      reason: 'unknown-metric',
      path: 'values.colour',
      error: 'unknown metric "colour"',
    });
    expect(only({ ts: now, seq: 3, values: { ph: 7, turbidity: 0.2 } })).toMatchObject({
      reason: 'undeclared-metric',
      path: 'values.turbidity',
      seq: 3,
      ts: now,
    });
  });

  it('rejects non-finite and physically impossible values', () => {
    expect(only(`{"ts": ${now}, "values": {"ph": 1e999}}`)).toMatchObject({
      reason: 'bad-value',
      path: 'values.ph',
    });
    expect(only({ ts: now, values: { ph: '7' } })).toMatchObject({ reason: 'bad-value' });
    expect(only({ ts: now, values: { ph: 14.01 } })).toMatchObject({
      reason: 'out-of-range',
      path: 'values.ph',
    });
    expect(only({ ts: now, values: { pressure: -0.11 } })).toMatchObject({ reason: 'out-of-range' });
    expect(run({ ts: now, values: { pressure: -0.1, ph: 14, chlorine: 0 } }).readings).toHaveLength(1);
  });

  it('rejects timestamps more than 5 minutes ahead or 30 days old, and malformed ones', () => {
    expect(run({ ts: now + 300_000, values: { ph: 7 } }).readings).toHaveLength(1);
    expect(only({ ts: now + 300_001, values: { ph: 7 } })).toMatchObject({ reason: 'future-ts', path: 'ts' });
    expect(run({ ts: now - 30 * 86_400_000, values: { ph: 7 } }).readings).toHaveLength(1);
    expect(only({ ts: now - 30 * 86_400_000 - 1, values: { ph: 7 } })).toMatchObject({ reason: 'old-ts' });
    expect(only({ ts: '2026-11-27T06:00:00', values: { ph: 7 } })).toMatchObject({ reason: 'bad-ts' });
    expect(only({ ts: '2026-02-30T06:00:00Z', values: { ph: 7 } })).toMatchObject({ reason: 'bad-ts' });
    expect(only({ ts: 1.5, values: { ph: 7 } })).toMatchObject({ reason: 'bad-ts' });
    expect(only({ values: { ph: 7 } })).toMatchObject({ reason: 'bad-ts', error: 'ts is required' });
  });

  it('judges an array item by item and keeps the valid Readings', () => {
    const r = run([
      { ts: now, values: { ph: 7 } },
      { ts: now, values: { ph: 99 } },
      'x',
      { ts: now - 1, values: { chlorine: 0.3 } },
    ]);
    expect(r.readings.map((x) => x.ts)).toEqual([now, now - 1]);
    expect(r.rejections.map((x) => x.path)).toEqual(['[1].values.ph', '[2]']);
  });

  it('rejects an oversized message or batch whole, with one error', () => {
    const big = JSON.stringify({ ts: now, values: { ph: 7 }, pad: 'x'.repeat(70_000) });
    expect(only(big)).toMatchObject({ reason: 'too-large' });
    const batch = Array.from({ length: 1001 }, () => ({ ts: now, values: { ph: 7 } }));
    expect(only(batch)).toMatchObject({ reason: 'batch-too-large' });
    expect(run(batch.slice(0, 1000)).readings).toHaveLength(1000);
  });

  it('survives deep nesting', () => {
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    expect(only(deep).reason).toBe('bad-shape');
    const deepValue = `{"ts": ${now}, "values": {"ph": ${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    expect(only(deepValue)).toMatchObject({ reason: 'bad-value', path: 'values.ph' });
  });
});
