/** The batcher: several batches written at once when asked, acknowledgements always in arrival order. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { StoredReading } from '../../core/stored-reading.js';
import { createBatcher, type Item } from '../../ingest/batcher.js';
import type { SpoolRecord } from '../../ingest/spool.js';

const log = pino({ level: 'silent' });
const reading = (ts: number) => ({ deviceId: 'd-1', ts, values: { ph: 7 } }) as unknown as StoredReading;
const turn = () => new Promise((r) => setImmediate(r));

/** A write the test settles by hand, one per call, in call order. */
function manualWrites() {
  const calls: { record: SpoolRecord; settle: () => void }[] = [];
  const write = (record: SpoolRecord) =>
    new Promise<'stored'>((resolve) => calls.push({ record, settle: () => resolve('stored') }));
  return { calls, write };
}

describe('createBatcher', () => {
  it('writes two batches at once with inFlight 2, and acknowledges the second only after the first', async () => {
    const { calls, write } = manualWrites();
    const acked: number[] = [];
    const b = createBatcher({ write, log, inFlight: 2 });
    const item = (ts: number): Item => ({ readings: [reading(ts)], ack: () => acked.push(ts) });
    b.add(item(1));
    await turn();
    b.add(item(2));
    await turn();
    b.add(item(3)); // no third write while two are in flight
    await turn();
    expect(calls.map((c) => c.record.readings.map((r) => r.ts))).toEqual([[1], [2]]);

    calls[1]!.settle(); // the second is durable first: nothing may be acknowledged yet
    await turn();
    expect(acked).toEqual([]);
    calls[0]!.settle();
    await turn();
    await turn();
    expect(acked).toEqual([1, 2]);
    expect(calls.map((c) => c.record.readings.map((r) => r.ts))).toEqual([[1], [2], [3]]);
    calls[2]!.settle();
    await b.drain();
    expect(acked).toEqual([1, 2, 3]);
    expect(b.waiting()).toBe(0);
  });

  it('writes one batch at a time by default, gathering what arrives meanwhile into the next', async () => {
    const { calls, write } = manualWrites();
    const acked: number[] = [];
    const b = createBatcher({ write, log });
    for (const ts of [1]) b.add({ readings: [reading(ts)], ack: () => acked.push(ts) });
    await turn();
    for (const ts of [2, 3, 4]) b.add({ readings: [reading(ts)], ack: () => acked.push(ts) });
    await turn();
    expect(calls).toHaveLength(1);
    calls[0]!.settle();
    await turn();
    await turn();
    expect(calls.map((c) => c.record.readings.map((r) => r.ts))).toEqual([[1], [2, 3, 4]]);
    calls[1]!.settle();
    await b.drain();
    expect(acked).toEqual([1, 2, 3, 4]);
  });

  it('keeps no room beyond the high-water mark until a batch is acknowledged', async () => {
    const { calls, write } = manualWrites();
    const b = createBatcher({ write, log, highWater: 3, inFlight: 2 });
    for (const ts of [1, 2, 3]) b.add({ readings: [reading(ts)], ack: () => {} });
    expect(b.hasRoom()).toBe(false);
    let roomAgain = false;
    b.whenRoom(() => {
      roomAgain = true;
    });
    await turn();
    calls[0]!.settle();
    await turn();
    await turn();
    expect(roomAgain).toBe(true);
    for (const c of calls.slice(1)) c.settle();
    await b.drain();
  });
});
