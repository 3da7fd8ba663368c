/** Local types for aedes-persistence's in-memory class, which its package types only as a default factory. */
declare module 'aedes-persistence/asyncPersistence.js' {
  import type { Readable } from 'node:stream';

  interface OutgoingPacket {
    brokerId?: string;
    brokerCounter?: number;
    messageId?: number | null;
  }

  class MemoryPersistence {
    /** aedes-packet's Packet: a copy of a publish as it is queued. */
    static Packet: new (
      packet: object,
    ) => OutgoingPacket;
    setup(broker: unknown): Promise<void>;
    outgoingEnqueue(sub: { clientId: string }, packet: object): Promise<void>;
    outgoingEnqueueCombi(subs: { clientId: string }[], packet: object): Promise<void>;
    outgoingUpdate(client: { id: string }, packet: object): Promise<void>;
    outgoingClearMessageId(client: { id: string }, packet: object): Promise<OutgoingPacket | undefined>;
    outgoingStream(client: { id: string }): Readable;
    destroy(): Promise<void>;
  }
  export = MemoryPersistence;
}

/** aedes-persistence's conformance suite, written for node:test: `test(name, async (t) => …)`. */
declare module 'aedes-persistence/abstract.js' {
  interface SuiteContext {
    assert: typeof import('node:assert');
    plan(n: number): void;
    diagnostic(message: string): void;
  }
  function abstractPersistence(opts: {
    test: (name: string, fn: (t: SuiteContext) => Promise<void>) => void;
    persistence: () => unknown;
    testAsync?: boolean;
  }): void;
  export = abstractPersistence;
}
