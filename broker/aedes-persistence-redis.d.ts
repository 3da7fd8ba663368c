/** Local types for `aedes-persistence-redis`, which ships none: only the factory this project calls. */
declare module 'aedes-persistence-redis' {
  import type { Redis } from 'ioredis';

  interface RedisPersistenceOptions {
    /** An open ioredis connection to use instead of one built from the options. */
    conn?: Redis;
    /** Most offline messages delivered when a persistent session reconnects (default 1000). */
    maxSessionDelivery?: number;
    /** Seconds an offline message is kept; 0 = forever. */
    packetTTL?: (packet: unknown) => number;
  }

  export default function persistenceRedis(opts?: RedisPersistenceOptions): unknown;
}
