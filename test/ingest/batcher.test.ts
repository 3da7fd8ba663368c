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

  it("lingers: a light load's messages after a batch started wait for the next one together", async () => {
    const { calls, write } = manualWrites();
    const acked: number[] = [];
    const b = createBatcher({ write, log, inFlight: 2, lingerMs: 50, lingerFill: 100 });
    const add = (ts: number) => b.add({ readings: [reading(ts)], ack: () => acked.push(ts) });
    add(1); // the first goes at once: nothing was written for longer than the linger
    add(2);
    await turn();
    expect(calls).toHaveLength(1);
    add(3);
    await turn();
    add(4);
    await turn();
    // A second write could start (two in flight) but the linger holds it.
    expect(calls).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 70));
    expect(calls.map((c) => c.record.readings.map((r) => r.ts))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    for (const c of calls) c.settle();
    await b.drain();
    expect(acked).toEqual([1, 2, 3, 4]);
  });

  it('ends a linger at once when lingerFill Readings wait', async () => {
    const { calls, write } = manualWrites();
    const b = createBatcher({ write, log, inFlight: 2, lingerMs: 60_000, lingerFill: 3 });
    const add = (ts: number) => b.add({ readings: [reading(ts)], ack: () => {} });
    add(1);
    add(2);
    await turn();
    add(3);
    add(4);
    await turn();
    expect(calls).toHaveLength(1); // two waiting: still lingering
    add(5);
    await turn();
    expect(calls.map((c) => c.record.readings.map((r) => r.ts))).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    for (const c of calls) c.settle();
    await b.drain(); // no linger timer is left behind to hold the drain (or the process)
  });

  it('does not hold a lone device that waits for each PUBACK: its batches carry one message', async () => {
    const { calls, write } = manualWrites();
    const b = createBatcher({ write, log, lingerMs: 60_000 });
    for (const ts of [1, 2, 3]) {
      const acked = new Promise<void>((ack) => b.add({ readings: [reading(ts)], ack }));
      await turn();
      calls[calls.length - 1]!.settle();
      await acked;
    }
    expect(calls).toHaveLength(3);
    await b.drain();
  });
});
