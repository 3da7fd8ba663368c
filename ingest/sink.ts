/** Makes batches durable: in the store when it answers in time, otherwise in the on-disk spool, replayed in order. */
import type { Logger } from 'pino';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { oneAtATime } from './one-at-a-time.js';
import type { Spool, SpoolRecord } from './spool.js';

export type Durable = 'stored' | 'spooled';

export interface SinkOptions {
  store: TelemetryStore;
  spool: Spool;
  log: Logger;
  /** A store write slower than this is treated as failed and the batch spooled (it may still land: writes are idempotent). */
  writeTimeoutMs?: number;
  /** Readings per store write when replaying the spool. */
  replayBatch?: number;
  /** Pause between replay attempts while the store is down. */
  retryMs?: number;
  /** Told after each replayed chunk, so counters can follow. */
  onReplayed?: (readings: number, events: number) => void;
  /** Told of each store write that failed or timed out. */
  onFailure?: (e: unknown) => void;
}

export interface Sink {
  /** Resolves once the batch is durable, saying where; rejects when it is neither (spool full or broken). */
  write(record: SpoolRecord): Promise<Durable>;
  /** Readings and events are waiting in the spool for the store. */
  spooling(): boolean;
  /** Replays whatever the spool holds, retrying until the store takes it all or `signal` aborts. */
  drainSpool(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** The store did not answer within the write timeout. */
export class StoreTimeoutError extends Error {
  constructor(ms: number) {
    super(`store write took longer than ${ms} ms`);
    this.name = 'StoreTimeoutError';
  }
}

export function createSink(opts: SinkOptions): Sink {
  const { store, spool, log } = opts;
  const timeoutMs = opts.writeTimeoutMs ?? 5_000;
  const retryMs = opts.retryMs ?? 1_000;
  const replayBatch = opts.replayBatch ?? 5_000;
  // One operation at a time keeps records in order: appends behind a replay, replays behind appends.
  const exclusive = oneAtATime();
  let replayTimer: NodeJS.Timeout | null = null;
  let closed = false;

  const storeWrite = async (r: SpoolRecord): Promise<void> => {
    const work = Promise.all([
      r.readings.length > 0 ? store.writeReadings(r.readings) : undefined,
      r.events.length > 0 ? store.appendAlertEvents(r.events) : undefined,
    ]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreTimeoutError(timeoutMs)), timeoutMs);
    });
    // A write that loses the race must not become an unhandled rejection later.
    work.catch(() => {});
    try {
      await Promise.race([work, timeout]);
    } catch (e) {
      opts.onFailure?.(e);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };

  /** One chunk of the spool into the store; true when the spool is now empty. */
  const replayChunk = (): Promise<boolean> =>
    exclusive(async () => {
      const chunk = await spool.peek(replayBatch);
      if (chunk.length === 0) return true;
      const merged: SpoolRecord = {
        readings: chunk.flatMap((c) => c.record.readings),
        events: chunk.flatMap((c) => c.record.events),
      };
      await storeWrite(merged);
      await spool.commit(chunk[chunk.length - 1]!.end, chunk.length);
      opts.onReplayed?.(merged.readings.length, merged.events.length);
      return spool.isEmpty();
    });

  const scheduleReplay = (delayMs: number) => {
    if (replayTimer || closed) return;
    replayTimer = setTimeout(() => {
      replayTimer = null;
      replayChunk().then(
        (empty) => {
          if (empty) log.info('spool replayed into the store');
          else scheduleReplay(0);
        },
        (e: unknown) => {
          log.warn({ err: errText(e), spooled: spool.pending() }, 'store still unavailable; spool kept');
          scheduleReplay(retryMs);
        },
      );
    }, delayMs);
  };

  if (!spool.isEmpty()) scheduleReplay(0);

  return {
    async write(record) {
      // Straight to the store while nothing waits in the spool; several writes may be in flight (the
      // readings batch and alert events), which is fine because every store write is idempotent.
      if (spool.isEmpty()) {
        try {
          await storeWrite(record);
          return 'stored';
        } catch (e) {
          log.warn({ err: errText(e), readings: record.readings.length }, 'store write failed; spooling');
        }
      }
      // The store failed, or older records wait in the spool: this one goes behind them, in order.
      return exclusive(async (): Promise<Durable> => {
        await spool.append(record);
        scheduleReplay(retryMs);
        return 'spooled';
      });
    },
    spooling: () => !spool.isEmpty(),
    async drainSpool(signal) {
      while (!spool.isEmpty() && !signal?.aborted) {
        try {
          await replayChunk();
        } catch (e) {
          log.warn(
            { err: errText(e), spooled: spool.pending() },
            'store unavailable; waiting to replay the spool',
          );
          await new Promise((r) => setTimeout(r, retryMs));
        }
      }
    },
    async close() {
      closed = true;
      if (replayTimer) clearTimeout(replayTimer);
      await exclusive(async () => {});
    },
  };
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
