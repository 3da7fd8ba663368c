/** A corpus of malformed telemetry: each input gets its error on the device's errors topic and stores nothing, valid data beside it is kept. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorPayload } from '../../core/topics.js';
import { type Harness, publish, startHarness } from '../helpers/ingest.js';
import { waitFor } from '../helpers/wait-for.js';

describe.each(['node', 'subscriber'] as const)('malformed telemetry (%s ingest)', (mode) => {
  let h: Harness;
  const errors: ErrorPayload[] = [];
  const now = Date.now();
  let n = 0;
  /** A valid Reading with a ts of its own, so every stored one can be told apart. */
  const valid = () => ({ ts: now - 60_000 + n++, values: { ph: 7.2 } });

  beforeAll(async () => {
    h = await startHarness({ mode });
    const watcher = await h.device('d-0001', 'errors');
    watcher.on('message', (_t, p) => errors.push(JSON.parse(p.toString()) as ErrorPayload));
    await watcher.subscribeAsync('wl/v1/d-0001/errors', { qos: 0 });
  });
  afterAll(async () => {
    await h.stop();
  });

  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const corpus: { name: string; payload: string; error: RegExp; path?: string; reason: string }[] = [
    { name: 'not JSON', payload: '{"ts": 1,', error: /^payload is not JSON: /, reason: 'not-json' },
    {
      name: 'binary garbage',
      payload: '\u0000\u00ff\u0001',
      error: /^payload is not JSON/,
      reason: 'not-json',
    },
    { name: 'a number', payload: '42', error: /^expected a Reading object/, reason: 'bad-shape' },
    { name: 'null', payload: 'null', error: /^expected a Reading object/, reason: 'bad-shape' },
    {
      name: 'no values',
      payload: JSON.stringify({ ts: now }),
      error: /^values must be an object/,
      path: 'values',
      reason: 'bad-shape',
    },
    {
      name: 'an extra field',
      payload: JSON.stringify({ ts: now, values: { ph: 7 }, device: 'd-0002' }),
      error: /^unexpected field "device"/,
      path: 'device',
      reason: 'bad-shape',
    },
    {
      name: 'an unknown metric',
      payload: JSON.stringify({ ts: now, values: { ph: 7, colour: 5 } }),
      error: /^unknown metric "colour"$/,
      path: 'values.colour',
      reason: 'unknown-metric',
    },
    {
      name: 'an undeclared metric',
      payload: JSON.stringify({ ts: now, values: { pressure: 0.3 } }),
      error: /^metric "pressure" is not declared for this device$/,
      path: 'values.pressure',
      reason: 'undeclared-metric',
    },
    {
      name: 'an infinite value',
      payload: `{"ts": ${now}, "values": {"ph": 1e999}}`,
      error: /^ph must be a finite number$/,
      path: 'values.ph',
      reason: 'bad-value',
    },
    {
      name: 'a string value',
      payload: JSON.stringify({ ts: now, values: { chlorine: '0.3' } }),
      error: /^chlorine must be a finite number$/,
      path: 'values.chlorine',
      reason: 'bad-value',
    },
    {
      name: 'an impossible value',
      payload: JSON.stringify({ ts: now, values: { turbidity: -1 } }),
      error: /^turbidity -1 is outside the physically possible 0–4000 NTU$/,
      path: 'values.turbidity',
      reason: 'out-of-range',
    },
    {
      name: 'a ts 10 minutes ahead',
      payload: JSON.stringify({ ts: now + 600_000, values: { ph: 7 } }),
      error: /^ts is \d+ s in the future; at most 300 s is allowed$/,
      path: 'ts',
      reason: 'future-ts',
    },
    {
      name: 'a ts 31 days old',
      payload: JSON.stringify({ ts: now - 31 * 86_400_000, values: { ph: 7 } }),
      error: /^ts is more than 30 days old$/,
      path: 'ts',
      reason: 'old-ts',
    },
    {
      name: 'a local time without offset',
      payload: JSON.stringify({ ts: '2026-11-27 08:00:00', values: { ph: 7 } }),
      error: /^ts must be an RFC 3339 date-time with an offset/,
      path: 'ts',
      reason: 'bad-ts',
    },
    {
      name: 'a batch of 1001',
      payload: JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ ts: now - i, values: { ph: 7 } }))),
      error: /^batch has 1001 Readings; the limit is 1000$/,
      reason: 'batch-too-large',
    },
    {
      name: 'a 70 KiB message',
      payload: JSON.stringify({ ts: now, values: { ph: 7 }, pad: 'x'.repeat(70_000) }),
      error: /^payload is \d+ bytes; the limit is 65536 \(64 KiB\)$/,
      reason: 'too-large',
    },
    // An array is judged item by item: its one item, itself 29,999 levels deep, is no Reading.
    {
      name: 'deep nesting',
      payload: deep(30_000),
      error: /^expected a Reading object/,
      path: '[0]',
      reason: 'bad-shape',
    },
    {
      name: 'a deeply nested value',
      payload: `{"ts": ${now}, "values": {"ph": ${deep(20_000)}}}`,
      error: /^ph must be a finite number$/,
      path: 'values.ph',
      reason: 'bad-value',
    },
  ];

  it('reports each malformed input with its message and path, stores nothing of it, and keeps valid data beside it', async () => {
    const dev = await h.device('d-0001');
    const sent: number[] = [];
    for (const c of corpus) {
      const before = valid();
      sent.push(before.ts);
      await publish(dev, 'd-0001', before, c.payload);
    }
    // In an array the valid Readings are kept and each bad one is reported with its index.
    const a = valid();
    const b = valid();
    sent.push(a.ts, b.ts);
    await publish(dev, 'd-0001', [a, { ts: now, seq: 9, values: { ph: 15 } }, b, 'x']);

    await waitFor(async () => errors.length >= corpus.length + 1, 'every error reported');
    corpus.forEach((c, i) => {
      const e = errors[i]!;
      expect(e.error, c.name).toMatch(c.error);
      expect(e.path, c.name).toBe(c.path);
      expect(Date.parse(e.at), c.name).toBeGreaterThan(0);
    });
    // One report for the message, its bad items listed by index.
    expect(errors.slice(corpus.length)).toMatchObject([
      {
        error: '2 Readings rejected; first: ph 15 is outside the physically possible 0–14 pH',
        path: '[1].values.ph',
        rejected: 2,
        items: [
          {
            path: '[1].values.ph',
            seq: 9,
            ts: now,
            error: 'ph 15 is outside the physically possible 0–14 pH',
          },
          { path: '[3]', error: 'expected a Reading object {ts, seq?, values}' },
        ],
      },
    ]);
    expect(errors).toHaveLength(corpus.length + 1);

    // Only the valid Readings were stored.
    const points = await waitFor(async () => {
      const p = await h.store.queryReadings({
        deviceId: 'd-0001',
        metric: 'ph',
        from: 0,
        to: now + 3_600_000,
      });
      return p.length >= sent.length && p;
    }, 'the valid Readings stored');
    expect(points.map((p) => p.ts).sort()).toEqual(sent.sort());
    for (const m of ['turbidity', 'chlorine'] as const) {
      expect(
        await h.store.queryReadings({ deviceId: 'd-0001', metric: m, from: 0, to: now + 3_600_000 }),
      ).toEqual([]);
    }

    // Counted by reason.
    const metrics = await h.ingest.metrics();
    const count = (reason: string) =>
      Number(new RegExp(`rejected_total\\{reason="${reason}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    expect(count('not-json')).toBe(2);
    expect(count('bad-shape')).toBe(6);
    expect(count('bad-value')).toBe(3);
    expect(count('out-of-range')).toBe(2);
    expect(count('batch-too-large')).toBe(1);
    expect(count('too-large')).toBe(1);
  });
});
