/** Redis-backed Aedes persistence and message bus: sessions survive restarts, instances share traffic. */
import persistenceRedis from 'aedes-persistence-redis';
import { Redis } from 'ioredis';
import mqemitterRedis from 'mqemitter-redis';
import type { Logger } from 'pino';

export interface BrokerBackends {
  persistence: unknown;
  mq: unknown;
  /** Closes what Aedes does not: the persistence connections (Aedes' `close()` ends the bus itself). */
  close(): Promise<void>;
}

/** A start must fail, not hang, when Redis is unreachable (ioredis would retry forever). */
const CONNECT_TIMEOUT_MS = 5_000;

export async function createRedisBackends(url: string, log: Logger): Promise<BrokerBackends> {
  const open = async (role: string): Promise<Redis> => {
    const conn = new Redis(url, {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Auto-pipelining batches the many small commands of QoS 1 queues (mqemitter-redis sets it too).
      enableAutoPipelining: true,
    });
    conn.on('error', (e: Error) => log.warn({ role, err: e.message }, 'redis connection error'));
    try {
      await conn.connect();
    } catch (e) {
      conn.disconnect();
      throw new Error(`cannot reach Redis at ${redactUrl(url)}`, { cause: e });
    }
    return conn;
  };
  const [db, sub, pub] = await Promise.all([open('persistence'), open('mq-sub'), open('mq-pub')]);
  const persistence = persistenceRedis({ conn: db });
  const mq = mqemitterRedis({ subConn: sub, pubConn: pub });
  let closed = false;
  return {
    persistence,
    mq,
    async close() {
      if (closed) return;
      closed = true;
      // destroy() unsubscribes from the bus and disconnects its connection; it throws when run twice.
      await (persistence as unknown as { destroy(): Promise<void> }).destroy();
    },
  };
}

/** Never log a Redis password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
