/** The parts of an Aedes instance that its type declarations leave out but this broker relies on. */
import type { Aedes, Client } from 'aedes';

/** A message on Aedes' internal bus (mqemitter): the publish packet as Aedes carries it. */
export interface BusMessage {
  topic: string;
  payload: Buffer | string;
}

export interface AedesInternals {
  /** The message bus (mqemitter or mqemitter-redis), shared by every instance of a cluster. */
  mq: {
    on(topic: string, listener: (message: BusMessage, done: () => void) => void, cb?: () => void): void;
  };
  /** Connected clients by client id, on this instance. */
  clients: Record<string, Client | undefined>;
  /** Aedes' persistence (aedes-persistence or aedes-persistence-redis). */
  persistence: unknown;
}

export const internals = (aedes: Aedes): AedesInternals => aedes as unknown as AedesInternals;
