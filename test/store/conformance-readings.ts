/** The Reading half of the store conformance suite: what every adapter must answer for the same writes. */
import { expect, it } from 'vitest';
import type { Metric } from '../../core/metrics.js';
import {
  LAST_SEEN_LOOKBACK_MS,
  type StoredReading,
  type TelemetryStore,
} from '../../store/telemetry-store.js';
import { BASE, expectPoints, HOUR, MIN, Model, reading } from './fixtures.js';

export function readingTests(store: () => TelemetryStore): void {
  it('returns the raw values of one metric in [from, to], oldest first, both bounds included', async () => {
    await store().writeReadings([
      reading('d-plant', BASE + 2 * MIN, { chlorine: 0.5, ph: 7.25 }),
      reading('d-plant', BASE, { chlorine: 0.25 }),
      reading('d-plant', BASE + MIN, { ph: 7.5 }),
      reading('d-plant', BASE + 3 * MIN, { chlorine: 0.75 }),
      reading('d-pipe', BASE + MIN, { chlorine: 9 }),
    ]);
    const points = await store().queryReadings({
      deviceId: 'd-plant',
      metric: 'chlorine',
      from: BASE,
      to: BASE + 2 * MIN,
    });
    expect(points).toEqual([
      { ts: BASE, mean: 0.25, min: 0.25, max: 0.25, count: 1 },
      { ts: BASE + 2 * MIN, mean: 0.5, min: 0.5, max: 0.5, count: 1 },
    ]);
  });

  it('stores the same device and ts once: the later values win and metrics it leaves out stay', async () => {
    const s = store();
    await s.writeReadings([reading('d-plant', BASE, { chlorine: 0.25, ph: 7 }, { n: 2, ok: 1 }, 4)]);
    await s.writeReadings([reading('d-plant', BASE, { chlorine: 0.5 }, { n: 1, ok: 1 })]);
    await s.writeReadings([reading('d-plant', BASE, { chlorine: 0.5 }, { n: 1, ok: 1 })]);
    const q = { deviceId: 'd-plant', from: BASE - HOUR, to: BASE + HOUR };
    expect(await s.queryReadings({ ...q, metric: 'chlorine' })).toEqual([
      { ts: BASE, mean: 0.5, min: 0.5, max: 0.5, count: 1 },
    ]);
    expect(await s.queryReadings({ ...q, metric: 'ph' })).toEqual([
      { ts: BASE, mean: 7, min: 7, max: 7, count: 1 },
    ]);
    expect(await s.queryReadings({ ...q, metric: 'chlorine', everyMs: HOUR })).toEqual([
      { ts: BASE, mean: 0.5, min: 0.5, max: 0.5, count: 1 },
    ]);
    expect(await s.latestReading('d-plant')).toEqual({ ts: BASE, seq: 4, values: { chlorine: 0.5, ph: 7 } });
    expect(await s.qualityCounts({ from: BASE - HOUR, to: BASE + HOUR })).toEqual([
      { schemeId: 'sch-a', countyId: 'cty-x', samples: 1, compliant: 1 },
    ]);
  });

  it('stamps epoch-aligned buckets with their start, counts only [from, to], and leaves out empty ones', async () => {
    const s = store();
    await s.writeReadings([
      reading('d-pipe', BASE + 5 * MIN, { pressure: 0.25 }), // before `from`: left out
      reading('d-pipe', BASE + 20 * MIN, { pressure: 0.5 }),
      reading('d-pipe', BASE + HOUR - 1, { pressure: 0.75 }), // last ms of the first bucket
      reading('d-pipe', BASE + HOUR, { pressure: 1 }), // first ms of the second bucket
      reading('d-pipe', BASE + 3 * HOUR + 30 * MIN, { pressure: 2 }), // `to` itself: included
      reading('d-pipe', BASE + 3 * HOUR + 31 * MIN, { pressure: 4 }), // after `to`: left out
    ]);
    const points = await s.queryReadings({
      deviceId: 'd-pipe',
      metric: 'pressure',
      from: BASE + 10 * MIN,
      to: BASE + 3 * HOUR + 30 * MIN,
      everyMs: HOUR,
    });
    expect(points).toEqual([
      { ts: BASE, mean: 0.625, min: 0.5, max: 0.75, count: 2 },
      { ts: BASE + HOUR, mean: 1, min: 1, max: 1, count: 1 },
      { ts: BASE + 3 * HOUR, mean: 2, min: 2, max: 2, count: 1 },
    ]);
  });

  it('answers long windows exactly as its raw Readings, also after late and rewritten Readings', async () => {
    const s = store();
    const model = new Model();
    const write = async (batch: StoredReading[]) => {
      model.write(batch);
      await s.writeReadings(batch);
    };
    // Two devices, a Reading every 2 minutes for 30 hours, written in time order in 3-hour batches.
    const value = (i: number, d: number) => ((i * 7 + d * 3) % 40) / 8;
    for (let h = 0; h < 30; h += 3) {
      const batch: StoredReading[] = [];
      for (let t = h * HOUR; t < (h + 3) * HOUR; t += 2 * MIN) {
        const i = t / (2 * MIN);
        batch.push(
          reading('d-plant', BASE + t, { chlorine: value(i, 1), ph: 7 }, { n: 2, ok: i % 5 ? 2 : 1 }),
        );
        if (i % 3 !== 0)
          batch.push(reading('d-tap', BASE + t + MIN, { chlorine: value(i, 2) }, { n: 1, ok: 1 }));
      }
      await write(batch);
    }
    // Late Readings into old hours, rewrites of old and recent ones, and a device seen only now.
    await write([
      reading('d-plant', BASE + 3 * HOUR + MIN, { chlorine: 5 }, { n: 1, ok: 0 }),
      reading('d-plant', BASE + 5 * HOUR + 10 * MIN, { chlorine: 0.125 }, { n: 2, ok: 2 }),
      reading('d-tap', BASE + 7 * HOUR + 5 * MIN, { chlorine: 3.5 }, { n: 1, ok: 0 }),
      reading('d-plant', BASE + 29 * HOUR + 58 * MIN, { chlorine: 2.25 }, { n: 2, ok: 0 }),
      reading('d-res', BASE + 12 * HOUR, { chlorine: 1 }, { n: 1, ok: 1 }),
    ]);
    const windows: [number, number][] = [
      [BASE - 2 * HOUR, BASE + 40 * HOUR],
      [BASE + 17 * MIN + 1234, BASE + 29 * HOUR + 59 * MIN],
      [BASE + 3 * HOUR, BASE + 8 * HOUR - 1],
      [BASE + 5 * HOUR + 11 * MIN, BASE + 5 * HOUR + 40 * MIN],
    ];
    const widths = [5 * MIN, 30 * MIN, HOUR, 90 * MIN, 6 * HOUR, 24 * HOUR];
    for (const [from, to] of windows) {
      for (const deviceId of ['d-plant', 'd-tap']) {
        const metric: Metric = 'chlorine';
        expectPoints(
          await s.queryReadings({ deviceId, metric, from, to }),
          model.series(deviceId, metric, from, to),
        );
        for (const everyMs of widths) {
          const got = await s.queryReadings({ deviceId, metric, from, to, everyMs });
          expectPoints(got, model.series(deviceId, metric, from, to, everyMs));
        }
      }
      expect(await s.qualityCounts({ from, to })).toEqual(model.quality(from, to));
      expect(await s.qualityCounts({ from, to, countyId: 'cty-y' })).toEqual(
        model.quality(from, to, 'cty-y'),
      );
    }
    for (const at of [undefined, BASE + 7 * HOUR + 5 * MIN, BASE + 12 * HOUR - 1, BASE + 100 * HOUR]) {
      expect(await s.lastSeen(at)).toEqual(model.lastSeen(at));
    }
  });

  it('answers an empty window, an empty store and an unknown device with nothing', async () => {
    const s = store();
    const q = { deviceId: 'd-plant', metric: 'chlorine' as const, from: BASE, to: BASE + HOUR };
    expect(await s.queryReadings(q)).toEqual([]);
    expect(await s.queryReadings({ ...q, everyMs: MIN })).toEqual([]);
    expect(await s.lastSeen()).toEqual(new Map());
    expect(await s.qualityCounts({ from: BASE, to: BASE + HOUR })).toEqual([]);
    expect(await s.latestReading('d-plant')).toBeNull();
    await s.writeReadings([reading('d-plant', BASE + 2 * HOUR, { chlorine: 1 }, { n: 1, ok: 1 })]);
    expect(await s.queryReadings(q)).toEqual([]);
    expect(await s.queryReadings({ ...q, everyMs: MIN })).toEqual([]);
    expect(await s.queryReadings({ ...q, deviceId: 'nobody' })).toEqual([]);
    expect(await s.qualityCounts({ from: BASE, to: BASE + HOUR })).toEqual([]);
    expect(await s.qualityCounts({ from: BASE, to: BASE + 3 * HOUR, countyId: 'cty-y' })).toEqual([]);
    expect(await s.latestReading('nobody')).toBeNull();
    expect(await s.lastSeen(BASE + HOUR)).toEqual(new Map());
    await s.writeReadings([]);
  });

  it('reports each device last-seen time, also as of an earlier time, and its newest Reading', async () => {
    const s = store();
    await s.writeReadings([
      reading('d-plant', BASE + 2 * MIN, { chlorine: 0.5, turbidity: 0.25 }, { n: 2, ok: 2 }, 7),
      reading('d-plant', BASE, { chlorine: 0.75 }, { n: 1, ok: 1 }, 6),
      reading('d-src', BASE + MIN, { turbidity: 12 }),
    ]);
    expect(await s.lastSeen()).toEqual(
      new Map([
        ['d-plant', BASE + 2 * MIN],
        ['d-src', BASE + MIN],
      ]),
    );
    expect(await s.lastSeen(BASE + MIN)).toEqual(
      new Map([
        ['d-plant', BASE],
        ['d-src', BASE + MIN],
      ]),
    );
    expect(await s.lastSeen(BASE - 1)).toEqual(new Map());
    expect(await s.latestReading('d-plant')).toEqual({
      ts: BASE + 2 * MIN,
      seq: 7,
      values: { chlorine: 0.5, turbidity: 0.25 },
    });
    expect(await s.latestReading('d-src')).toEqual({ ts: BASE + MIN, values: { turbidity: 12 } });
  });

  it('stops a raw query at its limit, keeping the oldest values', async () => {
    const s = store();
    await s.writeReadings(
      Array.from({ length: 30 }, (_, i) => reading('d-plant', BASE + i * 7 * MIN, { chlorine: i / 10 })),
    );
    const q = { deviceId: 'd-plant', metric: 'chlorine' as const, from: BASE, to: BASE + HOUR * 24 };
    const all = await s.queryReadings(q);
    expect(all).toHaveLength(30);
    expect(await s.queryReadings({ ...q, limit: 5 })).toEqual(all.slice(0, 5));
    expect(await s.queryReadings({ ...q, limit: 100 })).toEqual(all);
    expect(await s.queryReadings({ ...q, from: BASE + 10 * 7 * MIN, limit: 3 })).toEqual(all.slice(10, 13));
  });

  it("answers each metric's newest value of many devices in one call, within the window", async () => {
    const s = store();
    await s.writeReadings([
      reading('d-plant', BASE, { chlorine: 0.5, ph: 7 }),
      reading('d-plant', BASE + MIN, { chlorine: 0.75 }),
      reading('d-plant', BASE + 2 * MIN, { turbidity: 0.25 }),
      reading('d-pipe', BASE + 3 * MIN, { chlorine: 0.125 }),
      reading('d-src', BASE - 2 * HOUR, { turbidity: 12 }),
    ]);
    const got = await s.latestValues({
      deviceIds: ['d-plant', 'd-pipe', 'd-src', 'd-unknown'],
      from: BASE - HOUR,
      to: BASE + HOUR,
    });
    expect(got).toEqual(
      new Map([
        [
          'd-plant',
          {
            chlorine: { value: 0.75, ts: BASE + MIN },
            ph: { value: 7, ts: BASE },
            turbidity: { value: 0.25, ts: BASE + 2 * MIN },
          },
        ],
        ['d-pipe', { chlorine: { value: 0.125, ts: BASE + 3 * MIN } }],
      ]),
    );
    // Only the devices asked for, and `to` bounds it.
    expect(await s.latestValues({ deviceIds: ['d-plant'], from: BASE - HOUR, to: BASE })).toEqual(
      new Map([['d-plant', { chlorine: { value: 0.5, ts: BASE }, ph: { value: 7, ts: BASE } }]]),
    );
    expect(await s.latestValues({ deviceIds: [], from: BASE - HOUR, to: BASE + HOUR })).toEqual(new Map());
  });

  it('looks back at most LAST_SEEN_LOOKBACK_MS for last-seen times', async () => {
    const s = store();
    await s.writeReadings([
      reading('d-plant', BASE, { chlorine: 0.5 }),
      reading('d-src', BASE - 40 * 24 * HOUR, { turbidity: 12 }),
    ]);
    expect(await s.lastSeen(BASE + HOUR)).toEqual(new Map([['d-plant', BASE]]));
    expect(await s.lastSeen(BASE - 39 * 24 * HOUR)).toEqual(new Map([['d-src', BASE - 40 * 24 * HOUR]]));
    expect(await s.lastSeen(BASE + LAST_SEEN_LOOKBACK_MS + 1)).toEqual(new Map());
  });

  it('counts quality samples per scheme in a window, of one county or all, without schemes lacking samples', async () => {
    const s = store();
    await s.writeReadings([
      reading('d-plant', BASE, { chlorine: 0.5, ph: 7 }, { n: 2, ok: 2 }),
      reading('d-pipe', BASE + MIN, { chlorine: 0.01, ph: 7 }, { n: 2, ok: 1 }),
      reading('d-tap', BASE + 2 * MIN, { chlorine: 0.2 }, { n: 1, ok: 1 }),
      reading('d-src', BASE + 3 * MIN, { turbidity: 30 }), // a source: no samples
      reading('d-res', BASE + HOUR, { chlorine: 0.3 }, { n: 1, ok: 1 }), // after the window
      reading('d-plant', BASE - 1, { chlorine: 0.1 }, { n: 1, ok: 0 }), // before it
    ]);
    const window = { from: BASE, to: BASE + HOUR - 1 };
    expect(await s.qualityCounts(window)).toEqual([
      { schemeId: 'sch-a', countyId: 'cty-x', samples: 4, compliant: 3 },
      { schemeId: 'sch-b', countyId: 'cty-x', samples: 1, compliant: 1 },
    ]);
    expect(await s.qualityCounts({ ...window, countyId: 'cty-y' })).toEqual([]);
    expect(await s.qualityCounts({ from: BASE - 1, to: BASE + HOUR, countyId: 'cty-y' })).toEqual([
      { schemeId: 'sch-d', countyId: 'cty-y', samples: 1, compliant: 1 },
    ]);
  });
}
