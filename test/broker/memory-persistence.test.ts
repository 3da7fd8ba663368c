/** The indexed in-memory persistence passes aedes-persistence's own conformance suite, and stays fast. */
import assert from 'node:assert';
import abstractPersistence from 'aedes-persistence/abstract.js';
import { describe, expect, it } from 'vitest';
import { IndexedMemoryPersistence } from '../../broker/memory-persistence.js';

describe('IndexedMemoryPersistence: the aedes-persistence abstract suite', () => {
  abstractPersistence({
    // node:test's context, as much of it as the suite uses; plan counts are not checked here.
    test: (name, fn) => it(name, () => fn({ assert, plan: () => undefined, diagnostic: () => undefined })),
    persistence: () => new IndexedMemoryPersistence(),
    testAsync: true,
  });
});

describe('IndexedMemoryPersistence: outgoing queues', () => {
  const client = { id: 'svc:ingest' };
  const packet = (n: number) => ({
    cmd: 'publish',
    topic: 't',
    payload: 'x',
    qos: 1,
    brokerId: 'b',
    brokerCounter: n,
  });

  it('acknowledges out of order, including an unsent entry cleared by its absent id', async () => {
    const p = new IndexedMemoryPersistence();
    for (let n = 1; n <= 4; n++) await p.outgoingEnqueue({ clientId: client.id }, packet(n));
    await p.outgoingUpdate(client, { ...packet(1), messageId: 11 });
    await p.outgoingUpdate(client, { ...packet(2), messageId: 12 });
    expect((await p.outgoingClearMessageId(client, { messageId: 12 }))?.brokerCounter).toBe(2);
    // Aedes clears a delivery it skipped with the packet as queued, which has no message id yet.
    expect((await p.outgoingClearMessageId(client, { messageId: undefined }))?.brokerCounter).toBe(3);
    const left: { brokerCounter: number }[] = [];
    for await (const e of p.outgoingStream(client)) left.push(e);
    expect(left.map((e) => e.brokerCounter)).toEqual([1, 4]);
  });

  it('keeps delivery and acknowledgement cost flat with 20,000 messages queued', async () => {
    const p = new IndexedMemoryPersistence();
    const n = 20_000;
    const id = (i: number) => (i % 65535) + 1;
    // A lagging subscriber: everything queued first, then sent (message ids assigned) in order...
    for (let i = 1; i <= n; i++) await p.outgoingEnqueue({ clientId: client.id }, packet(i));
    for (let i = 1; i <= n; i++) await p.outgoingUpdate(client, { ...packet(i), messageId: id(i) });
    // ...and acknowledged newest first: the worst order for a scan from the front (n²/2 comparisons).
    for (let i = n; i >= 1; i--) {
      expect((await p.outgoingClearMessageId(client, { messageId: id(i) }))?.brokerCounter).toBe(i);
    }
    let rest = 0;
    for await (const _ of p.outgoingStream(client)) rest++;
    expect(rest).toBe(0);
  });
});
